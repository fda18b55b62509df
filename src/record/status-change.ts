import type { AppContext } from '../app/index.ts';
import type { Principal } from '../access/index.ts';
import { appendAudit } from '../audit/index.ts';
import { CarnetError } from '../shared/index.ts';
import {
  trace,
  type DocumentId,
  type DocumentStatus,
  type RecordDocument,
  checkDocumentAction,
  openDocument,
  setDocumentStatus,
  inRecordTransaction,
  Refusal,
} from '../guard/index.ts';

/**
 * Archive and delete are logical (docs/fhir.md, "Document metadata"): the row and the content stay, only the status
 * changes.
 */
export async function changeStatus(
  ctx: AppContext,
  principal: Principal,
  documentId: DocumentId,
  action: 'archive' | 'delete',
  status: DocumentStatus,
): Promise<RecordDocument> {
  const now = ctx.clock.now();
  return inRecordTransaction(ctx, async (trx) => {
    const opened = await openDocument(ctx.config, trx, principal, documentId, action, now);
    if (opened instanceof Refusal) return opened;
    const refusal = await checkDocumentAction(trx, principal, opened, action, action, now);
    if (refusal) return refusal;
    if (opened.doc.status === status) return opened.doc;
    if (opened.doc.status !== 'current' && !(action === 'delete' && opened.doc.status === 'archived')) {
      throw new CarnetError(
        'conflict',
        'document-not-current',
        'L’état du document ne permet pas cette action.',
      );
    }
    await setDocumentStatus(trx, opened.doc, status, now.toISOString());
    const input = trace(principal, opened.doc.patientId, action, 'success', {
      targetType: 'DocumentReference',
      targetId: opened.doc.id,
    });
    await appendAudit(trx, input, now);
    return { ...opened.doc, status };
  });
}
