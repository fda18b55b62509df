import { useState } from 'react';
import { frenchDateTime, useLoad } from '../../../shared/data.ts';
import { Alert } from '../../../shared/form.tsx';
import { Loading, Page } from '../../../shared/page.tsx';
import type { SignedInProps } from '../../app.tsx';
import { appName } from '../../types.ts';
import { ProfileSwitcher } from '../profile-switcher.tsx';
import { RecordNav, recordApi } from './record-nav.tsx';

interface HistoryEntry {
  readonly at: string;
  readonly actorName: string;
  readonly actorProfession: string | null;
  readonly actionLabel: string;
  readonly documentTitle: string | null;
  readonly accessMode: string;
  readonly accessModeLabel: string;
  readonly outcome: string;
  readonly outcomeLabel: string;
  readonly reason: string | null;
}
interface History {
  readonly total: number;
  readonly entries: readonly HistoryEntry[];
}

const pageSize = 50;

/** Who did what in the record, when, in which mode: the patient's reading of the audit trail. */
export function HistoryPage(props: SignedInProps) {
  const [offset, setOffset] = useState(0);
  const { state } = useLoad<History>(recordApi(props.profile, `/history?count=${pageSize}&offset=${offset}`));
  return (
    <Page title="Historique des accès" app={appName}>
      <ProfileSwitcher {...props} />
      <RecordNav current="/dossier-medical/historique" />
      {state.status === 'loading' && <Loading />}
      {state.status === 'failed' && <Alert message={state.message} />}
      {state.status === 'loaded' && state.data.entries.length === 0 && (
        <p className="notice">Aucun accès à votre dossier n'a encore été enregistré.</p>
      )}
      {state.status === 'loaded' && state.data.entries.length > 0 && (
        <>
          <div className="table-scroll">
            <table className="history">
              <caption>{state.data.total} action(s) enregistrée(s), les plus récentes d'abord</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Qui</th>
                  <th scope="col">Action</th>
                  <th scope="col">Document</th>
                  <th scope="col">Mode d'accès</th>
                  <th scope="col">Résultat</th>
                </tr>
              </thead>
              <tbody>
                {state.data.entries.map((e, i) => (
                  <tr
                    key={i}
                    className={
                      e.accessMode === 'bris-de-glace' || e.accessMode === 'centre-de-regulation'
                        ? 'emergency-row'
                        : undefined
                    }
                  >
                    <td>{frenchDateTime(e.at)}</td>
                    <td>
                      {e.actorName}
                      {e.actorProfession && <span className="hint block">{e.actorProfession}</span>}
                    </td>
                    <td>{e.actionLabel}</td>
                    <td>{e.documentTitle ?? '—'}</td>
                    <td>
                      {e.accessModeLabel}
                      {e.reason && <span className="hint block">Motif : {e.reason}</span>}
                    </td>
                    <td>{e.outcomeLabel}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="actions">
            {offset > 0 && (
              <button
                type="button"
                className="button-secondary"
                onClick={() => setOffset(Math.max(offset - pageSize, 0))}
              >
                Plus récents
              </button>
            )}
            {offset + pageSize < state.data.total && (
              <button type="button" className="button-secondary" onClick={() => setOffset(offset + pageSize)}>
                Plus anciens
              </button>
            )}
          </div>
        </>
      )}
    </Page>
  );
}
