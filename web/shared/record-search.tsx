import { Fragment, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useLatest, type Loaded } from './data.ts';
import { frenchDate } from './format.ts';
import type { DocumentFacetsView, DocumentList, RecordDocumentView } from './record-types.ts';
import { Link, navigate, useRoute } from './router.ts';

/**
 * Searching a record, the same way in the portal and the patient space: the search box, the filters kept in the
 * page's address, the facet selects, the period, the highlighted words, the pages. Each app lays them out.
 */

/**
 * Typing waits this long after the last key before searching: enough to skip the keys of a word typed at once,
 * short enough that the results follow the typing (a stale request is cancelled, see `latestLoader`).
 */
export const TYPING_DELAY_MS = 50;

/** The search and filters, as the page's address carries them (back, forward and a shared link restore them). */
export interface RecordFilters {
  readonly q: string;
  readonly class: string;
  readonly type: string;
  readonly author: string;
  readonly facility: string;
  /** Practice setting (« Cadre d'exercice », JDV_J04). */
  readonly setting: string;
  readonly from: string;
  readonly to: string;
  readonly unread: boolean;
  /** The portal's « Nouveaux depuis ma dernière visite ». */
  readonly sinceLastVisit: boolean;
  /** The portal's one episode of care (« Voir tout le séjour »), as the list's `episodeId` names it. */
  readonly episode: string;
  readonly page: number;
  /** The portal's page as a timeline by month instead of a table. */
  readonly timeline: boolean;
}

export type ChangeFilters = (next: Partial<RecordFilters>, options?: { replace?: boolean }) => void;

const filterKeys = ['q', 'class', 'type', 'author', 'facility', 'setting', 'from', 'to', 'episode'] as const;

export function filtersOf(query: URLSearchParams): RecordFilters {
  const page = Number(query.get('page') ?? '1');
  return {
    q: query.get('q') ?? '',
    class: query.get('class') ?? '',
    type: query.get('type') ?? '',
    author: query.get('author') ?? '',
    facility: query.get('facility') ?? '',
    setting: query.get('setting') ?? '',
    episode: query.get('episode') ?? '',
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
  setting: '',
  episode: '',
  from: '',
  to: '',
  unread: false,
  sinceLastVisit: false,
};

/** The filters that show one episode of care whole: every other filter and the search dropped. */
export const episodeOnly = (episode: string): Partial<RecordFilters> => ({ ...noFilter, episode });

export const hasFilters = (f: RecordFilters) =>
  filterKeys.some((key) => f[key].trim() !== '') || f.unread || f.sinceLastVisit;

/** The filters set besides the search box (a period counts once). */
const activeFilters = (f: RecordFilters) =>
  (['class', 'type', 'author', 'facility', 'setting', 'episode'] as const).filter((key) => f[key] !== '')
    .length +
  (f.from || f.to ? 1 : 0) +
  (f.unread ? 1 : 0) +
  (f.sinceLastVisit ? 1 : 0);

/** The API's address for these filters: the list view, one page of `pageSize`. */
export function documentsPath(base: string, f: RecordFilters, pageSize: number): string {
  const query = withFilters(new URLSearchParams(), { ...f, page: 1, timeline: false });
  query.set('view', 'list');
  query.set('count', String(pageSize));
  query.set('offset', String((f.page - 1) * pageSize));
  return `${base}?${query.toString()}`;
}

/** The day `months` months before today (YYYY-MM-DD, local time). */
export function monthsAgo(months: number, today = new Date()): string {
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
 * The record's documents as someone looking for one reads them: the search and filters kept in the page's
 * address, newest first, `pageSize` to a page. The previous answer stays on screen while the next one comes, so
 * typing never blanks the list; a newer search cancels the older request, whose answer is never shown.
 */
export function useRecordDocuments<T extends DocumentList>(
  base: string,
  pageSize: number,
): {
  filters: RecordFilters;
  state: Loaded<T>;
  refreshing: boolean;
  reload: () => Promise<void>;
  change: ChangeFilters;
} {
  const route = useRoute();
  const search = route.query.toString();
  const filters = useMemo(() => filtersOf(new URLSearchParams(search)), [search]);
  const path = documentsPath(base, filters, pageSize);
  // `shownPath` is the address of the answer on screen: any other means the list is being refreshed, from the very
  // render that changed the filters (a person, or a test, never reads the old list as the new one).
  const { state, shownPath, reload } = useLatest<T>(path);
  const change: ChangeFilters = (next, options = {}) => {
    // Any change of search or filter starts again from the first page, unless it is the page that changes.
    const merged = { ...filters, page: 1, ...next };
    const query = withFilters(new URLSearchParams(window.location.search), merged);
    navigate(`${window.location.pathname}?${query.toString()}`, {
      ...options,
      keepScroll: !('page' in next),
    });
  };
  return { filters, state, refreshing: shownPath !== path, reload, change };
}

const frenchCount = (n: number) => n.toLocaleString('fr-FR');
export const documentsCount = (n: number) => (n <= 1 ? `${n} document` : `${frenchCount(n)} documents`);

/** « , 51 à 100 affichés » when the answer spans several pages. */
export function shownRange(list: DocumentList): string {
  const offset = list.offset ?? 0;
  const count = list.documents?.length ?? 0;
  return count > 0 && count < list.total ? `, ${offset + 1} à ${offset + count} affichés` : '';
}

export type FacetValues = DocumentFacetsView['classes'];
export const noFacets: DocumentFacetsView = {
  classes: [],
  types: [],
  authors: [],
  facilities: [],
  settings: [],
};

/** One filter over one facet of the answer: each value with its count. */
export function FacetSelect({
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
  values: FacetValues;
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

/** The search box: what is typed shows at once, the search follows after a very short pause. */
function SearchBox({
  label,
  hint,
  value,
  onSearch,
}: {
  label: string;
  hint: string;
  value: string;
  onSearch: (q: string) => void;
}) {
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
      <label htmlFor="record-q">{label}</label>
      <p className="hint" id="record-q-hint">
        {hint}
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

/** The period: the last six or twelve months in one tap, or any two days. */
export function PeriodFilter({ filters, change }: { filters: RecordFilters; change: ChangeFilters }) {
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
  );
}

/**
 * The search box, the filters (`children`) folded under « Filtres » on a phone, and « Réinitialiser ». Typing
 * replaces the address (back does not replay each word); a filter adds to the history.
 */
export function RecordSearchForm({
  filters,
  change,
  label,
  searchLabel,
  searchHint,
  children,
}: {
  filters: RecordFilters;
  change: ChangeFilters;
  label: string;
  searchLabel: string;
  searchHint: string;
  children: ReactNode;
}) {
  const activeCount = activeFilters(filters);
  // Open on a wide screen, or when a link brings filters; on a phone the list comes first.
  const [moreOpen, setMoreOpen] = useState(
    () => activeCount > 0 || window.matchMedia('(min-width: 48rem)').matches,
  );
  return (
    <form className="record-filters" aria-label={label} onSubmit={(e) => e.preventDefault()}>
      <SearchBox
        label={searchLabel}
        hint={searchHint}
        value={filters.q}
        onSearch={(q) => change({ q }, { replace: true })}
      />
      <details
        className="record-more-filters"
        open={moreOpen}
        onToggle={(e) => setMoreOpen(e.currentTarget.open)}
      >
        <summary>
          Filtres{activeCount > 0 ? ` (${activeCount} actif${activeCount > 1 ? 's' : ''})` : ''}
        </summary>
        <div className="record-grid">{children}</div>
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

/** A ticked filter (« Non lus », « Nouveaux depuis ma dernière visite »). */
export function FilterCheck({
  id,
  checked,
  onChange,
  children,
}: {
  id: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  children: ReactNode;
}) {
  return (
    <div className="choice">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{children}</label>
    </div>
  );
}

/** A patient's upload without « Date du document » has none (its `createdAt` is when it was added). */
export const dateOf = (doc: RecordDocumentView, unknown = '') =>
  doc.uploadedByPatient && !doc.serviceStart
    ? `${unknown}ajouté le ${frenchDate(doc.depositedAt)}`
    : frenchDate(doc.createdAt);

/** One document of a page as a compact card: date and type, the title as a link, who wrote it; words marked. */
export function DocumentCard({
  doc,
  date,
  words,
  href,
  author,
  badges,
}: {
  doc: RecordDocumentView;
  date: string;
  words: readonly string[];
  href: string;
  author: string;
  badges: ReactNode;
}) {
  const hl = (text: string) => <Highlighted text={text} words={words} />;
  return (
    <li className="document-card">
      <p className="document-card-top">
        <span>{hl(date)}</span>
        <span>{hl(doc.typeDisplay)}</span>
      </p>
      <p className="document-card-title">
        <Link href={href}>{hl(doc.title)}</Link> {badges}
      </p>
      <p className="hint">
        {hl(author)}
        {doc.author.structure && !doc.uploadedByPatient && <> · {hl(doc.author.structure)}</>}
      </p>
    </li>
  );
}

export function Pager({
  total,
  page,
  pageSize,
  onPage,
}: {
  total: number;
  page: number;
  pageSize: number;
  onPage: (page: number) => void;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
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
