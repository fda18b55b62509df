import type { AppContext } from '../app/index.ts';
import { type Principal, decideDocument } from '../access/index.ts';
import { type DocumentId, findDocumentsByIdentifier, documentFacts, loadRecord } from '../guard/index.ts';

/**
 * Documents whose master identifier is `identifier` that the principal may read (conditional PATCH). The
 * identifier is the producer's and unique per record only, so it may match in several records; those the
 * caller may not see are not counted (a 412 must not reveal them).
 */
export async function findVisibleByIdentifier(
  ctx: AppContext,
  principal: Principal,
  identifier: string,
): Promise<DocumentId[]> {
  const now = ctx.clock.now();
  const found: DocumentId[] = [];
  for (const doc of await findDocumentsByIdentifier(ctx.config, ctx.db, identifier)) {
    const { context } = await loadRecord(ctx.db, doc.patientId, principal, now);
    // The document decision includes the record's (and its author's access without consent).
    if (decideDocument(principal, context, documentFacts(doc), 'read').allowed) found.push(doc.id);
  }
  return found;
}
