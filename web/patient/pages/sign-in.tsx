import { useState } from 'react';
import { api } from '../../shared/api.ts';
import { Alert, Field, SubmitButton, useForm } from '../../shared/form.tsx';
import { compact } from '../../shared/format.ts';
import { Page } from '../../shared/page.tsx';
import { Link, navigate } from '../../shared/router.ts';
import { appName } from '../types.ts';
import { takeDestination } from '../session.ts';

interface Challenge {
  readonly challengeId: string;
  readonly sentTo: string;
}

/** Sign-in: login and password, then the one-time code sent by e-mail. */
export function SignInPage({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const [challenge, setChallenge] = useState<Challenge>();
  if (challenge)
    return (
      <OneTimeCode challenge={challenge} onSignedIn={onSignedIn} restart={() => setChallenge(undefined)} />
    );
  return <Credentials onChallenge={setChallenge} />;
}

function Credentials({ onChallenge }: { onChallenge: (challenge: Challenge) => void }) {
  const form = useForm(async (values) => {
    onChallenge(
      await api<Challenge>('POST', '/api/patient/session', {
        login: (values.login ?? '').trim(),
        password: values.password,
      }),
    );
  });
  return (
    <Page title="Se connecter" app={appName}>
      <form onSubmit={form.onSubmit} noValidate>
        <Alert id={form.errorId} message={form.error} />
        <Field name="login" label="Identifiant" autoComplete="username" spellCheck={false} required />
        <Field
          name="password"
          type="password"
          label="Mot de passe"
          autoComplete="current-password"
          required
        />
        <div className="actions">
          <SubmitButton busy={form.busy}>Se connecter</SubmitButton>
        </div>
      </form>
      <p>
        Pas encore de compte ? <Link href="/activation">Activer mon profil</Link>
      </p>
    </Page>
  );
}

function OneTimeCode({
  challenge,
  onSignedIn,
  restart,
}: {
  challenge: Challenge;
  onSignedIn: () => Promise<void>;
  restart: () => void;
}) {
  const form = useForm(
    async (values) => {
      await api('POST', '/api/patient/session/otp', {
        challengeId: challenge.challengeId,
        code: compact(values.code ?? ''),
      });
      await onSignedIn();
      navigate(takeDestination() ?? '/accueil');
    },
    (code) => (code.startsWith('otp') ? 'code' : undefined),
  );
  return (
    <Page title="Code de connexion" app={appName}>
      <p>
        Pour confirmer qu'il s'agit bien de vous, un code à usage unique vient d'être envoyé à l'adresse{' '}
        <strong>{challenge.sentTo}</strong>. Il est valable 10 minutes.
      </p>
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
        <div className="actions">
          <SubmitButton busy={form.busy}>Valider</SubmitButton>
          <button type="button" className="link-button" onClick={restart}>
            Recommencer la connexion
          </button>
        </div>
      </form>
    </Page>
  );
}
