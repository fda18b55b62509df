import { useState } from 'react';
import { api } from '../../shared/api.ts';
import type { ResponseOf } from '../../../src/http/contract.ts';
import type { patientContracts } from '../../../src/http/contracts/patient-api.ts';
import { Alert, Field, Notice, SubmitButton, useForm } from '../../shared/form.tsx';
import { Page } from '../../shared/page.tsx';
import { Link } from '../../shared/router.ts';
import { appName } from '../types.ts';
import { NewPasswordFields } from './password-fields.tsx';
import { IdentityFields, identityFieldOf, identityOf } from './identity-fields.tsx';

type Requested = ResponseOf<typeof patientContracts.requestPasswordReset>;

/**
 * « Mot de passe oublié » in three screens: the card that proves who one is (NIR and carte Vitale serial), then
 * the code received by e-mail with the new password, then the login to sign in with.
 */
export function ForgottenPasswordPage() {
  const [requested, setRequested] = useState<Requested>();
  const [login, setLogin] = useState<string>();
  if (login) return <PasswordReplaced login={login} />;
  if (requested)
    return <NewPassword requested={requested} onDone={setLogin} restart={() => setRequested(undefined)} />;
  return <Identify onRequested={setRequested} />;
}

function Identify({ onRequested }: { onRequested: (requested: Requested) => void }) {
  const form = useForm(async (values) => {
    const { nir, vitaleSerial } = identityOf(values);
    onRequested(await api<Requested>('POST', '/api/patient/password-reset', { nir, vitaleSerial }));
  }, identityFieldOf);
  return (
    <Page title="Mot de passe oublié" app={appName}>
      <p>
        Pour choisir un nouveau mot de passe, munissez-vous de votre carte Vitale. Un code vous sera envoyé à
        l’adresse électronique de votre compte Mon espace santé.
      </p>
      <form onSubmit={form.onSubmit} noValidate>
        <Alert id={form.errorId} message={form.error} />
        <IdentityFields form={form} withCode={false} />
        <div className="actions">
          <SubmitButton busy={form.busy}>Recevoir un code</SubmitButton>
          <Link href="/connexion">Retour à la connexion</Link>
        </div>
      </form>
    </Page>
  );
}

function newPasswordFieldOf(code: string): string | undefined {
  if (code === 'password-reset-code-invalid') return 'code';
  if (code === 'password-weak') return 'password';
  return undefined;
}

function NewPassword({
  requested,
  onDone,
  restart,
}: {
  requested: Requested;
  onDone: (login: string) => void;
  restart: () => void;
}) {
  const form = useForm(async (values) => {
    if (values.password !== values.passwordConfirm)
      return form.fail('Les deux mots de passe saisis ne sont pas identiques.', 'passwordConfirm');
    const { login } = await api<ResponseOf<typeof patientContracts.confirmPasswordReset>>(
      'POST',
      '/api/patient/password-reset/confirm',
      {
        requestId: requested.requestId,
        code: (values.code ?? '').replace(/\s/g, ''),
        password: values.password,
      },
    );
    onDone(login);
  }, newPasswordFieldOf);
  return (
    <Page title="Choisir un nouveau mot de passe" app={appName}>
      <Notice>{requested.message}</Notice>
      <form onSubmit={form.onSubmit} noValidate>
        <Alert id={form.errorId} message={form.error} />
        <Field
          name="code"
          label="Code reçu par e-mail"
          hint="6 chiffres."
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={12}
          required
          errorId={form.errorFor('code')}
        />
        <NewPasswordFields form={form} name="password" label="Nouveau mot de passe" />
        <div className="actions">
          <SubmitButton busy={form.busy}>Enregistrer le mot de passe</SubmitButton>
          <button type="button" className="link-button" onClick={restart}>
            Demander un nouveau code
          </button>
        </div>
      </form>
      <p>
        Rien reçu ? Vérifiez vos courriers indésirables. Si votre adresse électronique a changé, contactez le
        service d’assistance de Mon espace santé.
      </p>
    </Page>
  );
}

function PasswordReplaced({ login }: { login: string }) {
  return (
    <Page title="Votre mot de passe est modifié" app={appName}>
      <Notice>
        Votre nouveau mot de passe est enregistré. Votre identifiant est <strong>{login}</strong>.
      </Notice>
      <p>
        Par sécurité, les connexions ouvertes sur vos appareils ont été fermées, et les services connectés à
        votre profil vous demanderont à nouveau votre accord. Un e-mail vous confirme ce changement.
      </p>
      <Link className="button" href="/connexion">
        Se connecter
      </Link>
    </Page>
  );
}
