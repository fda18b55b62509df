import { useState, type FormEvent } from 'react';
import { api, messageOf } from '../../../shared/api.ts';
import { useLoad } from '../../../shared/data.ts';
import { Alert } from '../../../shared/form.tsx';
import { Loading, Page } from '../../../shared/page.tsx';
import type { SignedInProps } from '../../app.tsx';
import { appName } from '../../types.ts';

import type { ConsentScreen, oauthContracts } from '../../../../src/http/contracts/oauth.ts';
import type { BodyOf, ResponseOf } from '../../../../src/http/contract.ts';

type Decision = typeof oauthContracts.decision;

/**
 * The patient decides what a service may do, purpose by purpose (none ticked in advance), and for which
 * profile; then the browser goes back to the service with a code or a refusal.
 */
export function ConsentPage({ query, profile }: SignedInProps & { query: URLSearchParams }) {
  const oauthQuery = Object.fromEntries(query.entries());
  const { state } = useLoad<ConsentScreen>(`/api/patient/oauth/request?${query.toString()}`);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const answer = async (approve: boolean, form?: HTMLFormElement) => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      const data = form ? new FormData(form) : undefined;
      const decision: BodyOf<Decision> = {
        query: oauthQuery,
        approve,
        patientId: (data?.get('profil') as string | null) ?? profile.id,
        purposes: data ? data.getAll('finalite').map(String) : [],
      };
      const { redirectTo } = await api<ResponseOf<Decision>>('POST', '/api/patient/oauth/decision', decision);
      window.location.assign(redirectTo);
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void answer(true, event.currentTarget);
  };

  if (state.status === 'loading') return <Loading />;
  if (state.status === 'failed')
    return (
      <Page title="Connexion d’un service impossible" app={appName}>
        <Alert message={state.message} />
      </Page>
    );
  const { service, purposes, profiles } = state.data;
  return (
    <Page title={`Connecter «\u00a0${service.name}\u00a0»`} app={appName}>
      <p>
        <strong>{service.name}</strong>, édité par {service.editor}, demande l’accès à votre espace santé.{' '}
        {service.summary}
      </p>
      <form onSubmit={onSubmit} aria-describedby={error ? 'consent-error' : undefined}>
        {error && <Alert id="consent-error" message={error} />}
        <fieldset>
          <legend>Ce que vous autorisez (cochez chaque autorisation que vous acceptez)</legend>
          {purposes.map((p) => (
            <label className="choice" key={p.code}>
              <input type="checkbox" name="finalite" value={p.code} />
              <span>{p.label}</span>
            </label>
          ))}
        </fieldset>
        {profiles.length > 1 && (
          <fieldset>
            <legend>Pour quel profil ?</legend>
            {profiles.map((p) => (
              <label className="choice" key={p.id}>
                <input type="radio" name="profil" value={p.id} defaultChecked={p.id === profile.id} />
                <span>{p.self ? `${p.name} (vous)` : p.name}</span>
              </label>
            ))}
          </fieldset>
        )}
        {profiles.length === 1 && <input type="hidden" name="profil" value={profiles[0]!.id} />}
        {service.dataExchanged.length > 0 && (
          <>
            <h2>Données échangées</h2>
            <ul>
              {service.dataExchanged.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          </>
        )}
        <p className="hint">
          Vous pourrez déconnecter ce service à tout moment depuis « Mes services connectés » ; il perdra
          alors immédiatement tout accès.
        </p>
        <div className="actions">
          <button type="submit" className="button" aria-disabled={busy || undefined}>
            Autoriser
          </button>
          <button
            type="button"
            className="button-secondary"
            aria-disabled={busy || undefined}
            onClick={() => void answer(false)}
          >
            Refuser
          </button>
        </div>
      </form>
    </Page>
  );
}
