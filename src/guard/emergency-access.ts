import type { AppContext } from '../app/index.ts';
import {
  type EmergencyRequest,
  type Principal,
  type ProfessionalPrincipal,
  decideEmergencyStart,
  decideRecord,
  type EmergencyAccess,
  type RecordContext,
} from '../access/index.ts';
import { appendAudit } from '../audit/index.ts';
import type { PatientId } from '../identity/index.ts';
import { uuidv7 } from '../shared/index.ts';
import { isoInstant, type EmergencyAccessesTable, type Executor } from '../storage/index.ts';
import { trace } from './audit-trace.ts';
import { loadRecord, loadRecordContext } from './record-context.ts';
import { denialError, inRecordTransaction, refuse } from './refusal.ts';

/**
 * How long an emergency access lasts (bris de glace or SAMU regulation): the time of an emergency care episode.
 * Long enough for a night in the emergency department, short enough that it never becomes standing access;
 * the professional may end it earlier, and starts a new one (with its reason, notified) if the care goes on.
 */
export const EMERGENCY_ACCESS_HOURS = 4;

/** An emergency access as the portal shows it, on the one patient it concerns. */
export interface EmergencyAccessView extends EmergencyAccess {
  readonly startedAt: string;
}

const accessOf = (row: EmergencyAccessesTable): EmergencyAccess => ({
  mode: row.mode as EmergencyAccess['mode'],
  reason: row.reason ?? undefined,
  endsAt: row.ends_at,
});

const viewOf = (row: EmergencyAccessesTable): EmergencyAccessView => ({
  ...accessOf(row),
  startedAt: row.started_at,
});

async function findEmergencyInForce(
  db: Executor,
  professional: ProfessionalPrincipal,
  patientId: PatientId,
  now: Date,
): Promise<EmergencyAccessesTable | undefined> {
  const at = isoInstant(now);
  return db
    .selectFrom('emergency_accesses')
    .selectAll()
    .where('patient_id', '=', patientId)
    .where('professional_national_id', '=', professional.nationalId)
    .where('started_at', '<=', at)
    .where('ends_at', '>', at)
    .where('ended_at', 'is', null)
    .orderBy('started_at', 'desc')
    .executeTakeFirst();
}

async function insertEmergency(
  db: Executor,
  professional: ProfessionalPrincipal,
  patientId: PatientId,
  request: EmergencyRequest,
  now: Date,
): Promise<EmergencyAccessesTable> {
  const row: EmergencyAccessesTable = {
    id: uuidv7(now.getTime()),
    patient_id: patientId,
    professional_national_id: professional.nationalId,
    mode: request.mode,
    reason: request.reason?.trim() || null,
    started_at: isoInstant(now),
    ends_at: isoInstant(new Date(now.getTime() + EMERGENCY_ACCESS_HOURS * 3600_000)),
    ended_at: null,
  };
  await db.insertInto('emergency_accesses').values(row).execute();
  return row;
}

/**
 * The professional's emergency access to this record in force now (for `RecordContext.emergency`). A bearer
 * token's declared emergency (PSC claims) opens one for this patient on first use when the policy allows it and no
 * consent makes it needless, traced as any start; refused, it is returned unstored so that the policy says why.
 */
export async function emergencyAccessOn(
  db: Executor,
  professional: ProfessionalPrincipal,
  record: RecordContext,
  now: Date,
): Promise<EmergencyAccess | undefined> {
  const stored = await findEmergencyInForce(db, professional, record.patientId, now);
  if (stored) return accessOf(stored);
  const declared = professional.signIn.declaredEmergency;
  // Opened only where it is needed: with the patient's consent (or as administrateur) the access is normal.
  if (!declared || record.relation?.consent || record.relation?.administrator) return undefined;
  if (!decideEmergencyStart(professional, record, declared).allowed) {
    return { ...declared, endsAt: isoInstant(now) };
  }
  const row = await insertEmergency(db, professional, record.patientId, declared, now);
  await appendAudit(db, startTrace(professional, row), now);
  return accessOf(row);
}

const startTrace = (professional: ProfessionalPrincipal, row: EmergencyAccessesTable) =>
  trace(professional, row.patient_id as PatientId, 'emergency-start', 'success', {
    targetType: 'Patient',
    targetId: row.patient_id,
    detail: { mode: row.mode, endsAt: row.ends_at },
  });

/** The portal's view: the signed-in professional's emergency access to this one patient, if any. */
export async function currentEmergencyAccess(
  ctx: AppContext,
  professional: ProfessionalPrincipal,
  patientId: PatientId,
): Promise<EmergencyAccessView | undefined> {
  await refuseBlocked(ctx.db, professional, patientId, ctx.clock.now());
  const row = await findEmergencyInForce(ctx.db, professional, patientId, ctx.clock.now());
  return row && viewOf(row);
}

/**
 * A professional the patient blocked gets nothing from this record, not even the state of their own access
 * (docs/access.md, "Decision order for a professional": a blocked professional gets nothing, ever); a closed record
 * is not there.
 */
async function refuseBlocked(
  db: Executor,
  professional: ProfessionalPrincipal,
  patientId: PatientId,
  now: Date,
) {
  const decision = decideRecord(
    professional,
    await loadRecordContext(db, patientId, professional, now),
    'deposit',
  );
  if (!decision.allowed) throw denialError(decision.reason);
}

/**
 * Starts an emergency access to one patient's record (the portal's « Accès en urgence »), as the policy allows:
 * a refusal (no reason, not a regulator, the patient's opt-out, blocked) is a traced 403 that says why.
 */
export async function startEmergencyAccess(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  request: EmergencyRequest,
): Promise<EmergencyAccessView> {
  const now = ctx.clock.now();
  return inRecordTransaction(ctx, async (trx) => {
    const record = await loadRecord(trx, patientId, principal, now);
    const decision = decideEmergencyStart(principal, record.context, request);
    if (!decision.allowed || principal.kind !== 'professional') {
      const reason = decision.allowed ? 'role' : decision.reason;
      const input = trace(principal, patientId, 'emergency-start', 'denied', {
        targetType: 'Patient',
        targetId: patientId,
        detail: { mode: request.mode, refusal: reason },
      });
      return refuse(trx, input, denialError(reason), now);
    }
    // A new start replaces the one in force (a new reason, a new duration).
    await closeEmergencies(trx, principal, patientId, now);
    const row = await insertEmergency(trx, principal, patientId, request, now);
    await appendAudit(trx, startTrace(principal, row), now);
    return viewOf(row);
  });
}

/** Ends the professional's emergency access to this patient now (traced while still in force). */
export async function endEmergencyAccess(
  ctx: AppContext,
  professional: ProfessionalPrincipal,
  patientId: PatientId,
): Promise<void> {
  const now = ctx.clock.now();
  await refuseBlocked(ctx.db, professional, patientId, now);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await findEmergencyInForce(trx, professional, patientId, now);
    if (!row) return;
    const input = trace(professional, patientId, 'emergency-end', 'success', {
      targetType: 'Patient',
      targetId: patientId,
      detail: { mode: row.mode },
    });
    await appendAudit(trx, input, now);
    await closeEmergencies(trx, professional, patientId, now);
  });
}

async function closeEmergencies(
  db: Executor,
  professional: ProfessionalPrincipal,
  patientId: PatientId,
  now: Date,
): Promise<void> {
  await db
    .updateTable('emergency_accesses')
    .set({ ended_at: isoInstant(now) })
    .where('patient_id', '=', patientId)
    .where('professional_national_id', '=', professional.nationalId)
    .where('ended_at', 'is', null)
    .where('ends_at', '>', isoInstant(now))
    .execute();
}
