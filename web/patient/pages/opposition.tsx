import { useState } from 'react';
import { api } from '../../shared/api.ts';
import { Alert, SubmitButton, useForm } from '../../shared/form.tsx';
import { Page } from '../../shared/page.tsx';
import { appName } from '../types.ts';
import { IdentityFields, identityFieldOf, identityOf } from './identity-fields.tsx';
import type { ResponseOf } from '../../../src/http/contract.ts';
import type { patientContracts } from '../../../src/http/contracts/patient-api.ts';

/** Opposing the creation of one's profile, while it is not activated; the proof is a PDF. */
export function OppositionPage() {
  const [proofUrl, setProofUrl] = useState<string>();
  const form = useForm(async (values) => {
    const answer = await api<ResponseOf<typeof patientContracts.oppose>>(
      'POST',
      '/api/patient/opposition',
      identityOf(values),
    );
    setProofUrl(answer.proofUrl);
  }, identityFieldOf);
  if (proofUrl)
    return (
      <Page title="Votre opposition est enregistrée" app={appName}>
        <div role="status" className="notice">
          Votre profil Mon espace santé ne sera pas créé. Seules votre identité et la preuve de votre
          opposition sont conservées.
        </div>
        <p>Téléchargez et gardez votre attestation :</p>
        <a className="button" href={proofUrl} download>
          Télécharger l’attestation d’opposition (PDF)
        </a>
      </Page>
    );
  return (
    <Page title="M’opposer à la création de mon profil" app={appName}>
      <p>
        Vous pouvez refuser la création de votre profil Mon espace santé tant qu’il n’est pas activé. Vous
        aurez besoin de votre carte Vitale et du code provisoire reçu de l’Assurance Maladie.
      </p>
      <p>
        Sans profil, vos professionnels de santé ne pourront pas partager vos documents de santé avec vous par
        ce service.
      </p>
      <form onSubmit={form.onSubmit} noValidate>
        <Alert id={form.errorId} message={form.error} />
        <IdentityFields form={form} withCode />
        <div className="actions">
          <SubmitButton busy={form.busy}>Je m’oppose à la création de mon profil</SubmitButton>
        </div>
      </form>
    </Page>
  );
}
