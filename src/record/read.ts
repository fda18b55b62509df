import type { AppContext } from '../app/index.ts';
import type { Principal } from '../access/index.ts';
import { appendAudit, type AuditAction } from '../audit/index.ts';
import {
  trace,
  type DocumentId,
  type RecordDocument,
  openDocument,
  type OpenedDocument,
  documentNotFound,
  inRecordTransaction,
  Refusal,
} from '../guard/index.ts';
import { createContentStore } from './content/index.ts';
import { noteConsultation } from './consultation.ts';
import { noteOpening } from './openings.ts';
import type { PatientId } from '../identity/index.ts';

async function consult(
  ctx: AppContext,
  principal: Principal,
  documentId: DocumentId,
  action: AuditAction,
  inRecord: PatientId | undefined,
): Promise<OpenedDocument> {
  const now = ctx.clock.now();
  return inRecordTransaction(ctx, async (trx) => {
    const opened = await openDocument(ctx.config, trx, principal, documentId, action, now);
    if (opened instanceof Refusal) return opened;
    // An address naming one patient's record serves that record's documents only, nothing read from another.
    if (inRecord !== undefined && opened.doc.patientId !== inRecord) throw documentNotFound();
    // Reading what one wrote is not consulting the record: no first-consultation notice for it.
    if (!opened.ownDocumentOnly)
      await noteConsultation(ctx, trx, principal, opened.record, opened.emergency, now);
    // The patient (or a representative) has seen it: no longer « Nouveau » for them.
    await noteOpening(trx, principal, opened.doc, now);
    const input = trace(principal, opened.doc.patientId, action, 'success', {
      targetType: 'DocumentReference',
      targetId: opened.doc.id,
    });
    await appendAudit(trx, input, now);
    return opened;
  });
}

/**
 * One document's metadata (FHIR `DocumentReference/<id>`); a document the caller may not see is not found, and so is
 * one outside `inRecord` when the address names a record.
 */
export async function readDocument(
  ctx: AppContext,
  principal: Principal,
  documentId: DocumentId,
  inRecord?: PatientId,
): Promise<RecordDocument> {
  return (await consult(ctx, principal, documentId, 'read', inRecord)).doc;
}

/** The exact bytes (ITI-68), decrypted and checked against the stored hash. */
export async function retrieveDocumentContent(
  ctx: AppContext,
  principal: Principal,
  documentId: DocumentId,
  inRecord?: PatientId,
): Promise<{ document: RecordDocument; content: Buffer }> {
  const { doc } = await consult(ctx, principal, documentId, 'retrieve', inRecord);
  const content = await createContentStore(ctx).get(doc.patientId, doc.id, doc.hash);
  return { document: doc, content };
}
