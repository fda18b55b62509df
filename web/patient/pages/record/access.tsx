import { AdministratorHelp } from './administrator-help.tsx';
import { useState } from 'react';
import { api, messageOf } from '../../../shared/api.ts';
import { frenchDateTime, useLoad } from '../../../shared/data.ts';
import { Alert } from '../../../shared/form.tsx';
import { Loading, Page } from '../../../shared/page.tsx';
import type { SignedInProps } from '../../app.tsx';
import { appName } from '../../types.ts';
import { ProfileSwitcher } from '../profile-switcher.tsx';
import { RecordNav, recordApi } from './record-nav.tsx';

import type {
  RecordProfessionalView as ProfessionalRow,
  patientRecordContracts,
  RecordSettingsView as SettingsAnswer,
  SettingKey,
} from '../../../../src/http/contracts/record-api.ts';
import type { ResponseOf } from '../../../../src/http/contract.ts';

/** "Qui peut voir mon dossier": emergency opt-ins, masking, and the professionals who came to the record. */
export function AccessPage(props: SignedInProps) {
  return (
    <Page title="Qui peut voir mon dossier" app={appName}>
      <ProfileSwitcher {...props} />
      <RecordNav current="/dossier-medical/acces" />
      <Settings base={recordApi(props.profile, '')} />
      <MaskAll base={recordApi(props.profile, '')} />
      <Professionals base={recordApi(props.profile, '')} />
    </Page>
  );
}

function Settings({ base }: { base: string }) {
  const { state } = useLoad<SettingsAnswer>(`${base}/settings`);
  const [current, setCurrent] = useState<SettingsAnswer>();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'failed') return <Alert message={state.message} />;
  const answer = current ?? state.data;
  const change = (key: SettingKey, value: boolean) => {
    setMessage(undefined);
    api<SettingsAnswer>('PUT', `${base}/settings`, { [key]: value })
      .then((next) => {
        setCurrent(next);
        setMessage({ ok: true, text: 'Votre choix est enregistré.' });
      })
      .catch((error: unknown) => setMessage({ ok: false, text: messageOf(error) }));
  };
  const keys = Object.keys(answer.labels) as SettingKey[];
  return (
    <section className="card" aria-labelledby="settings-title">
      <h2 id="settings-title">Mes choix d’accès</h2>
      <Alert message={message && !message.ok ? message.text : undefined} />
      <div role="status">{message?.ok && <p className="success">{message.text}</p>}</div>
      {keys.map((key) => (
        <label key={key} className="choice">
          <input
            type="checkbox"
            checked={answer.settings[key]}
            onChange={(e) => change(key, e.target.checked)}
          />
          <span>
            {answer.labels[key].label}
            <span className="hint block">{answer.labels[key].hint}</span>
          </span>
        </label>
      ))}
    </section>
  );
}

function MaskAll({ base }: { base: string }) {
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string }>();
  const maskAll = () => {
    setConfirming(false);
    api<ResponseOf<typeof patientRecordContracts.maskAll>>('POST', `${base}/mask-all`)
      .then(({ masked }) =>
        setResult({
          ok: true,
          text:
            masked === 0 ? 'Tous vos documents étaient déjà masqués.' : `${masked} document(s) masqué(s).`,
        }),
      )
      .catch((error: unknown) => setResult({ ok: false, text: messageOf(error) }));
  };
  return (
    <section className="card" aria-labelledby="mask-all-title">
      <h2 id="mask-all-title">Masquer tous mes documents</h2>
      <p className="hint">
        Les documents masqués restent visibles par vous, par leur auteur et par vos médecins administrateurs.
      </p>
      <Alert message={result && !result.ok ? result.text : undefined} />
      <div role="status">{result?.ok && <p className="success">{result.text}</p>}</div>
      {confirming ? (
        <div className="actions">
          <button type="button" className="button-danger" onClick={maskAll}>
            Oui, masquer tous mes documents
          </button>
          <button type="button" className="button-secondary" onClick={() => setConfirming(false)}>
            Annuler
          </button>
        </div>
      ) : (
        <button type="button" className="button-secondary" onClick={() => setConfirming(true)}>
          Masquer tous mes documents
        </button>
      )}
    </section>
  );
}

const statusBadges = {
  authorised: <span className="badge">Autorisé</span>,
  blocked: <span className="badge badge-blocked">Bloqué</span>,
  administrateur: <span className="badge badge-admin">Administrateur</span>,
} as const;

function Professionals({ base }: { base: string }) {
  const { state, reload } = useLoad<ResponseOf<typeof patientRecordContracts.professionals>>(
    `${base}/professionals`,
  );
  const [error, setError] = useState<string>();
  const act = (p: ProfessionalRow, action: string) => {
    setError(undefined);
    api('POST', `${base}/professionals/${encodeURIComponent(p.nationalId)}/${action}`)
      .then(() => reload())
      .catch((caught: unknown) => setError(messageOf(caught)));
  };
  return (
    <section aria-labelledby="pros-title">
      <h2 id="pros-title">Professionnels ayant accès à mon dossier</h2>
      <AdministratorHelp />
      <Alert message={error ?? (state.status === 'failed' ? state.message : undefined)} />
      {state.status === 'loading' && <Loading />}
      {state.status === 'loaded' && state.data.professionals.length === 0 && (
        <p className="notice">Aucun professionnel n’a encore consulté ni alimenté votre dossier.</p>
      )}
      {state.status === 'loaded' && (
        <ul className="document-list">
          {state.data.professionals.map((p) => (
            <li key={p.nationalId} className="card professional-item" aria-label={p.name}>
              <h3>{p.name}</h3>
              <p className="hint">{p.profession}</p>
              <p>{statusBadges[p.status]}</p>
              <p className="hint">
                {p.firstAccessAt ? `Premier accès le ${frenchDateTime(p.firstAccessAt)}` : 'Aucun accès'}
                {p.lastAccessAt && ` · dernier accès le ${frenchDateTime(p.lastAccessAt)}`}
              </p>
              <div className="actions">
                {p.status === 'blocked' ? (
                  <button type="button" className="button-secondary" onClick={() => act(p, 'unblock')}>
                    Débloquer {p.name}
                  </button>
                ) : (
                  <button type="button" className="button-danger" onClick={() => act(p, 'block')}>
                    Bloquer {p.name}
                  </button>
                )}
                {p.status === 'administrateur' ? (
                  <button
                    type="button"
                    className="button-secondary"
                    onClick={() => act(p, 'remove-administrator')}
                  >
                    Retirer le rôle d’administrateur à {p.name}
                  </button>
                ) : (
                  p.status === 'authorised' && (
                    <button
                      type="button"
                      className="button-secondary"
                      onClick={() => act(p, 'administrator')}
                    >
                      Nommer {p.name} administrateur
                    </button>
                  )
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
