import type { PatientId } from '../identity/index.ts';
import { uuidv7 } from '../shared/index.ts';
import { isoInstant, type AuditEventsTable, type Executor } from '../storage/index.ts';
import { entryHash, GENESIS_HASH } from './hash.ts';
import { currentAuditChannel } from './channel.ts';
import { actorOf, entryOfRow, storedDetail } from './row.ts';
import type { AuditAccessMode, AuditEntry, AuditInput } from './types.ts';

export { GENESIS_HASH };

/** One chain per patient (appends of different patients never wait on each other), `system` for the rest. */
export function chainOf(patientId: PatientId | undefined): string {
  return patientId ? `patient:${patientId}` : 'system';
}

/**
 * A professional's access mode on a patient's record is the emergency access in force on that record at this
 * instant (src/record/emergency-access.ts), whatever the caller passed: an emergency is one patient's.
 */
async function accessInForce(
  db: Executor,
  input: AuditInput,
  now: Date,
): Promise<Pick<AuditInput, 'accessMode' | 'reason'>> {
  if (input.actor.kind !== 'professional' || !input.patientId) return input;
  const at = isoInstant(now);
  const emergency = await db
    .selectFrom('emergency_accesses')
    .select(['mode', 'reason'])
    .where('patient_id', '=', input.patientId)
    .where('professional_national_id', '=', input.actor.nationalId)
    .where('started_at', '<=', at)
    .where('ends_at', '>', at)
    .where('ended_at', 'is', null)
    .orderBy('started_at', 'desc')
    .executeTakeFirst();
  if (!emergency) return { accessMode: 'normal', reason: undefined };
  return { accessMode: emergency.mode as AuditAccessMode, reason: emergency.reason ?? undefined };
}

/**
 * Appends one trace, in the caller's transaction (opens one when given the bare database), so that a trace
 * exists if and only if the traced change commits.
 */
export async function appendAudit(db: Executor, input: AuditInput, now: Date): Promise<AuditEntry> {
  if (!db.isTransaction) return db.transaction().execute((trx) => appendAudit(trx, input, now));
  const chain = chainOf(input.patientId);
  // Advance the head in one statement: the upsert takes the head row's lock on PostgreSQL (concurrent appends
  // to this chain wait here, then see the committed head); SQLite transactions are already serialised. Its
  // `hash` is untouched, so `returning` gives the new seq and the previous entry's hash (genesis for a new chain).
  const head = await db
    .insertInto('audit_heads')
    .values({ chain, seq: 1, hash: GENESIS_HASH })
    .onConflict((oc) => oc.column('chain').doUpdateSet((eb) => ({ seq: eb('audit_heads.seq', '+', 1) })))
    .returning(['seq', 'hash'])
    .executeTakeFirstOrThrow();
  const actor = actorOf(input.actor, input.patientId);
  const access = await accessInForce(db, input, now);
  const id = uuidv7(now.getTime());
  const fields = {
    chain,
    seq: Number(head.seq),
    id,
    patient_id: input.patientId ?? null,
    at: isoInstant(now),
    actor_kind: actor.kind,
    actor_id: actor.id ?? null,
    actor_name: actor.name ?? null,
    actor_profession: actor.professionCode ?? null,
    action: input.action,
    target_type: input.targetType ?? null,
    target_id: input.targetId ?? null,
    access_mode: access.accessMode,
    outcome: input.outcome,
    detail: storedDetail({ ...input, reason: access.reason }, currentAuditChannel(), { chain, id }),
  };
  const row: AuditEventsTable = { ...fields, prev_hash: head.hash, hash: entryHash(head.hash, fields) };
  await db.insertInto('audit_events').values(row).execute();
  await db.updateTable('audit_heads').set({ hash: row.hash }).where('chain', '=', chain).execute();
  return entryOfRow(row);
}
