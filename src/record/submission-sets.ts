import { sql, type ExpressionBuilder, type Selectable } from 'kysely';
import type { AppContext } from '../app/index.ts';
import { visibleDocumentsWhere, type Principal, type RecordContext } from '../access/index.ts';
import { appendAudit } from '../audit/index.ts';
import type { Config } from '../config/index.ts';
import type { PatientId } from '../identity/index.ts';
import { conflict, notFound } from '../shared/index.ts';
import {
  isUniqueViolation,
  type Database,
  type Executor,
  type SubmissionSetsTable,
  openField,
  sealField,
} from '../storage/index.ts';
import {
  trace,
  type DocumentAuthor,
  type DocumentCoding,
  type DocumentId,
  openDocumentSearch,
  inRecordTransaction,
  Refusal,
} from '../guard/index.ts';
import { noteConsultation } from './consultation.ts';

type Keys = Pick<Config, 'documentKey'>;

/** What a producer says of its submission set (ITI-65 `List`, PDSm SubmissionSet). */
export interface SubmissionSetInput {
  /** The producer's uniqueId (List `identifier`, use usual); unique in the patient's record. */
  readonly masterIdentifier: string;
  /** The sending system (`ihe-sourceId`). */
  readonly sourceId: string | undefined;
  /** The clinical activity that led to the submission (`ihe-designationType`, XDS contentTypeCode). */
  readonly contentType: DocumentCoding | undefined;
  readonly title: string | undefined;
  readonly comments: string | undefined;
}

/** A stored submission set: what was submitted, when, by whom. */
export interface SubmissionSet {
  /** Carnet's id: the FHIR `List` id. */
  readonly id: string;
  readonly patientId: PatientId;
  readonly masterIdentifier: string;
  readonly sourceId: string | undefined;
  readonly submittedAt: string;
  readonly status: 'current';
  readonly contentType: DocumentCoding | undefined;
  readonly title: string | undefined;
  readonly comments: string | undefined;
  readonly author: DocumentAuthor;
}

/** The sealed part of a row: free text (title, comments) and who submitted it. */
interface SealedDetail {
  readonly title?: string;
  readonly comments?: string;
  readonly contentTypeDisplay?: string;
  readonly author: DocumentAuthor;
}

const detailPlace = (id: string) => `submission-set:${id}`;

export async function insertSubmissionSet(
  config: Keys,
  db: Executor,
  patientId: PatientId,
  id: string,
  input: SubmissionSetInput,
  author: DocumentAuthor,
  now: string,
): Promise<void> {
  const detail: SealedDetail = {
    ...(input.title ? { title: input.title } : {}),
    ...(input.comments ? { comments: input.comments } : {}),
    ...(input.contentType?.display ? { contentTypeDisplay: input.contentType.display } : {}),
    author,
  };
  await db
    .insertInto('submission_sets')
    .values({
      patient_id: patientId,
      id,
      master_identifier: input.masterIdentifier,
      source_id: input.sourceId ?? null,
      submitted_at: now,
      author_national_id: author.nationalId ?? null,
      content_type_system: input.contentType?.system ?? null,
      content_type_code: input.contentType?.code ?? null,
      status: 'current',
      sealed_detail: sealField(config, patientId, detailPlace(id), JSON.stringify(detail)),
    })
    .execute()
    .catch((error: unknown) => {
      if (!isUniqueViolation(error)) throw error;
      throw conflict(
        'submission-set-duplicate',
        `Un lot de soumission portant l’identifiant « ${input.masterIdentifier.slice(0, 128)} » existe déjà.`,
      );
    });
}

function toSubmissionSet(config: Keys, row: Selectable<SubmissionSetsTable>): SubmissionSet {
  const detail = row.sealed_detail
    ? (JSON.parse(openField(config, row.patient_id, detailPlace(row.id), row.sealed_detail)) as SealedDetail)
    : undefined;
  const author: DocumentAuthor = detail?.author ?? {
    kind: 'professional',
    nationalId: (row.author_national_id ?? undefined) as DocumentAuthor['nationalId'],
    patientId: undefined,
    name: row.author_national_id ?? 'Auteur inconnu',
    givenName: undefined,
    familyName: undefined,
    professionCode: undefined,
    specialtyCode: undefined,
    structureNationalId: undefined,
    structureName: undefined,
  };
  return {
    id: row.id,
    patientId: row.patient_id as PatientId,
    masterIdentifier: row.master_identifier,
    sourceId: row.source_id ?? undefined,
    submittedAt: row.submitted_at,
    status: 'current',
    contentType:
      row.content_type_system && row.content_type_code
        ? {
            system: row.content_type_system,
            code: row.content_type_code,
            ...(detail?.contentTypeDisplay ? { display: detail.contentTypeDisplay } : {}),
          }
        : undefined,
    title: detail?.title,
    comments: detail?.comments,
    author,
  };
}

/** The ids of the set's documents the caller may see (the documents' own policy, version by version). */
function visibleMembers(
  db: Executor,
  principal: Principal,
  record: RecordContext,
  setIds: readonly string[],
) {
  return db
    .selectFrom('documents')
    .where('patient_id', '=', record.patientId)
    .where('submission_set_id', 'in', [...setIds])
    .where(visibleDocumentsWhere(principal, record))
    .select(['id', 'submission_set_id'])
    .orderBy('id')
    .execute();
}

const submissionSetNotFound = () => notFound('submission-set-not-found', 'Lot de soumission introuvable.');

/** A submission set with the documents of it the caller may see. */
export interface VisibleSubmissionSet {
  readonly set: SubmissionSet;
  readonly documentIds: readonly DocumentId[];
}

/**
 * The producer's free text (title, comments) speaks of the whole set: it is shown only to a reader who sees every
 * document of it, so that a hidden document is not betrayed by the set's title.
 */
async function withTextIfComplete(
  db: Executor,
  patientId: string,
  visible: readonly VisibleSubmissionSet[],
): Promise<VisibleSubmissionSet[]> {
  if (visible.length === 0) return [];
  const counts = await db
    .selectFrom('documents')
    .where('patient_id', '=', patientId)
    .where(
      'submission_set_id',
      'in',
      visible.map((v) => v.set.id),
    )
    .where('status', '!=', 'deleted')
    .select(['submission_set_id', (eb) => eb.fn.countAll<number | string>().as('count')])
    .groupBy('submission_set_id')
    .execute();
  const all = new Map(counts.map((c) => [c.submission_set_id, Number(c.count)]));
  return visible.map((v) =>
    all.get(v.set.id) === v.documentIds.length
      ? v
      : { ...v, set: { ...v.set, title: undefined, comments: undefined } },
  );
}

/**
 * One submission set (`List/<id>`). The caller sees the documents of it they may see; a set none of whose
 * documents they may see is not found, exactly like a set that does not exist (its existence is not disclosed).
 */
export async function readSubmissionSet(
  ctx: AppContext,
  principal: Principal,
  id: string,
): Promise<VisibleSubmissionSet> {
  const now = ctx.clock.now();
  return inRecordTransaction(ctx, async (trx) => {
    // The set names its patient: found in the transaction the guard then decides in, as a document is.
    const row = await trx.selectFrom('submission_sets').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw submissionSetNotFound();
    // As for a document: a record the caller may not consult hides its sets (the refusal is audited).
    const opened = await openDocumentSearch(trx, principal, row.patient_id as PatientId, 'read', now, {
      targetType: 'List',
      targetId: id,
      error: submissionSetNotFound(),
    });
    if (opened instanceof Refusal) return opened;
    const { record } = opened;
    const members = await visibleMembers(trx, principal, record.context, [id]);
    if (members.length === 0) throw submissionSetNotFound();
    await noteConsultation(ctx, trx, principal, record, opened.emergency, now);
    await appendAudit(
      trx,
      trace(principal, record.context.patientId, 'read', 'success', {
        targetType: 'List',
        targetId: id,
        detail: { entries: members.length },
      }),
      now,
    );
    const [visible] = await withTextIfComplete(trx, row.patient_id, [
      { set: toSubmissionSet(ctx.config, row), documentIds: members.map((m) => m.id as DocumentId) },
    ]);
    return visible!;
  });
}

/** ITI-66 criteria on submission sets (MHD "Find Document Lists", code `submissionset`). */
export interface SubmissionSetQuery {
  readonly patientId: PatientId;
  /** Bounds on the submission time (List `date`), inclusive, ISO-8601. */
  readonly from?: string;
  readonly to?: string;
  /** uniqueId or entryUUID (`urn:uuid:<List id>`). */
  readonly identifiers?: readonly string[];
  readonly sourceIds?: readonly string[];
  /** `system|code` or `code` tokens on the designation type. */
  readonly designationTypes?: readonly { readonly system: string | undefined; readonly code: string }[];
  /**
   * The author's names (MHD `source.given` / `source.family`): FHIR string search, a case-insensitive prefix, on
   * the directory entry of the professional who submitted the set.
   */
  readonly authorGiven?: string;
  readonly authorFamily?: string;
  /** Default: `['current']` (the only status Carnet's sets have). */
  readonly statuses?: readonly string[];
  readonly count: number;
  readonly offset: number;
}

function setFiltersWhere(q: SubmissionSetQuery) {
  return (eb: ExpressionBuilder<Database, 'submission_sets'>) => {
    const parts = [eb('status', 'in', [...(q.statuses ?? ['current'])])];
    if (q.from) parts.push(eb('submitted_at', '>=', q.from));
    if (q.to) parts.push(eb('submitted_at', '<=', q.to));
    if (q.sourceIds?.length) parts.push(eb('source_id', 'in', [...q.sourceIds]));
    if (q.identifiers?.length) {
      const entryIds = q.identifiers.flatMap((i) => (i.startsWith('urn:uuid:') ? [i.slice(9)] : []));
      parts.push(
        eb.or([
          eb('master_identifier', 'in', [...q.identifiers]),
          ...(entryIds.length ? [eb('id', 'in', entryIds)] : []),
        ]),
      );
    }
    const prefix = (value: string) => `${value.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const names = [
      ...(q.authorGiven ? [['given_name', q.authorGiven] as const] : []),
      ...(q.authorFamily ? [['family_name', q.authorFamily] as const] : []),
    ];
    if (names.length) {
      parts.push(
        eb(
          'author_national_id',
          'in',
          eb
            .selectFrom('professionals')
            .select('national_id')
            .where((p) =>
              p.and(
                names.map(([column, value]) =>
                  p(sql`lower(${sql.ref(column)})`, 'like', sql`${prefix(value)} escape '\\'`),
                ),
              ),
            ),
        ),
      );
    }
    if (q.designationTypes?.length) {
      parts.push(
        eb.or(
          q.designationTypes.map((t) =>
            t.system === undefined
              ? eb('content_type_code', '=', t.code)
              : eb.and([eb('content_type_system', '=', t.system), eb('content_type_code', '=', t.code)]),
          ),
        ),
      );
    }
    return eb.and(parts);
  };
}

export interface SubmissionSetSearchResult {
  readonly total: number;
  readonly sets: readonly VisibleSubmissionSet[];
}

/**
 * ITI-66: a page of the patient's submission sets, newest first, among those with at least one document the
 * caller may see (so that total, pages and reads agree); each with its visible documents.
 */
export async function searchSubmissionSets(
  ctx: AppContext,
  principal: Principal,
  q: SubmissionSetQuery,
): Promise<SubmissionSetSearchResult> {
  const now = ctx.clock.now();
  return inRecordTransaction(ctx, async (trx) => {
    const opened = await openDocumentSearch(trx, principal, q.patientId, 'search', now, {
      detail: { resource: 'List' },
    });
    if (opened instanceof Refusal) return opened;
    const { record } = opened;
    const visible = visibleDocumentsWhere(principal, record.context);
    const base = trx
      .selectFrom('submission_sets')
      .where('submission_sets.patient_id', '=', q.patientId)
      .where(setFiltersWhere(q))
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('documents')
            .select('documents.id')
            .whereRef('documents.submission_set_id', '=', 'submission_sets.id')
            .where('documents.patient_id', '=', q.patientId)
            .where(visible),
        ),
      );
    const { total } = await base
      .select((eb) => eb.fn.countAll<number | string>().as('total'))
      .executeTakeFirstOrThrow();
    const rows = await base
      .selectAll()
      .orderBy('submitted_at', 'desc')
      .orderBy('id', 'desc')
      .limit(q.count)
      .offset(q.offset)
      .execute();
    const members = rows.length
      ? await visibleMembers(
          trx,
          principal,
          record.context,
          rows.map((r) => r.id),
        )
      : [];
    await noteConsultation(ctx, trx, principal, record, opened.emergency, now);
    await appendAudit(
      trx,
      trace(principal, q.patientId, 'search', 'success', {
        targetType: 'Patient',
        targetId: q.patientId,
        detail: { resource: 'List', total: Number(total), returned: rows.length },
      }),
      now,
    );
    const sets = await withTextIfComplete(
      trx,
      q.patientId,
      rows.map((row) => ({
        set: toSubmissionSet(ctx.config, row),
        documentIds: members.filter((m) => m.submission_set_id === row.id).map((m) => m.id as DocumentId),
      })),
    );
    return { total: Number(total), sets };
  });
}
