import { useState } from 'react';
import { api, messageOf } from '../../../shared/api.ts';
import { frenchDateTime, useLoad } from '../../../shared/data.ts';
import { Alert, Notice } from '../../../shared/form.tsx';
import { Loading, Page } from '../../../shared/page.tsx';
import { Link } from '../../../shared/router.ts';
import type { SignedInProps } from '../../app.tsx';
import { appName } from '../../types.ts';
import { ProfileSwitcher } from '../profile-switcher.tsx';

import type { ConnectionView as Connection } from '../../../../src/http/contracts/oauth.ts';
import type { ResponseOf } from '../../../../src/http/contract.ts';
import type { oauthContracts } from '../../../../src/http/contracts/oauth.ts';

/** Each connected service: what the patient allowed, what it did lately, and a button to disconnect it. */
export function ConnectedServicesPage(props: SignedInProps) {
  const { profile } = props;
  const path = `/api/patient/record/${encodeURIComponent(profile.id)}/connections`;
  const { state, reload } = useLoad<ResponseOf<typeof oauthContracts.connections>>(path);
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();

  const disconnect = async (connection: Connection) => {
    const name = connection.service.name;
    if (
      !window.confirm(
        `Déconnecter « ${name} » ? Il n’aura plus accès à votre espace santé ; pour l’utiliser de nouveau, il faudra le reconnecter.`,
      )
    )
      return;
    setError(undefined);
    try {
      await api('DELETE', `${path}/${encodeURIComponent(connection.id)}`);
      setNotice(`« ${name} » est déconnecté : il n’a plus accès à votre espace santé.`);
      await reload();
      // Its card, and the button pressed, are gone: start again from the page title.
      document.getElementById('page-title')?.focus();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  return (
    <Page title="Mes services connectés" app={appName}>
      <ProfileSwitcher {...props} />
      <p>
        Les services du <Link href="/catalogue">catalogue</Link> que vous avez connectés à votre espace santé.
      </p>
      {notice && <Notice>{notice}</Notice>}
      <Alert message={error} />
      {state.status === 'loading' && <Loading />}
      {state.status === 'failed' && <Alert message={state.message} />}
      {state.status === 'loaded' && state.data.connections.length === 0 && (
        <p>Aucun service n’est connecté.</p>
      )}
      {state.status === 'loaded' &&
        state.data.connections.map((c) => (
          <section key={c.id} className="card" aria-labelledby={`service-${c.id}`}>
            <h2 id={`service-${c.id}`}>{c.service.name}</h2>
            <p>Connecté le {frenchDateTime(c.connectedAt)}</p>
            <h3>Autorisations</h3>
            <ul>
              {c.purposes.map((p) => (
                <li key={p.code}>{p.label}</li>
              ))}
            </ul>
            <h3>Derniers accès</h3>
            {c.accesses.length === 0 ? (
              <p>Aucun accès pour l’instant.</p>
            ) : (
              <ul>
                {c.accesses.map((a, i) => (
                  <li key={i}>
                    {frenchDateTime(a.at)} : {a.label}
                    {a.outcome === 'denied' ? ' (refusé)' : ''}
                  </li>
                ))}
              </ul>
            )}
            <button type="button" className="button-secondary" onClick={() => void disconnect(c)}>
              Déconnecter {c.service.name}
            </button>
          </section>
        ))}
    </Page>
  );
}
