import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Principal } from '../access/index.ts';
import type { PatientId } from '../identity/index.ts';
import type { Database, Executor } from '../storage/index.ts';
import { documentClasses, lookupConcept } from '../terminology/index.ts';
import { SEARCH_PREFIX_MAX, SEARCH_PREFIX_MIN, searchToken, searchWords } from '../guard/index.ts';
import type { EpisodeId } from './episodes.ts';
import { newToWhere } from './openings.ts';

/**
 * How a doctor or a patient narrows a record (the portal's and the patient space's list): free text, and filters
 * that each take any of their values (an empty or absent list does not filter). Every part must hold.
 */
export interface DocumentBrowse {
  /** Words that must all start a word of the document (title, type, class, author, structure, facility, setting, dates). */
  readonly text?: string;
  readonly classCodes?: readonly string[];
  readonly typeCodes?: readonly string[];
  readonly authorNationalIds?: readonly string[];
  readonly facilityCodes?: readonly string[];
  readonly settingCodes?: readonly string[];
  /** Calendar days (YYYY-MM-DD), inclusive, on the document's own date (`createdAt`, the producer's date). */
  readonly dateFrom?: string;
  readonly dateTo?: string;
  /** Not yet opened by the signed-in person (`unreadBy`). */
  readonly unread?: boolean;
  /** Deposited after the professional's previous visit (src/record/visits.ts): everything, before a second visit. */
  readonly sinceLastVisit?: boolean;
  /** One episode of care (src/record/episodes.ts, `episodeIdOf`): a stay's documents, a submission's. */
  readonly episode?: EpisodeId;
}

export type FacetDimension = 'class' | 'type' | 'author' | 'facility' | 'setting';

export interface FacetValue {
  readonly value: string;
  readonly label: string;
  readonly count: number;
}

/** Counts per value of each dimension, over what the caller may see and asked, but that dimension's own filter. */
export type DocumentFacets = Readonly<
  Record<'classes' | 'types' | 'authors' | 'facilities' | 'settings', FacetValue[]>
>;

/**
 * The words of a search as they are compared: the words of `searchWords`, shorter ones dropped (« d' », « à »),
 * longer ones cut to the longest indexed prefix, each once. None: the text does not filter.
 */
export function queryWords(text: string | undefined): string[] {
  if (!text) return [];
  const words = searchWords(text)
    .filter((w) => [...w].length >= SEARCH_PREFIX_MIN)
    .map((w) => [...w].slice(0, SEARCH_PREFIX_MAX).join(''));
  return [...new Set(words)];
}

/** The class codes whose French label (JDV_J06) has a word starting with `word`: « biologie » finds class 11. */
export function classCodesMatching(word: string): string[] {
  return Object.entries(documentClasses)
    .filter(([, label]) => searchWords(label).some((w) => w.startsWith(word)))
    .map(([code]) => code);
}

type Eb = ExpressionBuilder<Database, 'documents'>;

/** One searched word as found: the documents whose blind index holds it, the classes whose label it starts. */
export interface WordMatch {
  readonly word: string;
  readonly token: string;
  /** Undefined when too many to list (the predicate then looks the token up itself). */
  readonly documentIds: readonly string[] | undefined;
  readonly classCodes: readonly string[];
}

/** Past this many documents for one word, the predicate keeps the index lookup rather than a list of ids. */
const LISTED_IDS_MAX = 5000;

/**
 * Looks the searched words up in one patient's blind index, in one query. The documents found are then named in
 * the search's statements: a plan of its own per word would be chosen on estimates the index cannot give (a
 * token is one patient's, its count unknown to the planner), and PostgreSQL then joins 1,000 documents to each
 * token's rows in a loop.
 */
export async function matchWords(
  db: Executor,
  keys: Parameters<typeof searchToken>[0],
  patientId: PatientId,
  text: string | undefined,
): Promise<WordMatch[]> {
  const words = queryWords(text).map((word) => ({ word, token: searchToken(keys, patientId, word) }));
  if (words.length === 0) return [];
  const rows = await db
    .selectFrom('document_search_tokens')
    .select(['token', 'document_id'])
    .where('patient_id', '=', patientId)
    .where(
      'token',
      'in',
      words.map((w) => w.token),
    )
    .execute();
  return words.map(({ word, token }) => {
    const ids = rows.filter((r) => r.token === token).map((r) => r.document_id);
    return {
      word,
      token,
      documentIds: ids.length > LISTED_IDS_MAX ? undefined : ids,
      classCodes: classCodesMatching(word),
    };
  });
}

/** What the browse predicate needs beyond the criteria. */
export interface BrowseContext {
  readonly patientId: PatientId;
  readonly principal: Principal;
  /** The searched words, as `matchWords` found them. */
  readonly words: readonly WordMatch[];
  /** The end of the professional's previous visit, if any. */
  readonly lastVisitAt: string | undefined;
}

/** The day after a calendar day (YYYY-MM-DD), for an inclusive upper bound on dates that may carry a time. */
function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

const anyOf = (values: readonly string[] | undefined) => (values && values.length > 0 ? values : undefined);

/** `unreadBy` as SQL (the same rule). */
function unreadWhere(eb: Eb, principal: Principal): Expression<SqlBool> {
  if (principal.kind === 'patient') return newToWhere(principal.patientId)(eb);
  if (principal.kind !== 'professional') return eb.lit(true);
  return eb.and([
    eb.or([
      eb('documents.author_national_id', 'is', null),
      eb('documents.author_national_id', '!=', principal.nationalId),
    ]),
    eb.not(
      eb.exists(
        eb
          .selectFrom('professional_openings')
          .select('professional_openings.document_id')
          .whereRef('professional_openings.patient_id', '=', 'documents.patient_id')
          .whereRef('professional_openings.document_id', '=', 'documents.id')
          .where('professional_openings.national_id', '=', principal.nationalId),
      ),
    ),
  ]);
}

/** The dimensions counted in facets, each counted without its own filter. */
export const facetDimensions: readonly FacetDimension[] = ['class', 'type', 'author', 'facility', 'setting'];

/** The filter of one facet dimension, or undefined when the browse does not filter on it. */
function dimensionWhere(eb: Eb, b: DocumentBrowse, dimension: FacetDimension) {
  const values = anyOf(
    {
      class: b.classCodes,
      type: b.typeCodes,
      author: b.authorNationalIds,
      facility: b.facilityCodes,
      setting: b.settingCodes,
    }[dimension],
  );
  if (!values) return undefined;
  const column = {
    class: 'documents.class_code',
    type: 'documents.type_code',
    author: 'documents.author_national_id',
    facility: 'documents.facility_code',
    setting: 'documents.setting_code',
  } as const;
  return eb(column[dimension], 'in', [...values]);
}

/**
 * The browse criteria as a WHERE clause over one patient's `documents`, every part of it but the filters of the
 * dimensions in `except` (facets are counted without their own filter). Each searched word is a document its
 * keyed digest was found for in the blind index (`matchWords`), or a class whose label it starts.
 */
export function browseWhere(b: DocumentBrowse, c: BrowseContext, except: readonly FacetDimension[] = []) {
  return (eb: Eb): Expression<SqlBool> => {
    const parts: Expression<SqlBool>[] = [];
    for (const word of c.words) {
      const either: Expression<SqlBool>[] = [];
      if (word.documentIds === undefined)
        either.push(
          eb(
            'documents.id',
            'in',
            eb
              .selectFrom('document_search_tokens')
              .select('document_search_tokens.document_id')
              .where('document_search_tokens.patient_id', '=', c.patientId)
              .where('document_search_tokens.token', '=', word.token),
          ),
        );
      else if (word.documentIds.length) either.push(eb('documents.id', 'in', [...word.documentIds]));
      if (word.classCodes.length) either.push(eb('documents.class_code', 'in', [...word.classCodes]));
      parts.push(either.length ? eb.or(either) : eb.lit(false));
    }
    for (const dimension of facetDimensions) {
      const filter = except.includes(dimension) ? undefined : dimensionWhere(eb, b, dimension);
      if (filter) parts.push(filter);
    }
    if (b.dateFrom) parts.push(eb('documents.created_at', '>=', b.dateFrom));
    if (b.dateTo) parts.push(eb('documents.created_at', '<', nextDay(b.dateTo)));
    if (b.unread) parts.push(unreadWhere(eb, c.principal));
    if (b.sinceLastVisit && c.lastVisitAt !== undefined)
      parts.push(eb('documents.deposited_at', '>', c.lastVisitAt));
    if (b.episode) parts.push(episodeWhere(eb, c.patientId, b.episode));
    return eb.and(parts);
  };
}

/** The documents of one episode, as `episodesOf` counts them: so its filter lists what its heading counts. */
function episodeWhere(eb: Eb, patientId: PatientId, episode: EpisodeId): Expression<SqlBool> {
  switch (episode.kind) {
    case 'encounter':
      return eb(
        'documents.id',
        'in',
        eb
          .selectFrom('document_related_ids')
          .select('document_related_ids.document_id')
          .where('document_related_ids.patient_id', '=', patientId)
          .where('document_related_ids.value', '=', episode.value),
      );
    case 'submission-set':
      return eb('documents.submission_set_id', '=', episode.value);
    case 'document':
      return eb('documents.id', '=', episode.value);
  }
}

type Where = (eb: Eb) => Expression<SqlBool>;

const byCountThenLabel = (a: FacetValue, b: FacetValue) =>
  b.count - a.count || a.label.localeCompare(b.label, 'fr') || a.value.localeCompare(b.value);

/** Counts per value, with the label of the first row of each. */
function tally(rows: readonly { value: string | null; label: string }[]): FacetValue[] {
  const counts = new Map<string, { label: string; count: number }>();
  for (const { value, label } of rows) {
    if (value === null) continue;
    const known = counts.get(value);
    if (known) known.count++;
    else counts.set(value, { label, count: 1 });
  }
  return [...counts].map(([value, { label, count }]) => ({ value, label, count })).sort(byCountThenLabel);
}

/**
 * A coded value's label from its value set: the display given at deposit is sealed with the metadata, the value
 * set's label is public.
 */
function valueSetLabel(valueSet: 'facility' | 'practiceSetting', system: string | null, code: string | null) {
  if (code === null) return '';
  return lookupConcept(valueSet, system ?? undefined, code)?.display ?? code;
}

/**
 * The facet counts of a browse. One pass over the rows that `where` keeps (the caller's policy and query, the
 * browse without its five dimension filters), each row saying which of those filters it meets: a value of a
 * dimension is counted over the rows meeting every other filter, so that « Biologie (12) » stays offered once
 * « Imagerie » is chosen.
 */
export async function documentFacets(
  db: Executor,
  patientId: PatientId,
  b: DocumentBrowse,
  where: Where,
): Promise<DocumentFacets> {
  const flag = (eb: Eb, dimension: FacetDimension) => {
    const filter = dimensionWhere(eb, b, dimension);
    return filter ? eb.case().when(filter).then(1).else(0).end() : eb.lit(1);
  };
  const rows = await db
    .selectFrom('documents')
    .where('documents.patient_id', '=', patientId)
    .where(where)
    .select((eb) => [
      'documents.class_code',
      'documents.type_code',
      'documents.type_display',
      'documents.author_national_id',
      'documents.author_name',
      'documents.facility_code',
      'documents.facility_system',
      'documents.setting_code',
      'documents.setting_system',
      flag(eb, 'class').as('in_class'),
      flag(eb, 'type').as('in_type'),
      flag(eb, 'author').as('in_author'),
      flag(eb, 'facility').as('in_facility'),
      flag(eb, 'setting').as('in_setting'),
    ])
    .execute();
  const meets = rows.map((r) => ({
    row: r,
    in: {
      class: Number(r.in_class) === 1,
      type: Number(r.in_type) === 1,
      author: Number(r.in_author) === 1,
      facility: Number(r.in_facility) === 1,
      setting: Number(r.in_setting) === 1,
    } as Record<FacetDimension, boolean>,
  }));
  const without = (dimension: FacetDimension) =>
    meets.filter((m) => facetDimensions.every((d) => d === dimension || m.in[d])).map((m) => m.row);
  return {
    classes: tally(
      without('class').map((r) => ({
        value: r.class_code,
        label: documentClasses[r.class_code] ?? 'Autres documents',
      })),
    ),
    types: tally(without('type').map((r) => ({ value: r.type_code, label: r.type_display }))),
    authors: tally(without('author').map((r) => ({ value: r.author_national_id, label: r.author_name }))),
    facilities: tally(
      without('facility').map((r) => ({
        value: r.facility_code,
        label: valueSetLabel('facility', r.facility_system, r.facility_code),
      })),
    ),
    settings: tally(
      without('setting').map((r) => ({
        value: r.setting_code,
        label: valueSetLabel('practiceSetting', r.setting_system, r.setting_code),
      })),
    ),
  };
}
