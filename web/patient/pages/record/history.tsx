import { useEffect, useRef, useState } from 'react';
import { frenchDateTime, useLoad } from '../../../shared/data.ts';
import { Alert, OptionalMark } from '../../../shared/form.tsx';
import { Loading, Page } from '../../../shared/page.tsx';
import type { SignedInProps } from '../../app.tsx';
import { appName } from '../../types.ts';
import { ProfileSwitcher } from '../profile-switcher.tsx';
import { RecordNav, recordApi } from './record-nav.tsx';
// The history as the API gives it, every label already in French.
import type {
  AccessHistoryView as History,
  HistoryEntryView as HistoryEntry,
} from '../../../../src/http/contracts/record-api.ts';

interface HistoryFilter {
  readonly who: string;
  readonly kind: string;
  readonly from: string;
  readonly to: string;
  readonly own: boolean;
}

const emptyFilter: HistoryFilter = { who: '', kind: '', from: '', to: '', own: false };
const pageSize = 50;

/** The filters as the server takes them (the PDF takes the same, without paging). */
function filterQuery(filter: HistoryFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.who) params.set('who', filter.who);
  if (filter.kind) params.set('kind', filter.kind);
  if (filter.from) params.set('from', filter.from);
  if (filter.to) params.set('to', filter.to);
  if (!filter.who && filter.own) params.set('own', 'true');
  return params;
}

function pageQuery(filter: HistoryFilter, offset: number): string {
  const params = filterQuery(filter);
  params.set('count', String(pageSize));
  params.set('offset', String(offset));
  return `?${params.toString()}`;
}

const filtered = (filter: HistoryFilter) => Boolean(filter.who || filter.kind || filter.from || filter.to);

function HistoryFilters({
  history,
  filter,
  onChange,
  pdfUrl,
}: {
  history: History;
  filter: HistoryFilter;
  onChange: (filter: HistoryFilter) => void;
  pdfUrl: string;
}) {
  const professionals = history.actors.filter((a) => a.kind === 'professional');
  const apps = history.actors.filter((a) => a.kind === 'app');
  return (
    <form className="history-filters" aria-label="Filtrer l’historique" onSubmit={(e) => e.preventDefault()}>
      <div className="field">
        <label htmlFor="history-who">Qui</label>
        <select
          id="history-who"
          value={filter.who}
          onChange={(e) => onChange({ ...filter, who: e.target.value })}
        >
          <option value="">Tous les professionnels et services</option>
          <option value="professionals">Les professionnels de santé</option>
          <option value="apps">Les services connectés</option>
          {professionals.length > 0 && (
            <optgroup label="Un professionnel de santé">
              {professionals.map((p) => (
                <option key={p.value} value={p.value}>
                  {p.profession ? `${p.name} (${p.profession})` : p.name}
                </option>
              ))}
            </optgroup>
          )}
          {apps.length > 0 && (
            <optgroup label="Un service connecté">
              {apps.map((a) => (
                <option key={a.value} value={a.value}>
                  {a.name}
                </option>
              ))}
            </optgroup>
          )}
          <option value="me">Moi seulement (mes propres actions)</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="history-kind">Type d’action</label>
        <select
          id="history-kind"
          value={filter.kind}
          onChange={(e) => onChange({ ...filter, kind: e.target.value })}
        >
          <option value="">Toutes les actions</option>
          {history.kinds.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="history-from">
          Du
          <OptionalMark />
        </label>
        <input
          id="history-from"
          type="date"
          value={filter.from}
          max={filter.to || undefined}
          onChange={(e) => onChange({ ...filter, from: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor="history-to">
          Au
          <OptionalMark />
        </label>
        <input
          id="history-to"
          type="date"
          value={filter.to}
          min={filter.from || undefined}
          onChange={(e) => onChange({ ...filter, to: e.target.value })}
        />
      </div>
      {!filter.who && (
        <div className="choice history-own">
          <input
            id="history-own"
            type="checkbox"
            checked={filter.own}
            onChange={(e) => onChange({ ...filter, own: e.target.checked })}
          />
          <label htmlFor="history-own">Afficher aussi mes propres actions</label>
        </div>
      )}
      <div className="actions history-actions">
        <a className="button-secondary" href={pdfUrl} download>
          Télécharger en PDF
        </a>
        {(filtered(filter) || filter.own) && (
          <button type="button" className="button-secondary" onClick={() => onChange(emptyFilter)}>
            Effacer les filtres
          </button>
        )}
      </div>
    </form>
  );
}

function FirstAccessBadge() {
  return <span className="badge badge-first-access">Premier accès</span>;
}

/** Who, with what they are (a profession, « Service connecté »…). */
function Who({ entry }: { entry: HistoryEntry }) {
  return (
    <>
      <strong>{entry.actorName}</strong>
      {entry.actorRole && <span className="hint block">{entry.actorRole}</span>}
    </>
  );
}

/** On a phone: one card per action, the first access of a professional set apart. */
function HistoryCards({ entries }: { entries: readonly HistoryEntry[] }) {
  return (
    <ol className="history-cards" aria-label="Actions enregistrées">
      {entries.map((e, i) => (
        <li
          key={i}
          className={[
            'card history-card',
            e.firstAccess ? 'history-first' : '',
            e.emergency ? 'history-emergency' : '',
          ]
            .filter(Boolean)
            .join(' ')}
        >
          <p className="history-card-top">
            <span>{frenchDateTime(e.at)}</span>
            {e.firstAccess && <FirstAccessBadge />}
          </p>
          <p className="history-card-who">
            <Who entry={e} />
          </p>
          <p className="history-card-action">
            {e.actionLabel}
            {e.documentTitle && <span className="block">« {e.documentTitle} »</span>}
          </p>
          <p className="hint">
            {e.accessModeLabel}
            {' · '}
            {e.outcome === 'success' ? (
              e.outcomeLabel
            ) : (
              <span className="badge badge-blocked">{e.outcomeLabel}</span>
            )}
          </p>
          {e.reason && <p className="hint">Motif indiqué : {e.reason}</p>}
        </li>
      ))}
    </ol>
  );
}

/** On a wide screen: the same actions as a table. */
function HistoryTable({ entries, caption }: { entries: readonly HistoryEntry[]; caption: string }) {
  return (
    <table className="history history-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Date</th>
          <th scope="col">Qui</th>
          <th scope="col">Action</th>
          <th scope="col">Document</th>
          <th scope="col">Mode d’accès</th>
          <th scope="col">Résultat</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e, i) => (
          <tr
            key={i}
            className={
              [e.emergency ? 'emergency-row' : '', e.firstAccess ? 'history-first' : '']
                .filter(Boolean)
                .join(' ') || undefined
            }
          >
            <td>{frenchDateTime(e.at)}</td>
            <td>
              <Who entry={e} />
              {e.firstAccess && <FirstAccessBadge />}
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
  );
}

/**
 * « Qui a consulté mon dossier » (docs/features.md, "Home and access history"): the professionals' and services'
 * accesses by default, the patient's own actions on request, each professional's first access set apart, filtered on
 * the server and downloadable as a PDF.
 */
export function HistoryPage(props: SignedInProps) {
  const [filter, setFilter] = useState<HistoryFilter>(emptyFilter);
  const [offset, setOffset] = useState(0);
  const { state } = useLoad<History>(recordApi(props.profile, `/history${pageQuery(filter, offset)}`));
  // Keep the last answer on screen while the next loads: the filters keep their focus. The filter it answered is
  // kept with it, so that the count line never words an old answer as the new filter's.
  const [answer, setAnswer] = useState<{ data: History; filter: HistoryFilter }>();
  useEffect(() => {
    if (state.status === 'loaded') setAnswer({ data: state.data, filter });
    // `filter` is the one `state` was loaded for: it changes before the next load starts.
  }, [state]);
  const shown = answer?.data;
  // After « Plus anciens » or « Plus récents », the keyboard and the screen go to the top of the new page.
  const count = useRef<HTMLParagraphElement>(null);
  const paged = useRef(false);
  useEffect(() => {
    if (!paged.current || state.status !== 'loaded') return;
    paged.current = false;
    count.current?.focus();
    count.current?.scrollIntoView({ block: 'start' });
  }, [state]);
  const page = (next: number) => {
    paged.current = true;
    setOffset(next);
  };
  const choose = (next: HistoryFilter) => {
    setFilter(next);
    setOffset(0);
  };
  const query = filterQuery(filter).toString();
  const pdfUrl = recordApi(props.profile, `/history.pdf${query ? `?${query}` : ''}`);
  const caption = answer
    ? `${answer.data.total} action(s) ${filtered(answer.filter) ? 'correspondent à votre choix' : 'enregistrée(s)'}, les plus récentes d’abord`
    : '';
  return (
    <Page title="Historique des accès" app={appName}>
      <ProfileSwitcher {...props} />
      <RecordNav current="/dossier-medical/historique" />
      <p className="lead">
        Qui a consulté votre dossier, quand et pour quoi faire. Sont affichés les professionnels de santé et
        les services connectés ; vos propres actions n’apparaissent que si vous le demandez.
      </p>
      {state.status === 'loading' && !shown && <Loading />}
      {state.status === 'failed' && <Alert message={state.message} />}
      {shown && (
        <>
          <HistoryFilters history={shown} filter={filter} onChange={choose} pdfUrl={pdfUrl} />
          <p className="history-count" ref={count} tabIndex={-1} role="status">
            {caption}
          </p>
          {shown.total === 0 ? (
            <p className="notice">
              {filtered(answer!.filter) || answer!.filter.own
                ? 'Aucune action ne correspond à ces critères.'
                : 'Aucun professionnel ni service n’a encore accédé à votre dossier.'}
            </p>
          ) : (
            <>
              <HistoryCards entries={shown.entries} />
              <div className="table-scroll history-wide">
                <HistoryTable entries={shown.entries} caption={caption} />
              </div>
              <div className="actions">
                {offset > 0 && (
                  <button
                    type="button"
                    className="button-secondary"
                    onClick={() => page(Math.max(offset - pageSize, 0))}
                  >
                    Plus récents
                  </button>
                )}
                {offset + pageSize < shown.total && (
                  <button type="button" className="button-secondary" onClick={() => page(offset + pageSize)}>
                    Plus anciens
                  </button>
                )}
              </div>
            </>
          )}
        </>
      )}
    </Page>
  );
}
