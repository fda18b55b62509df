import type { AppContext } from '../app/index.ts';
import { denyMessages, type DenyReason } from '../access/index.ts';
import { appendAudit, type AuditInput } from '../audit/index.ts';
import { forbidden, notFound, type CarnetError } from '../shared/index.ts';
import type { Executor } from '../storage/index.ts';

/**
 * A policy refusal decided inside a transaction: its trace must commit (denials are audited) while the
 * service still fails, so the transaction returns it and the service throws it after the commit.
 */
export class Refusal {
  constructor(readonly error: CarnetError) {}
}

export const denialError = (reason: DenyReason): CarnetError => forbidden(reason, denyMessages[reason]);

export const documentNotFound = () => notFound('document-not-found', 'Document introuvable.');

/** Audits the denial in `db` and returns the refusal for the service to throw after the commit. */
export async function refuse(
  db: Executor,
  input: AuditInput,
  error: CarnetError,
  now: Date,
): Promise<Refusal> {
  await appendAudit(db, { ...input, outcome: 'denied' }, now);
  return new Refusal(error);
}

/** Runs the work in one transaction; a returned refusal commits (with its trace) and is then thrown. */
export async function inRecordTransaction<T>(
  ctx: AppContext,
  work: (trx: Executor) => Promise<T | Refusal>,
): Promise<T> {
  const result = await ctx.db.transaction().execute(work);
  if (result instanceof Refusal) throw result.error;
  return result;
}
