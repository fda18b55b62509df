import type { AppContext } from '../app/index.ts';
import { visibleDocumentsWhere, type Principal, type DocumentAction } from '../access/index.ts';
import { appendAudit } from '../audit/index.ts';
import type { PatientId } from '../identity/index.ts';
import type { Executor } from '../storage/index.ts';
import {
  trace,
  type ConfidentialityFlag,
  type DocumentId,
  type RecordDocument,
  checkDocumentAction,
  openDocument,
  openRecord,
  setDocumentFlags,
  documentFacts,
  type LoadedRecord,
  inRecordTransaction,
  Refusal,
} from '../guard/index.ts';
import { notifyNewDocuments } from './notifications.ts';

export interface ConfidentialityChange {
  readonly add?: readonly ConfidentialityFlag[];
  readonly remove?: readonly ConfidentialityFlag[];
}

/**
 * Masking is the patient's (or the author's) choice; the two invisibility flags are the author's. The patient's
 * mask is the patient's: the author lifts only a mask they set (`author_masks`).
 */
const actionOf = (flag: ConfidentialityFlag, adding: boolean): DocumentAction =>
  flag === 'MASQUE_PS' ? (adding ? 'mask' : 'unmask') : 'set-invisible';

/** Changes a document's confidentiality set (FHIR `PATCH securityLabel`); one trace per flag changed. */
export async function changeConfidentiality(
  ctx: AppContext,
  principal: Principal,
  documentId: DocumentId,
  change: ConfidentialityChange,
): Promise<RecordDocument> {
  const now = ctx.clock.now();
  return inRecordTransaction(ctx, async (trx) => {
    const opened = await openDocument(ctx.config, trx, principal, documentId, 'mask', now);
    if (opened instanceof Refusal) return opened;
    const current = new Set(opened.doc.confidentiality);
    const added = (change.add ?? []).filter((f) => !current.has(f));
    const removed = (change.remove ?? []).filter((f) => current.has(f) && !(change.add ?? []).includes(f));
    const steps = [...added.map((f) => [f, true] as const), ...removed.map((f) => [f, false] as const)];
    const facts = { ...documentFacts(opened.doc), maskedByPatient: await maskedByPatient(trx, opened.doc) };
    for (const [flag, adding] of steps) {
      const audit = adding ? 'mask' : 'unmask';
      const action = actionOf(flag, adding);
      const refusal = await checkDocumentAction(trx, principal, opened, action, audit, now, facts);
      if (refusal) return refusal;
    }
    if (steps.length === 0) return opened.doc;
    const flags = [...[...current].filter((f) => !removed.includes(f)), ...added];
    await setDocumentFlags(trx, opened.doc, flags, now.toISOString());
    if (added.includes('MASQUE_PS') && principal.kind === 'professional') {
      await recordAuthorMask(trx, opened.doc, now);
    } else if (removed.includes('MASQUE_PS')) {
      await forgetAuthorMask(trx, opened.doc);
    }
    for (const [flag, adding] of steps) {
      const input = trace(principal, opened.doc.patientId, adding ? 'mask' : 'unmask', 'success', {
        targetType: 'DocumentReference',
        targetId: opened.doc.id,
        detail: { flag },
      });
      await appendAudit(trx, input, now);
    }
    // A document that was hidden until announced reaches the patient now: they hear of it as of a new one.
    if (
      revealedToPatient(opened.doc.confidentiality, flags, opened.record) &&
      opened.doc.status !== 'deleted'
    ) {
      const author = opened.doc.author;
      const actor = { name: author.name, professionCode: author.professionCode };
      await notifyNewDocuments(ctx, trx, opened.record.person, 1, actor, now);
    }
    return { ...opened.doc, confidentiality: flags };
  });
}

/**
 * Whether a change of flags makes the document visible to whoever reads the record for the patient: the patient,
 * or a minor's representatives (INVISIBLE_REPRESENTANTS_LEGAUX also hides it from them).
 */
export function revealedToPatient(
  before: readonly ConfidentialityFlag[],
  after: readonly ConfidentialityFlag[],
  record: Pick<LoadedRecord, 'context'>,
): boolean {
  const hidden = (flags: readonly ConfidentialityFlag[]) =>
    flags.includes('INVISIBLE_PATIENT') ||
    (record.context.patientIsMinor && flags.includes('INVISIBLE_REPRESENTANTS_LEGAUX'));
  return hidden(before) && !hidden(after);
}

/** Whether the document's mask (if any) is the patient's: every mask its author did not record as theirs. */
async function maskedByPatient(db: Executor, doc: RecordDocument): Promise<boolean> {
  if (!doc.confidentiality.includes('MASQUE_PS')) return false;
  const row = await db
    .selectFrom('author_masks')
    .select('document_id')
    .where('patient_id', '=', doc.patientId)
    .where('document_id', '=', doc.id)
    .executeTakeFirst();
  return row === undefined;
}

/** Records that the document's author masked it (a deposit with `MASQUE_PS`, or a later mask). */
export async function recordAuthorMask(
  db: Executor,
  doc: Pick<RecordDocument, 'patientId' | 'id'>,
  now: Date,
): Promise<void> {
  await db
    .insertInto('author_masks')
    .values({ patient_id: doc.patientId, document_id: doc.id, masked_at: now.toISOString() })
    .onConflict((oc) => oc.columns(['patient_id', 'document_id']).doNothing())
    .execute();
}

async function forgetAuthorMask(db: Executor, doc: RecordDocument): Promise<void> {
  await db
    .deleteFrom('author_masks')
    .where('patient_id', '=', doc.patientId)
    .where('document_id', '=', doc.id)
    .execute();
}

/**
 * "Masquer tous mes documents" (docs/access.md, "Masks and visibility flags"): masks every document the patient
 * sees; returns how many changed.
 */
export async function maskAllDocuments(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
): Promise<number> {
  const now = ctx.clock.now();
  return inRecordTransaction(ctx, async (trx) => {
    const opened = await openRecord(trx, principal, patientId, 'manage-settings', 'mask', now);
    if (opened instanceof Refusal) return opened;
    const { record } = opened;
    const result = await trx
      .updateTable('documents')
      .set({ masked_ps: 1, updated_at: now.toISOString() })
      .where('patient_id', '=', patientId)
      .where('masked_ps', '=', 0)
      .where('status', '!=', 'deleted')
      .where(visibleDocumentsWhere(principal, record.context))
      .executeTakeFirst();
    const count = Number(result.numUpdatedRows);
    const input = trace(principal, patientId, 'mask', 'success', {
      targetType: 'Patient',
      targetId: patientId,
      detail: { all: true, count },
    });
    await appendAudit(trx, input, now);
    return count;
  });
}
