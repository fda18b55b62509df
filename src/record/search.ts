import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { AppContext } from '../app/index.ts';
import { matrixHiddenDocumentsWhere, visibleDocumentsWhere, type Principal } from '../access/index.ts';
import { appendAudit } from '../audit/index.ts';
import type { PatientId } from '../identity/index.ts';
import type { Database, Executor } from '../storage/index.ts';
import {
  trace,
  type ConfidentialityFlag,
  type ConfidentialityLevel,
  type DocumentStatus,
  type LoadedRecord,
  type DocumentId,
  type RecordDocument,
  eventTokens,
  toRecordDocument,
  searchableName,
  openDocumentSearch,
  inRecordTransaction,
  Refusal,
} from '../guard/index.ts';
import { noteConsultation } from './consultation.ts';
import { episodesOf, type Episode } from './episodes.ts';
import { newDocumentsFor } from './openings.ts';
import {
  browseWhere,
  documentFacets,
  facetDimensions,
  matchWords,
  type BrowseContext,
  type DocumentBrowse,
  type DocumentFacets,
  type FacetDimension,
} from './document-browse.ts';
import { previousVisitAt } from './visits.ts';

export type SecurityLabelCode = 'N' | ConfidentialityFlag;

/** A code searched (FHIR token): `system` undefined = in any system, null = with no system (`|code`). */
export interface CodeSearch {
  readonly system: string | null | undefined;
  readonly code: string;
}

/** FHIR date prefixes (search.html#prefix). */
export const datePrefixes = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'] as const;
export type DatePrefix = (typeof datePrefixes)[number];

/** A FHIR date search value: its prefix and the instants its precision covers (ISO-8601 UTC, inclusive). */
export interface DateSearch {
  readonly prefix: DatePrefix;
  readonly lo: string;
  readonly hi: string;
}

/** A FHIR string search: starts-with by default, `:exact`, `:contains` (case and accents ignored but for exact). */
export interface NameSearch {
  readonly match: 'starts' | 'exact' | 'contains';
  readonly value: string;
}

/** The HL7 confidentiality level (N, R, V) or a TRE_A07 visibility flag. */
export type LevelOrFlag = ConfidentialityLevel | ConfidentialityFlag;

/** FHIR's combination of values: each inner list is an OR (`a,b`), the outer list an AND (a repeated parameter). */
export type AllOf<T> = readonly (readonly T[])[];

/**
 * The ITI-67 filters beyond the simple ones of `DocumentQuery` (src/fhir/document-search-params.ts builds them).
 * An empty inner list matches nothing.
 */
export interface DocumentFilters {
  readonly identifiers?: AllOf<{ readonly masterIdentifier: string } | { readonly documentId: string }>;
  readonly types?: AllOf<CodeSearch>;
  readonly classCodes?: AllOf<string>;
  readonly formats?: AllOf<CodeSearch>;
  readonly facilities?: AllOf<CodeSearch>;
  readonly settings?: AllOf<CodeSearch>;
  /** Matched through the keyed digests of `document_event_tokens`: the codes themselves stay sealed. */
  readonly events?: AllOf<CodeSearch>;
  readonly related?: AllOf<CodeSearch>;
  readonly labels?: AllOf<LevelOrFlag>;
  /** `attachment.creation` (the producer's date). */
  readonly created?: AllOf<DateSearch>;
  /** When Carnet stored the version (FHIR `DocumentReference.date`). */
  readonly deposited?: AllOf<DateSearch>;
  /** The service period (`context.period`), a range whose missing start or end is open. */
  readonly period?: AllOf<DateSearch>;
  readonly authorGiven?: AllOf<NameSearch>;
  readonly authorFamily?: AllOf<NameSearch>;
  readonly authorNationalIds?: AllOf<string>;
}

export interface DocumentQuery {
  readonly patientId: PatientId;
  readonly typeCodes?: readonly string[];
  readonly classCodes?: readonly string[];
  /** Default: `['current']`. */
  readonly statuses?: readonly DocumentStatus[];
  /** Bounds on the deposit instant (FHIR `DocumentReference.date`), inclusive, ISO-8601. */
  readonly from?: string;
  readonly to?: string;
  readonly authorNationalId?: string;
  /** Any of these labels (`N`: no TRE_A07 flag at all). */
  readonly securityLabels?: readonly SecurityLabelCode[];
  readonly filters?: DocumentFilters;
  /** The portal's and the patient space's free text and filters (src/record/document-browse.ts). */
  readonly browse?: DocumentBrowse;
  /** Count the documents per class, type, author, facility and practice setting (`DocumentSearchResult.facets`). */
  readonly facets?: boolean;
  /** Group the page's documents into episodes of care (`DocumentSearchResult.episodes`). */
  readonly episodes?: boolean;
  readonly count: number;
  readonly offset: number;
}

const flagColumn = {
  MASQUE_PS: 'masked_ps',
  INVISIBLE_PATIENT: 'invisible_patient',
  INVISIBLE_REPRESENTANTS_LEGAUX: 'invisible_representatives',
} as const;

function labelWhere(labels: readonly SecurityLabelCode[]) {
  return (eb: ExpressionBuilder<Database, 'documents'>) =>
    eb.or(
      labels.map((label) =>
        label === 'N'
          ? eb.and([
              eb('masked_ps', '=', 0),
              eb('invisible_patient', '=', 0),
              eb('invisible_representatives', '=', 0),
            ])
          : eb(flagColumn[label], '=', 1),
      ),
    );
}

type Eb = ExpressionBuilder<Database, 'documents'>;
type SystemColumn = 'type_system' | 'format_system' | 'facility_system' | 'setting_system';
type CodeColumn = 'type_code' | 'format_code' | 'facility_code' | 'setting_code';
type DateColumn = 'created_at' | 'deposited_at' | 'service_start' | 'service_end';

function codeWhere(eb: Eb, systemColumn: SystemColumn, codeColumn: CodeColumn, c: CodeSearch) {
  const code = eb(codeColumn, '=', c.code);
  if (c.system === undefined) return code;
  return eb.and([c.system === null ? eb(systemColumn, 'is', null) : eb(systemColumn, '=', c.system), code]);
}

/**
 * FHIR date search (search.html#date) against a target range [lo, hi]: an instant column is both ends; a period's
 * missing start or end is open. A document without the value never matches.
 */
function dateWhere(eb: Eb, s: DateSearch, lo: DateColumn, hi: DateColumn): Expression<SqlBool> {
  const has = (c: DateColumn) => eb(c, 'is not', null);
  const open = (c: DateColumn) => eb(c, 'is', null);
  const contained = () => eb.and([has(lo), eb(lo, '>=', s.lo), has(hi), eb(hi, '<=', s.hi)]);
  const endsAbove = () => eb.or([open(hi), eb(hi, '>', s.hi)]);
  const startsBelow = () => eb.or([open(lo), eb(lo, '<', s.lo)]);
  const condition = {
    eq: contained,
    ne: () => eb.not(contained()),
    gt: endsAbove,
    lt: startsBelow,
    ge: () => eb.or([endsAbove(), contained()]),
    le: () => eb.or([startsBelow(), contained()]),
    sa: () => eb.and([has(lo), eb(lo, '>', s.hi)]),
    eb: () => eb.and([has(hi), eb(hi, '<', s.lo)]),
    ap: () => eb.and([eb.or([open(lo), eb(lo, '<=', s.hi)]), eb.or([open(hi), eb(hi, '>=', s.lo)])]),
  }[s.prefix]();
  return eb.and([eb.or([has(lo), has(hi)]), condition]);
}

/** `!` escapes LIKE's wildcards (the same on SQLite and PostgreSQL). */
const likeEscaped = (text: string) => text.replace(/[!%_]/g, (c) => `!${c}`);

function nameWhere(eb: Eb, column: 'author_given_name' | 'author_family_name', n: NameSearch) {
  if (n.match === 'exact') return eb(column, '=', n.value);
  const searchColumn = column === 'author_given_name' ? 'author_given_search' : 'author_family_search';
  const value = likeEscaped(searchableName(n.value));
  const pattern = n.match === 'starts' ? `${value}%` : `%${value}%`;
  return sql<SqlBool>`${sql.ref(searchColumn)} like ${pattern} escape '!'`;
}

function labelSearchWhere(eb: Eb, label: LevelOrFlag) {
  return label === 'N' || label === 'R' || label === 'V'
    ? eb('confidentiality_code', '=', label)
    : eb(flagColumn[label], '=', 1);
}

/** The ITI-67 filters: each inner list an OR, all of them together an AND. */
function documentFiltersWhere(
  eb: Eb,
  f: DocumentFilters,
  keys: Parameters<typeof eventTokens>[0],
  patientId: PatientId,
) {
  const parts: Expression<SqlBool>[] = [];
  const each = <T>(groups: AllOf<T> | undefined, one: (value: T) => Expression<SqlBool>) => {
    for (const group of groups ?? []) parts.push(group.length === 0 ? eb.lit(false) : eb.or(group.map(one)));
  };
  each(f.identifiers, (i) =>
    'documentId' in i ? eb('id', '=', i.documentId) : eb('master_identifier', '=', i.masterIdentifier),
  );
  each(f.types, (c) => codeWhere(eb, 'type_system', 'type_code', c));
  each(f.classCodes, (c) => eb('class_code', '=', c));
  each(f.formats, (c) => codeWhere(eb, 'format_system', 'format_code', c));
  each(f.facilities, (c) => codeWhere(eb, 'facility_system', 'facility_code', c));
  each(f.settings, (c) => codeWhere(eb, 'setting_system', 'setting_code', c));
  each(f.events, (c) => {
    // A stored event always has a system: `|code` finds none; `code` alone is the token without its system.
    if (c.system === null) return eb.lit(false);
    const [token] = eventTokens(keys, patientId, c.system, c.code);
    return eb(
      'id',
      'in',
      eb
        .selectFrom('document_event_tokens')
        .select('document_event_tokens.document_id')
        .where('document_event_tokens.patient_id', '=', patientId)
        .where('document_event_tokens.token', '=', token!),
    );
  });
  each(f.related, (c) =>
    eb(
      'id',
      'in',
      eb
        .selectFrom('document_related_ids')
        .select('document_related_ids.document_id')
        .where('document_related_ids.patient_id', '=', patientId)
        .where('document_related_ids.value', '=', c.code)
        .$if(c.system === null, (qb) => qb.where('document_related_ids.system', 'is', null))
        .$if(typeof c.system === 'string', (qb) => qb.where('document_related_ids.system', '=', c.system!)),
    ),
  );
  each(f.labels, (l) => labelSearchWhere(eb, l));
  each(f.created, (d) => dateWhere(eb, d, 'created_at', 'created_at'));
  each(f.deposited, (d) => dateWhere(eb, d, 'deposited_at', 'deposited_at'));
  each(f.period, (d) => dateWhere(eb, d, 'service_start', 'service_end'));
  each(f.authorGiven, (n) => nameWhere(eb, 'author_given_name', n));
  each(f.authorFamily, (n) => nameWhere(eb, 'author_family_name', n));
  each(f.authorNationalIds, (id) => eb('author_national_id', '=', id));
  return parts;
}

/** The query's own filters (what the caller asked), before the policy's (what the caller may see). */
function filtersWhere(q: DocumentQuery, keys: Parameters<typeof eventTokens>[0]) {
  return (eb: ExpressionBuilder<Database, 'documents'>) => {
    const statuses = q.statuses ?? ['current'];
    const parts: Expression<SqlBool>[] = [
      statuses.length ? eb('status', 'in', [...statuses]) : eb.lit(false),
    ];
    if (q.typeCodes?.length) parts.push(eb('type_code', 'in', [...q.typeCodes]));
    if (q.classCodes?.length) parts.push(eb('class_code', 'in', [...q.classCodes]));
    if (q.from) parts.push(eb('deposited_at', '>=', q.from));
    if (q.to) parts.push(eb('deposited_at', '<=', q.to));
    if (q.authorNationalId) parts.push(eb('author_national_id', '=', q.authorNationalId));
    if (q.securityLabels?.length) parts.push(labelWhere(q.securityLabels)(eb));
    if (q.filters) parts.push(...documentFiltersWhere(eb, q.filters, keys, q.patientId));
    return eb.and(parts);
  };
}

/** A page of the documents the caller may see, and how many of the record's the habilitation matrix hides. */
export interface DocumentSearchResult {
  readonly total: number;
  readonly documents: RecordDocument[];
  /**
   * For a professional, the number of the record's documents (whatever the filters) that the habilitation
   * matrix hides from their profession: a number only, never which ones, so that an omission is not silent.
   */
  readonly hiddenByMatrix: number;
  /**
   * A professional without the right to consult the record sees only the documents they wrote: the rest takes
   * the patient's consent (or the médecin traitant relationship, or an emergency mode).
   */
  readonly ownDocumentsOnly: boolean;
  /** When asked (`DocumentQuery.facets`): the counts per value under the policy, the query and the other filters. */
  readonly facets?: DocumentFacets;
  /** For a professional: the end of their previous visit to this record (« nouveau depuis »), if any. */
  readonly lastVisitAt?: string;
  /** When asked (`DocumentQuery.episodes`): the episodes of care of the page's documents, as they first appear. */
  readonly episodes?: Episode[];
  /** The searched words as compared (lower case, no accents), for highlighting. */
  readonly words: string[];
  /** Which of `documents` are new to the reader (`newDocumentsFor`): « Non ouvert », « Nouveau ». */
  readonly newIds: ReadonlySet<DocumentId>;
}

/**
 * A page of a patient's documents, newest deposit first (then by id, descending, so that pages never overlap). The policy's predicate is part of the SQL, so the
 * total and the pages never count a document the caller may not see.
 */
export async function searchDocuments(
  ctx: AppContext,
  principal: Principal,
  q: DocumentQuery,
): Promise<DocumentSearchResult> {
  const now = ctx.clock.now();
  return inRecordTransaction(ctx, async (trx) => {
    const opened = await openDocumentSearch(trx, principal, q.patientId, 'search', now);
    if (opened instanceof Refusal) return opened;
    const { record } = opened;
    // Read before this search's own access moves it (noteConsultation below).
    const lastVisitAt =
      principal.kind === 'professional' ? previousVisitAt(record.professionalRow?.row, now) : undefined;
    const { total, rows, hiddenByMatrix, facets, words } = await documentsPage(
      trx,
      ctx.config,
      principal,
      record,
      q,
      lastVisitAt,
    );
    const episodes = q.episodes ? await episodesOf(trx, principal, record, rows) : undefined;
    const newIds = await newDocumentsFor(trx, principal, q.patientId, rows);
    const ownDocumentsOnly = opened.ownDocumentsOnly === true;
    // Listing what one wrote is not consulting the record: no first-consultation notice for it.
    if (!ownDocumentsOnly) await noteConsultation(ctx, trx, principal, record, opened.emergency, now);
    const detail = {
      total,
      returned: rows.length,
      hiddenByMatrix,
      ...(ownDocumentsOnly ? { ownDocumentsOnly } : {}),
    };
    await appendAudit(
      trx,
      trace(principal, q.patientId, 'search', 'success', {
        targetType: 'Patient',
        targetId: q.patientId,
        detail,
      }),
      now,
    );
    return {
      total,
      documents: rows,
      hiddenByMatrix,
      ownDocumentsOnly,
      ...(facets ? { facets } : {}),
      ...(episodes ? { episodes } : {}),
      ...(lastVisitAt ? { lastVisitAt } : {}),
      words,
      newIds,
    };
  });
}

/**
 * One page of a search already opened by the guard (`openDocumentSearch`), in its transaction: the policy's
 * predicate and the query's in the same SQL, so the total never counts a document the caller may not see.
 * Neither traced nor noted as a consultation: the caller does both, once for its whole answer.
 */
export async function documentsPage(
  trx: Executor,
  keys: Parameters<typeof eventTokens>[0],
  principal: Principal,
  record: LoadedRecord,
  q: DocumentQuery,
  lastVisitAt: string | undefined,
) {
  const visible = visibleDocumentsWhere(principal, record.context);
  const words = await matchWords(trx, keys, q.patientId, q.browse?.text);
  const browseContext: BrowseContext = { patientId: q.patientId, principal, words, lastVisitAt };
  const queried = filtersWhere(q, keys);
  const browsed = (except: readonly FacetDimension[] = []) =>
    q.browse ? browseWhere(q.browse, browseContext, except) : (eb: Eb) => eb.lit(true);
  const filters = (eb: Eb) => eb.and([queried(eb), browsed()(eb)]);
  const hiddenWhere = matrixHiddenDocumentsWhere(principal, record.context);
  // Both counts in one pass over the patient's rows: every predicate of either names this patient.
  const counts = await trx
    .selectFrom('documents')
    .where('patient_id', '=', q.patientId)
    .select((eb) => [
      eb.fn
        .countAll<number | string>()
        .filterWhere((eb) => eb.and([visible(eb), filters(eb)]))
        .as('total'),
      eb.fn.countAll<number | string>().filterWhere(hiddenWhere).as('hidden'),
    ])
    .executeTakeFirstOrThrow();
  const rows = await trx
    .selectFrom('documents')
    .where('patient_id', '=', q.patientId)
    .where(visible)
    .where(filters)
    .selectAll()
    .orderBy('deposited_at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.count)
    .offset(q.offset)
    .execute();
  const facets = q.facets
    ? await documentFacets(trx, q.patientId, q.browse ?? {}, (eb) =>
        eb.and([visible(eb), queried(eb), browsed(facetDimensions)(eb)]),
      )
    : undefined;
  return {
    total: Number(counts.total),
    rows: rows.map((row) => toRecordDocument(keys, row)),
    hiddenByMatrix: Number(counts.hidden),
    facets,
    words: words.map((w) => w.word),
  };
}
