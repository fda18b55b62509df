import { useState } from 'react';
import { api } from '../../shared/api.ts';
import { Alert, Notice, SubmitButton, useForm } from '../../shared/form.tsx';
import { Page } from '../../shared/page.tsx';
import { Link } from '../../shared/router.ts';
import { appName } from '../types.ts';
import { IdentityFields, identityFieldOf, identityOf } from './identity-fields.tsx';
import type { ResponseOf } from '../../../src/http/contract.ts';
import type { patientContracts } from '../../../src/http/contracts/patient-api.ts';

/** A lost or expired code provisoire: a new one goes to the personal e-mail address known to the Assurance Maladie. */
export function ReissuePage() {
  const [message, setMessage] = useState<string>();
  const form = useForm(async (values) => {
    const answer = await api<ResponseOf<typeof patientContracts.reissueActivation>>(
      'POST',
      '/api/patient/activation/reissue',
      identityOf(values),
    );
    setMessage(answer.message);
  }, identityFieldOf);
  return (
    <Page title="Recevoir un nouveau code provisoire" app={appName}>
      {message ? (
        <>
          <Notice>{message}</Notice>
          <Link className="button" href="/activation">
            Activer mon profil
          </Link>
        </>
      ) : (
        <form onSubmit={form.onSubmit} noValidate>
          <p>Le nouveau code remplace le précédent, qui ne fonctionnera plus.</p>
          <Alert id={form.errorId} message={form.error} />
          <IdentityFields form={form} withCode={false} />
          <div className="actions">
            <SubmitButton busy={form.busy}>Recevoir un nouveau code</SubmitButton>
            <Link href="/activation">Retour</Link>
          </div>
        </form>
      )}
    </Page>
  );
}
