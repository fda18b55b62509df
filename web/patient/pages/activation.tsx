import { NewPasswordFields } from './password-fields.tsx';
import { useState } from 'react';
import { api } from '../../shared/api.ts';
import type { ResponseOf } from '../../../src/http/contract.ts';
import type { patientContracts } from '../../../src/http/contracts/patient-api.ts';
import { Alert, Field, SubmitButton, useForm } from '../../shared/form.tsx';
import { Page } from '../../shared/page.tsx';
import { Link } from '../../shared/router.ts';
import { appName } from '../types.ts';
import { IdentityFields, identityFieldOf, identityOf } from './identity-fields.tsx';

type Verified = ResponseOf<typeof patientContracts.verifyActivation>;

/** Activation in two steps: prove who one is with the letter, then choose one's login and password. */
export function ActivationPage() {
  const [verified, setVerified] = useState<Verified>();
  const [login, setLogin] = useState<string>();
  if (login) return <Activated login={login} />;
  if (verified) return <ChooseCredentials verified={verified} onDone={setLogin} />;
  return <VerifyIdentity onVerified={setVerified} />;
}

function VerifyIdentity({ onVerified }: { onVerified: (verified: Verified) => void }) {
  const form = useForm(async (values) => {
    onVerified(await api<Verified>('POST', '/api/patient/activation/verify', identityOf(values)));
  }, identityFieldOf);
  return (
    <Page title="Activer mon profil" app={appName}>
      <p>Étape 1 sur 2 : vérification de votre identité.</p>
      <form onSubmit={form.onSubmit} noValidate>
        <Alert id={form.errorId} message={form.error} />
        <IdentityFields form={form} withCode />
        <div className="actions">
          <SubmitButton busy={form.busy}>Continuer</SubmitButton>
          <Link href="/activation/nouveau-code">Recevoir un nouveau code</Link>
        </div>
      </form>
    </Page>
  );
}

function credentialFieldOf(code: string): string | undefined {
  if (code === 'login-taken') return 'login';
  if (code === 'password-weak') return 'password';
  return undefined;
}

function ChooseCredentials({ verified, onDone }: { verified: Verified; onDone: (login: string) => void }) {
  const form = useForm(async (values) => {
    if (values.password !== values.passwordConfirm)
      return form.fail('Les deux mots de passe saisis ne sont pas identiques.', 'passwordConfirm');
    const { login } = await api<ResponseOf<typeof patientContracts.completeActivation>>(
      'POST',
      '/api/patient/activation/complete',
      {
        ticket: verified.ticket,
        login: (values.login ?? '').trim(),
        password: values.password,
      },
    );
    onDone(login);
  }, credentialFieldOf);
  const { firstName, lastName } = verified.person;
  return (
    <Page title="Choisir mes identifiants" app={appName}>
      <p>
        Étape 2 sur 2. Bonjour {firstName} {lastName}, choisissez l’identifiant et le mot de passe qui vous
        serviront à vous connecter.
      </p>
      <form onSubmit={form.onSubmit} noValidate>
        <Alert id={form.errorId} message={form.error} />
        <Field
          name="login"
          label="Identifiant"
          hint="Lettres, chiffres, points ou tirets ; une adresse e-mail convient aussi."
          autoComplete="username"
          spellCheck={false}
          required
          errorId={form.errorFor('login')}
        />
        <NewPasswordFields form={form} name="password" label="Mot de passe" />
        <div className="actions">
          <SubmitButton busy={form.busy}>Activer mon profil</SubmitButton>
        </div>
      </form>
    </Page>
  );
}

function Activated({ login }: { login: string }) {
  return (
    <Page title="Votre profil est activé" app={appName}>
      <div role="status" className="notice">
        Votre profil Mon espace santé est activé. Votre identifiant est <strong>{login}</strong>.
      </div>
      <p>
        À chaque connexion, un code à usage unique vous sera envoyé par e-mail pour confirmer qu’il s’agit
        bien de vous.
      </p>
      <Link className="button" href="/connexion">
        Se connecter
      </Link>
    </Page>
  );
}
