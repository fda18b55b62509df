import type { ExpressionBuilder } from 'kysely';
import type { AppContext } from '../app/context.ts';
import { matrixHiddenDocumentsWhere, visibleDocumentsWhere } from '../access/document-filter.ts';
import type { Principal } from '../access/principal.ts';
import { decideDocumentSearch } from '../access/record-policy.ts';
import { appendAudit } from '../audit/index.ts';
import type { PatientId } from '../identity/index.ts';
import type { Database } from '../storage/index.ts';
import { trace } from './audit-trace.ts';
import { noteConsultation } from './consultation.ts';
import type { ConfidentialityFlag, RecordDocument, DocumentStatus } from './document.ts';
import { toRecordDocument } from './document-row.ts';
import { loadRecord } from './record-context.ts';
import { denialError, inRecordTransaction, refuse } from './refusal.ts';

export type SecurityLabelCode = 'N' | ConfidentialityFlag;

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
  /** Any of these labels (`N`: no flag at all). */
  readonly securityLabels?: readonly SecurityLabelCode[];
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

/** The query's own filters (what the caller asked), before the policy's (what the caller may see). */
function filtersWhere(q: DocumentQuery) {
  return (eb: ExpressionBuilder<Database, 'documents'>) => {
    const parts = [eb('status', 'in', [...(q.statuses ?? ['current'])])];
    if (q.typeCodes?.length) parts.push(eb('type_code', 'in', [...q.typeCodes]));
    if (q.classCodes?.length) parts.push(eb('class_code', 'in', [...q.classCodes]));
    if (q.from) parts.push(eb('deposited_at', '>=', q.from));
    if (q.to) parts.push(eb('deposited_at', '<=', q.to));
    if (q.authorNationalId) parts.push(eb('author_national_id', '=', q.authorNationalId));
    if (q.securityLabels?.length) parts.push(labelWhere(q.securityLabels)(eb));
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
}

/**
 * A page of a patient's documents, newest deposit first. The policy's predicate is part of the SQL, so the
 * total and the pages never count a document the caller may not see.
 */
export async function searchDocuments(
  ctx: AppContext,
  principal: Principal,
  q: DocumentQuery,
): Promise<DocumentSearchResult> {
  const now = ctx.clock.now();
  return inRecordTransaction(ctx, async (trx) => {
    const record = await loadRecord(trx, q.patientId, principal, now);
    const decision = decideDocumentSearch(principal, record.context);
    if (!decision.allowed) {
      const input = trace(principal, q.patientId, 'search', 'denied', {
        detail: { refusal: decision.reason },
      });
      return refuse(trx, input, denialError(decision.reason), now);
    }
    const base = trx
      .selectFrom('documents')
      .where('patient_id', '=', q.patientId)
      .where(visibleDocumentsWhere(principal, record.context))
      .where(filtersWhere(q));
    const { total } = await base
      .select((eb) => eb.fn.countAll<number | string>().as('total'))
      .executeTakeFirstOrThrow();
    const rows = await base
      .selectAll()
      .orderBy('deposited_at', 'desc')
      .orderBy('id', 'desc')
      .limit(q.count)
      .offset(q.offset)
      .execute();
    const hidden = await trx
      .selectFrom('documents')
      .where(matrixHiddenDocumentsWhere(principal, record.context))
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .executeTakeFirstOrThrow();
    const hiddenByMatrix = Number(hidden.count);
    await noteConsultation(ctx, trx, principal, record, decision.emergency, now);
    const detail = { total: Number(total), returned: rows.length, hiddenByMatrix };
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
      total: Number(total),
      documents: rows.map((row) => toRecordDocument(ctx.config, row)),
      hiddenByMatrix,
    };
  });
}
