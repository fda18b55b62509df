import { useEffect, useState } from 'react';
import { api, ApiError } from '../../shared/api.ts';
import { Alert, Field, Notice, SubmitButton, useForm } from '../../shared/form.tsx';
import { compact } from '../../shared/format.ts';
import { Page } from '../../shared/page.tsx';
import { Link, navigate } from '../../shared/router.ts';
import { appName } from '../types.ts';
import { takeDestination } from '../session.ts';
import type { SignInChallenge as Challenge } from '../../../src/http/contracts/patient-api.ts';

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
          <Link href="/mot-de-passe-oublie">Mot de passe oublié ?</Link>
        </div>
      </form>
      <p>
        Pas encore de compte ? <Link href="/activation">Activer mon profil</Link>
      </p>
    </Page>
  );
}

/** Whole seconds left until `until` (a `Date.now()` instant), counted down once a second. */
function useSecondsUntil(until: number): number {
  const [seconds, setSeconds] = useState(() => secondsUntil(until));
  useEffect(() => {
    setSeconds(secondsUntil(until));
    const timer = window.setInterval(() => {
      const left = secondsUntil(until);
      setSeconds(left);
      if (left === 0) window.clearInterval(timer);
    }, 1000);
    return () => window.clearInterval(timer);
  }, [until]);
  return seconds;
}

const secondsUntil = (until: number) => Math.max(0, Math.ceil((until - Date.now()) / 1000));

function OneTimeCode({
  challenge: first,
  onSignedIn,
  restart,
}: {
  challenge: Challenge;
  onSignedIn: () => Promise<void>;
  restart: () => void;
}) {
  const [challenge, setChallenge] = useState(first);
  const [resendAt, setResendAt] = useState(() => Date.now() + first.resendInSeconds * 1000);
  const [resent, setResent] = useState(false);
  const [resending, setResending] = useState(false);
  const wait = useSecondsUntil(resendAt);
  const form = useForm(
    async (values) => {
      await api('POST', '/api/patient/session/otp', {
        challengeId: challenge.challengeId,
        code: compact(values.code ?? ''),
      });
      await onSignedIn();
      navigate(takeDestination() ?? '/accueil');
    },
    (code) => (code.startsWith('otp') && !code.startsWith('otp-resend') ? 'code' : undefined),
  );
  const unavailable = wait > 0 || resending || challenge.resendsLeft === 0;
  const resend = () => {
    if (unavailable) return;
    setResending(true);
    api<Challenge>('POST', '/api/patient/session/otp/resend', { challengeId: challenge.challengeId })
      .then((next) => {
        setChallenge(next);
        setResendAt(Date.now() + next.resendInSeconds * 1000);
        setResent(true);
        const field = document.querySelector<HTMLInputElement>('input[name="code"]');
        if (field) field.value = '';
      })
      .catch((error: unknown) => {
        setResent(false);
        form.fail(error instanceof ApiError ? error.message : 'Le code n’a pas pu être renvoyé. Réessayez.');
      })
      .finally(() => setResending(false));
  };
  return (
    <Page title="Code de connexion" app={appName}>
      <p>
        Pour confirmer qu’il s’agit bien de vous, un code à usage unique vient d’être envoyé à l’adresse{' '}
        <strong>{challenge.sentTo}</strong>. Il est valable 10 minutes.
      </p>
      {resent && (
        <Notice>
          Un nouveau code vient d’être envoyé à l’adresse {challenge.sentTo}. Le code précédent ne fonctionne
          plus.
        </Notice>
      )}
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
          {challenge.resendsLeft > 0 && (
            // Not `disabled`: the focus stays on the button while it counts down (see SubmitButton).
            <button
              type="button"
              className="link-button"
              onClick={resend}
              aria-disabled={unavailable || undefined}
            >
              {wait > 0 ? `Renvoyer le code (dans ${wait} s)` : 'Renvoyer le code'}
            </button>
          )}
          <button type="button" className="link-button" onClick={restart}>
            Recommencer la connexion
          </button>
        </div>
        {challenge.resendsLeft === 0 && (
          <p className="hint">
            Vous ne pouvez plus demander de nouveau code : si vous ne l’avez pas reçu, recommencez la
            connexion.
          </p>
        )}
      </form>
    </Page>
  );
}
