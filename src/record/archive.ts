import type { AppContext } from '../app/index.ts';
import type { Principal } from '../access/index.ts';
import type { DocumentId, RecordDocument } from '../guard/index.ts';
import { changeStatus } from './status-change.ts';

/** The author archives a document: still readable, no longer among current documents. */
export async function archiveDocument(
  ctx: AppContext,
  principal: Principal,
  documentId: DocumentId,
): Promise<RecordDocument> {
  return changeStatus(ctx, principal, documentId, 'archive', 'archived');
}
