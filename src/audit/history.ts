import type { PatientId } from '../identity/index.ts';
import type { ExpressionBuilder } from 'kysely';
import type { Database, Executor } from '../storage/index.ts';
import { chainOf } from './append.ts';
import { entryOfRow } from './row.ts';
import type { AuditEntry } from './types.ts';

/**
 * A patient's traces, newest first. Reads the patient's chain through its primary key: seq order is append
 * order, so no sort on time is needed. Access control (patient, representative, auditor) is the caller's.
 */
export async function listPatientAudit(
  db: Executor,
  patientId: PatientId,
  page: { count: number; offset: number },
  /** Targets whose traces the reader must not see (documents not yet visible to them), totals included. */
  hiddenTargets: readonly string[] = [],
): Promise<{ total: number; entries: AuditEntry[] }> {
  const chain = chainOf(patientId);
  const visible = (eb: ExpressionBuilder<Database, 'audit_events'>) =>
    hiddenTargets.length === 0
      ? eb.lit(true)
      : eb.or([eb('target_id', 'is', null), eb('target_id', 'not in', [...hiddenTargets])]);
  // Sequential, not Promise.all: `db` may be a transaction, which is one connection.
  const { total } = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number | string>().as('total'))
    .where('chain', '=', chain)
    .where(visible)
    .executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom('audit_events')
    .selectAll()
    .where('chain', '=', chain)
    .where(visible)
    .orderBy('seq', 'desc')
    .limit(Math.max(0, page.count))
    .offset(Math.max(0, page.offset))
    .execute();
  return { total: Number(total), entries: rows.map(entryOfRow) };
}
