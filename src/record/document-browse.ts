import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Principal } from '../access/index.ts';
import type { PatientId } from '../identity/index.ts';
import type { Database, Executor } from '../storage/index.ts';
import { documentClasses, lookupConcept } from '../terminology/index.ts';
import {
  SEARCH_PREFIX_MAX,
  SEARCH_PREFIX_MIN,
  searchToken,
  searchWords,
  type RecordDocument,
} from '../guard/index.ts';
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
}

export type FacetDimension = 'class' | 'type' | 'author' | 'facility';

export interface FacetValue {
  readonly value: string;
  readonly label: string;
  readonly count: number;
}

/** Counts per value of each dimension, over what the caller may see and asked, but that dimension's own filter. */
export type DocumentFacets = Readonly<Record<'classes' | 'types' | 'authors' | 'facilities', FacetValue[]>>;

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

/**
 * « Pas encore ouvert par moi »: a document the reader never opened (its detail or its content) and did not write.
 * For the patient's side, the « Nouveau » of the patient space (src/record/openings.ts, `isNewTo`), current ones
 * only; nobody else keeps openings, so every document is unread to them.
 */
export function unreadBy(
  principal: Principal,
  doc: Pick<RecordDocument, 'status' | 'author'>,
  opened: boolean,
): boolean {
  if (opened) return false;
  if (principal.kind === 'patient')
    return (
      doc.status === 'current' &&
      !(doc.author.kind === 'patient' && doc.author.patientId === principal.patientId)
    );
  if (principal.kind === 'professional') return doc.author.nationalId !== principal.nationalId;
  return true;
}

type Eb = ExpressionBuilder<Database, 'documents'>;

/** What the browse predicate needs beyond the criteria. */
export interface BrowseContext {
  readonly keys: Parameters<typeof searchToken>[0];
  readonly patientId: PatientId;
  readonly principal: Principal;
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

/**
 * The browse criteria as a WHERE clause over one patient's `documents`, every part of it but the filter of
 * `except` (a facet is counted without its own filter, so that « Biologie (12) » stays offered once « Imagerie » is
 * chosen). Each searched word is a keyed digest looked up in the blind index, or a class whose label it starts.
 */
export function browseWhere(b: DocumentBrowse, c: BrowseContext, except?: FacetDimension) {
  return (eb: Eb): Expression<SqlBool> => {
    const parts: Expression<SqlBool>[] = [];
    for (const word of queryWords(b.text)) {
      const classes = classCodesMatching(word);
      const indexed = eb(
        'documents.id',
        'in',
        eb
          .selectFrom('document_search_tokens')
          .select('document_search_tokens.document_id')
          .where('document_search_tokens.patient_id', '=', c.patientId)
          .where('document_search_tokens.token', '=', searchToken(c.keys, c.patientId, word)),
      );
      parts.push(classes.length ? eb.or([indexed, eb('documents.class_code', 'in', classes)]) : indexed);
    }
    const classes = anyOf(b.classCodes);
    if (classes && except !== 'class') parts.push(eb('documents.class_code', 'in', [...classes]));
    const types = anyOf(b.typeCodes);
    if (types && except !== 'type') parts.push(eb('documents.type_code', 'in', [...types]));
    const authors = anyOf(b.authorNationalIds);
    if (authors && except !== 'author') parts.push(eb('documents.author_national_id', 'in', [...authors]));
    const facilities = anyOf(b.facilityCodes);
    if (facilities && except !== 'facility') parts.push(eb('documents.facility_code', 'in', [...facilities]));
    const settings = anyOf(b.settingCodes);
    if (settings) parts.push(eb('documents.setting_code', 'in', [...settings]));
    if (b.dateFrom) parts.push(eb('documents.created_at', '>=', b.dateFrom));
    if (b.dateTo) parts.push(eb('documents.created_at', '<', nextDay(b.dateTo)));
    if (b.unread) parts.push(unreadWhere(eb, c.principal));
    if (b.sinceLastVisit && c.lastVisitAt !== undefined)
      parts.push(eb('documents.deposited_at', '>', c.lastVisitAt));
    return eb.and(parts);
  };
}

type Where = (eb: Eb) => Expression<SqlBool>;

const byCountThenLabel = (a: FacetValue, b: FacetValue) =>
  b.count - a.count || a.label.localeCompare(b.label, 'fr') || a.value.localeCompare(b.value);

/**
 * The facet counts of a browse, each under `where(dimension)`: the caller's whole predicate (the policy's, the
 * query's) with that dimension's own filter left out.
 */
export async function documentFacets(
  db: Executor,
  patientId: PatientId,
  where: (except: FacetDimension) => Where,
): Promise<DocumentFacets> {
  const base = (except: FacetDimension) =>
    db.selectFrom('documents').where('documents.patient_id', '=', patientId).where(where(except));
  // One after the other: they run on the caller's transaction.
  const classes = await base('class')
    .select((eb) => ['documents.class_code as value', eb.fn.countAll<number | string>().as('count')])
    .groupBy('documents.class_code')
    .execute();
  const types = await base('type')
    .select((eb) => [
      'documents.type_code as value',
      eb.fn.min('documents.type_display').as('label'),
      eb.fn.countAll<number | string>().as('count'),
    ])
    .groupBy('documents.type_code')
    .execute();
  const authors = await base('author')
    .where('documents.author_national_id', 'is not', null)
    .select((eb) => [
      'documents.author_national_id as value',
      eb.fn.min('documents.author_name').as('label'),
      eb.fn.countAll<number | string>().as('count'),
    ])
    .groupBy('documents.author_national_id')
    .execute();
  const facilities = await base('facility')
    .where('documents.facility_code', 'is not', null)
    .select((eb) => [
      'documents.facility_code as value',
      eb.fn.min('documents.facility_system').as('system'),
      eb.fn.countAll<number | string>().as('count'),
    ])
    .groupBy('documents.facility_code')
    .execute();
  return {
    classes: classes
      .map((r) => ({
        value: r.value,
        label: documentClasses[r.value] ?? 'Autres documents',
        count: Number(r.count),
      }))
      .sort(byCountThenLabel),
    types: types
      .map((r) => ({ value: r.value, label: r.label ?? r.value, count: Number(r.count) }))
      .sort(byCountThenLabel),
    authors: authors
      .map((r) => ({ value: r.value!, label: r.label ?? r.value!, count: Number(r.count) }))
      .sort(byCountThenLabel),
    facilities: facilities
      .map((r) => ({
        value: r.value!,
        // The display given at deposit is sealed with the metadata: the value set's label is public.
        label: lookupConcept('facility', r.system ?? undefined, r.value!)?.display ?? r.value!,
        count: Number(r.count),
      }))
      .sort(byCountThenLabel),
  };
}
