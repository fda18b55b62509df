import { Fragment, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api } from '../../../shared/api.ts';
import { latestLoader, type Loaded } from '../../../shared/data.ts';
import { frenchDate } from '../../../shared/format.ts';
import { MaskedBadge } from '../../../shared/record-documents.tsx';
import type { ProDocumentList, RecordDocumentView } from '../../../shared/record-types.ts';
import { Link, navigate, useRoute } from '../../../shared/router.ts';

/** Rows a page shows: a few screens, whatever the record's size. */
export const PAGE_SIZE = 50;
/** Typing waits this long after the last key before searching: results follow the typing, not each key. */
const TYPING_DELAY_MS = 200;

/** The search and filters, as the page's address carries them (back, forward and a shared link restore them). */
export interface RecordFilters {
  readonly q: string;
  readonly class: string;
  readonly type: string;
  readonly author: string;
  readonly facility: string;
  readonly from: string;
  readonly to: string;
  readonly unread: boolean;
  readonly sinceLastVisit: boolean;
  readonly page: number;
  /** The page as a table (default) or as a timeline by month. */
  readonly timeline: boolean;
}

const filterKeys = ['q', 'class', 'type', 'author', 'facility', 'from', 'to'] as const;

export function filtersOf(query: URLSearchParams): RecordFilters {
  const page = Number(query.get('page') ?? '1');
  return {
    q: query.get('q') ?? '',
    class: query.get('class') ?? '',
    type: query.get('type') ?? '',
    author: query.get('author') ?? '',
    facility: query.get('facility') ?? '',
    from: query.get('from') ?? '',
    to: query.get('to') ?? '',
    unread: query.get('unread') === '1',
    sinceLastVisit: query.get('since') === 'last-visit',
    page: Number.isInteger(page) && page > 0 ? page : 1,
    timeline: query.get('vue') === 'chronologie',
  };
}

/** The filters written into `query` (the page's other parameters, patient and INS, are kept). */
function withFilters(query: URLSearchParams, f: RecordFilters): URLSearchParams {
  const next = new URLSearchParams(query);
  for (const key of [...filterKeys, 'unread', 'since', 'page', 'vue']) next.delete(key);
  for (const key of filterKeys) if (f[key].trim()) next.set(key, f[key].trim());
  if (f.unread) next.set('unread', '1');
  if (f.sinceLastVisit) next.set('since', 'last-visit');
  if (f.page > 1) next.set('page', String(f.page));
  if (f.timeline) next.set('vue', 'chronologie');
  return next;
}

const noFilter: Omit<RecordFilters, 'page' | 'timeline'> = {
  q: '',
  class: '',
  type: '',
  author: '',
  facility: '',
  from: '',
  to: '',
  unread: false,
  sinceLastVisit: false,
};

export const hasFilters = (f: RecordFilters) =>
  filterKeys.some((key) => f[key].trim() !== '') || f.unread || f.sinceLastVisit;

/** The filters set besides the search box (a period counts once). */
const activeFilters = (f: RecordFilters) =>
  (['class', 'type', 'author', 'facility'] as const).filter((key) => f[key] !== '').length +
  (f.from || f.to ? 1 : 0) +
  (f.unread ? 1 : 0) +
  (f.sinceLastVisit ? 1 : 0);

/** The API's address for these filters: the list view, one page. */
export function documentsPath(base: string, f: RecordFilters): string {
  const query = withFilters(new URLSearchParams(), { ...f, page: 1, timeline: false });
  query.set('view', 'list');
  query.set('count', String(PAGE_SIZE));
  query.set('offset', String((f.page - 1) * PAGE_SIZE));
  return `${base}?${query.toString()}`;
}

/** The day `months` months before today (YYYY-MM-DD, local time). */
function monthsAgo(months: number, today = new Date()): string {
  const d = new Date(today.getFullYear(), today.getMonth() - months, today.getDate());
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Compared as the server compares words: lower case, no accents, ligatures spelt out. */
export function searchable(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/œ/g, 'oe').replace(/æ/g, 'ae');
}

/** `text` with each word that starts with one of `words` (as compared by the server) in a <mark>. */
export function Highlighted({ text, words }: { text: string; words: readonly string[] }): ReactNode {
  if (words.length === 0) return text;
  const parts = text.split(/([\p{L}\p{N}]+)/u);
  return parts.map((part, i) =>
    i % 2 === 1 && words.some((w) => searchable(part).startsWith(w)) ? (
      <mark key={i}>{part}</mark>
    ) : (
      <Fragment key={i}>{part}</Fragment>
    ),
  );
}

/**
 * The record's documents as a busy doctor looks for one: a search box and filters kept in the page's address,
 * newest first, 50 to a page, matched words highlighted. The previous answer stays on screen while the next one
 * comes, so typing never blanks the list.
 */
export function useRecordDocuments(base: string): {
  filters: RecordFilters;
  state: Loaded<ProDocumentList>;
  refreshing: boolean;
  reload: () => Promise<void>;
  change: (next: Partial<RecordFilters>, options?: { replace?: boolean }) => void;
} {
  const route = useRoute();
  const search = route.query.toString();
  const filters = useMemo(() => filtersOf(new URLSearchParams(search)), [search]);
  const path = documentsPath(base, filters);
  const [state, setState] = useState<Loaded<ProDocumentList>>({ status: 'loading' });
  // The address of the answer on screen: any other means the list is being refreshed, from the very render that
  // changed the filters (a person, or a test, never reads the old list as the new one).
  const [shownPath, setShownPath] = useState<string>();
  const requested = useRef<string>(undefined);
  const [loader] = useState(() =>
    latestLoader<ProDocumentList>(
      (p) => api<ProDocumentList>('GET', p),
      (next) => {
        setShownPath(requested.current);
        setState((previous) =>
          // A failed search keeps the last list on screen only when it is a network hiccup; a refusal shows.
          next.status === 'failed' && previous.status === 'loaded' && next.error?.status === 0
            ? previous
            : next,
        );
      },
    ),
  );
  useEffect(() => {
    requested.current = path;
    void loader.load(path);
  }, [path, loader]);
  useEffect(() => loader.drop, [loader]);
  const change = (next: Partial<RecordFilters>, options: { replace?: boolean } = {}) => {
    // Any change of search or filter starts again from the first page, unless it is the page that changes.
    const merged = { ...filters, page: 1, ...next };
    const query = withFilters(new URLSearchParams(window.location.search), merged);
    navigate(`${window.location.pathname}?${query.toString()}`, {
      ...options,
      keepScroll: !('page' in next),
    });
  };
  return { filters, state, refreshing: shownPath !== path, reload: () => loader.load(path), change };
}

const frenchCount = (n: number) => n.toLocaleString('fr-FR');
export const documentsCount = (n: number) => (n <= 1 ? `${n} document` : `${frenchCount(n)} documents`);

type Facet = NonNullable<ProDocumentList['facets']>['classes'];

function FacetSelect({
  id,
  label,
  all,
  values,
  value,
  onChange,
}: {
  id: string;
  label: string;
  all: string;
  values: Facet;
  value: string;
  onChange: (value: string) => void;
}) {
  // A value chosen by a shared link but absent from this answer's facets still shows as chosen.
  const known = value === '' || values.some((v) => v.value === value);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{all}</option>
        {!known && <option value={value}>{value} (0)</option>}
        {values.map((v) => (
          <option key={v.value} value={v.value}>
            {`${v.label} (${v.count})`}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The search box: what is typed shows at once, the search follows after a short pause. */
function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const [text, setText] = useState(value);
  const typed = useRef(value);
  // Back, forward or « Réinitialiser » change the address: the box follows it.
  useEffect(() => {
    if (value !== typed.current.trim()) {
      typed.current = value;
      setText(value);
    }
  }, [value]);
  useEffect(() => {
    if (text === typed.current) return;
    typed.current = text;
    const timer = setTimeout(() => onSearch(text), TYPING_DELAY_MS);
    return () => clearTimeout(timer);
    // onSearch changes with every render; the typed text alone decides.
  }, [text]);
  return (
    <div className="field record-search-box">
      <label htmlFor="record-q">Rechercher dans le dossier</label>
      <p className="hint" id="record-q-hint">
        Titre, type, auteur, établissement ou date (« sortie 2025 », « écho mars ») ; chaque mot compte.
      </p>
      <input
        id="record-q"
        type="search"
        value={text}
        autoComplete="off"
        aria-describedby="record-q-hint"
        onChange={(e) => setText(e.target.value)}
      />
    </div>
  );
}

export function RecordFiltersForm({
  filters,
  list,
  change,
}: {
  filters: RecordFilters;
  list: ProDocumentList | undefined;
  change: (next: Partial<RecordFilters>, options?: { replace?: boolean }) => void;
}) {
  const facets = list?.facets ?? { classes: [], types: [], authors: [], facilities: [] };
  const activeCount = activeFilters(filters);
  // Open on a wide screen, or when a link brings filters; on a phone the list comes first.
  const [moreOpen, setMoreOpen] = useState(
    () => activeCount > 0 || window.matchMedia('(min-width: 48rem)').matches,
  );
  const sixMonths = monthsAgo(6);
  const twelveMonths = monthsAgo(12);
  const preset = filters.to
    ? ''
    : filters.from === sixMonths
      ? '6'
      : filters.from === twelveMonths
        ? '12'
        : filters.from
          ? ''
          : 'all';
  return (
    <form
      className="record-filters"
      aria-label="Rechercher et filtrer les documents"
      onSubmit={(e) => e.preventDefault()}
    >
      <SearchBox value={filters.q} onSearch={(q) => change({ q }, { replace: true })} />
      <details
        className="record-more-filters"
        open={moreOpen}
        onToggle={(e) => setMoreOpen(e.currentTarget.open)}
      >
        <summary>
          Filtres{activeCount > 0 ? ` (${activeCount} actif${activeCount > 1 ? 's' : ''})` : ''}
        </summary>
        <div className="record-grid">
          <FacetSelect
            id="record-class"
            label="Catégorie"
            all="Toutes les catégories"
            values={facets.classes}
            value={filters.class}
            onChange={(v) => change({ class: v })}
          />
          <FacetSelect
            id="record-type"
            label="Type"
            all="Tous les types"
            values={facets.types}
            value={filters.type}
            onChange={(v) => change({ type: v })}
          />
          <FacetSelect
            id="record-author"
            label="Auteur"
            all="Tous les auteurs"
            values={facets.authors}
            value={filters.author}
            onChange={(v) => change({ author: v })}
          />
          <FacetSelect
            id="record-facility"
            label="Établissement"
            all="Tous les établissements"
            values={facets.facilities}
            value={filters.facility}
            onChange={(v) => change({ facility: v })}
          />
          <fieldset className="record-period">
            <legend>Période</legend>
            <div className="record-presets">
              {(
                [
                  ['6', '6 derniers mois', sixMonths],
                  ['12', '12 derniers mois', twelveMonths],
                  ['all', 'Tout', ''],
                ] as const
              ).map(([key, label, from]) => (
                <button
                  key={key}
                  type="button"
                  className="button-secondary"
                  aria-pressed={preset === key}
                  onClick={() => change({ from, to: '' })}
                >
                  {label}
                </button>
              ))}
            </div>
            <div className="record-dates">
              <div className="field">
                <label htmlFor="record-from">Du</label>
                <input
                  id="record-from"
                  type="date"
                  value={filters.from}
                  max={filters.to || undefined}
                  onChange={(e) => change({ from: e.target.value })}
                />
              </div>
              <div className="field">
                <label htmlFor="record-to">Au</label>
                <input
                  id="record-to"
                  type="date"
                  value={filters.to}
                  min={filters.from || undefined}
                  onChange={(e) => change({ to: e.target.value })}
                />
              </div>
            </div>
          </fieldset>
          <div className="record-checks">
            <div className="choice">
              <input
                id="record-unread"
                type="checkbox"
                checked={filters.unread}
                onChange={(e) => change({ unread: e.target.checked })}
              />
              <label htmlFor="record-unread">Pas encore ouverts par moi</label>
            </div>
            <div className="choice">
              <input
                id="record-since"
                type="checkbox"
                checked={filters.sinceLastVisit}
                onChange={(e) => change({ sinceLastVisit: e.target.checked })}
              />
              <label htmlFor="record-since">
                Nouveaux depuis ma dernière visite
                {list?.lastVisitAt ? ` (le ${frenchDate(list.lastVisitAt)})` : ''}
              </label>
            </div>
          </div>
        </div>
      </details>
      <p className="actions">
        <button
          type="button"
          className="button-secondary"
          disabled={!hasFilters(filters)}
          onClick={() => change({ ...noFilter })}
        >
          Réinitialiser
        </button>
      </p>
    </form>
  );
}

const statusLabel = (status: string) =>
  ({ superseded: 'Remplacé', archived: 'Archivé', deleted: 'Supprimé' })[status] ?? status;

/** A patient's upload without « Date du document » has none (its `createdAt` is when it was added). */
const dateOf = (doc: RecordDocumentView) =>
  doc.uploadedByPatient && !doc.serviceStart
    ? `ajouté le ${frenchDate(doc.depositedAt)}`
    : frenchDate(doc.createdAt);

function Badges({ doc }: { doc: RecordDocumentView }) {
  const badges = [
    doc.isNew && (
      <span key="new" className="badge badge-new">
        Non ouvert
      </span>
    ),
    doc.masked && <MaskedBadge key="masked" />,
    doc.invisiblePatient && (
      <span key="invisible" className="badge badge-soon">
        Invisible au patient
      </span>
    ),
    doc.ownDeposit && (
      <span key="own" className="badge">
        Déposé par vous
      </span>
    ),
    doc.status !== 'current' && (
      <span key="status" className="badge badge-soon">
        {statusLabel(doc.status)}
      </span>
    ),
  ].filter(Boolean);
  return badges.length > 0 ? <span className="badges">{badges}</span> : null;
}

const authorOf = (doc: RecordDocumentView) =>
  doc.uploadedByPatient
    ? 'Ajouté par le patient'
    : [doc.author.name, doc.author.profession].filter(Boolean).join(' · ');

/** One page of documents: a table on a wide screen, compact cards on a phone (the same rows). */
export function DocumentTable({
  documents,
  words,
  hrefOf,
}: {
  documents: readonly RecordDocumentView[];
  words: readonly string[];
  hrefOf: (doc: RecordDocumentView) => string;
}) {
  const hl = (text: string) => <Highlighted text={text} words={words} />;
  return (
    <>
      <ul className="document-cards" aria-label="Documents, du plus récent au plus ancien">
        {documents.map((doc) => (
          <li key={doc.id} className="document-card">
            <p className="document-card-top">
              <span>{hl(dateOf(doc))}</span>
              <span>{hl(doc.typeDisplay)}</span>
            </p>
            <p className="document-card-title">
              <Link href={hrefOf(doc)}>{hl(doc.title)}</Link> <Badges doc={doc} />
            </p>
            <p className="hint">
              {hl(authorOf(doc))}
              {doc.author.structure && !doc.uploadedByPatient && <> · {hl(doc.author.structure)}</>}
            </p>
          </li>
        ))}
      </ul>
      <div className="document-table-wide">
        <table className="document-table">
          <caption className="visually-hidden">Documents du dossier, du plus récent au plus ancien</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Type</th>
              <th scope="col">Titre</th>
              <th scope="col">Auteur</th>
              <th scope="col">Établissement</th>
            </tr>
          </thead>
          <tbody>
            {documents.map((doc) => (
              <tr key={doc.id}>
                <td className="nowrap">{hl(dateOf(doc))}</td>
                <td>{hl(doc.typeDisplay)}</td>
                <td>
                  <Link href={hrefOf(doc)}>{hl(doc.title)}</Link> <Badges doc={doc} />
                </td>
                <td>{hl(doc.uploadedByPatient ? 'Ajouté par le patient' : doc.author.name)}</td>
                <td>{doc.uploadedByPatient ? '' : hl(doc.author.structure ?? '')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** "2026-03-12…" → "mars 2026" */
const monthOf = (iso: string) => {
  const [year, month] = iso.slice(0, 7).split('-').map(Number);
  if (!year || !month) return iso.slice(0, 7);
  return new Date(Date.UTC(year, month - 1, 15)).toLocaleDateString('fr-FR', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
};

/** The same page of documents by month of their date, in the list's order (newest first). */
export function MonthTimeline({
  documents,
  words,
  hrefOf,
}: {
  documents: readonly RecordDocumentView[];
  words: readonly string[];
  hrefOf: (doc: RecordDocumentView) => string;
}) {
  const months: { month: string; documents: RecordDocumentView[] }[] = [];
  for (const doc of documents) {
    const month = monthOf(doc.createdAt);
    const last = months.at(-1);
    if (last?.month === month) last.documents.push(doc);
    else months.push({ month, documents: [doc] });
  }
  const hl = (text: string) => <Highlighted text={text} words={words} />;
  return (
    <ol className="document-timeline">
      {months.map((m, i) => (
        <li key={`${m.month}-${i}`}>
          <h3>{m.month}</h3>
          <ul className="document-cards-always">
            {m.documents.map((doc) => (
              <li key={doc.id} className="document-card">
                <p className="document-card-top">
                  <span>{hl(dateOf(doc))}</span>
                  <span>{hl(doc.typeDisplay)}</span>
                </p>
                <p className="document-card-title">
                  <Link href={hrefOf(doc)}>{hl(doc.title)}</Link> <Badges doc={doc} />
                </p>
                <p className="hint">
                  {hl(authorOf(doc))}
                  {doc.author.structure && !doc.uploadedByPatient && <> · {hl(doc.author.structure)}</>}
                </p>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}

/** Table or timeline: how the page of documents is laid out (kept in the address too). */
export function ViewSwitch({
  timeline,
  onChange,
}: {
  timeline: boolean;
  onChange: (timeline: boolean) => void;
}) {
  return (
    <div className="view-switch" role="group" aria-label="Affichage des documents">
      <button
        type="button"
        className="button-secondary"
        aria-pressed={!timeline}
        onClick={() => onChange(false)}
      >
        Tableau
      </button>
      <button
        type="button"
        className="button-secondary"
        aria-pressed={timeline}
        onClick={() => onChange(true)}
      >
        Chronologie
      </button>
    </div>
  );
}

export function Pager({
  total,
  page,
  onPage,
}: {
  total: number;
  page: number;
  onPage: (page: number) => void;
}) {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (pages === 1) return null;
  return (
    <nav className="pager" aria-label="Pages de documents">
      <button
        type="button"
        className="button-secondary"
        disabled={page <= 1}
        onClick={() => onPage(page - 1)}
      >
        Page précédente
      </button>
      <span>
        Page {page} sur {pages}
      </span>
      <button
        type="button"
        className="button-secondary"
        disabled={page >= pages}
        onClick={() => onPage(page + 1)}
      >
        Page suivante
      </button>
    </nav>
  );
}
