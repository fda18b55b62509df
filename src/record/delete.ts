import type { AppContext } from '../app/index.ts';
import type { Principal } from '../access/index.ts';
import type { DocumentId } from '../guard/index.ts';
import { changeStatus } from './status-change.ts';

/** The patient deletes a document they uploaded (status `deleted`; hidden from all but an auditor). */
export async function deleteDocument(
  ctx: AppContext,
  principal: Principal,
  documentId: DocumentId,
): Promise<void> {
  await changeStatus(ctx, principal, documentId, 'delete', 'deleted');
}
