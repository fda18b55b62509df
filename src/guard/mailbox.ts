import type { AppContext } from '../app/index.ts';
import { decide, type PatientPrincipal } from '../access/index.ts';
import { type AuditAction, type AuditDetail, type AuditTargetType, appendAudit } from '../audit/index.ts';
import type { PatientId } from '../identity/index.ts';
import { findInsuredById, type InsuredPerson } from '../insured/index.ts';
import { denialError } from './refusal.ts';
import type { Executor } from '../storage/index.ts';

/** What the guard hands the messaging services once the mailbox is open to this patient. */
export interface GuardedMailbox {
  readonly db: Executor;
  readonly principal: PatientPrincipal;
  readonly patientId: PatientId;
  readonly person: InsuredPerson;
}

/** The mailbox is the patient's (or their represented minor's), and readable once the profile is activated. */
export async function openMailbox(
  ctx: AppContext,
  principal: PatientPrincipal,
  patientId: PatientId,
  action: AuditAction,
): Promise<GuardedMailbox> {
  const person = await findInsuredById(ctx.db, patientId);
  if (!person) throw denialError('not-own-mailbox');
  const decision = decide(principal, { type: 'mailbox.open', patientId, profileState: person.profileState });
  if (!decision.allowed) {
    // The refusal is traced in its own transaction (it must outlive the failed request).
    await auditMailbox(ctx.db, principal, patientId, action, ctx.clock.now(), {
      outcome: 'denied',
      detail: { refusal: decision.reason },
    });
    throw denialError(decision.reason);
  }
  return { db: ctx.db, principal, patientId, person };
}

export async function auditMailbox(
  db: Executor,
  principal: PatientPrincipal,
  patientId: PatientId,
  action: AuditAction,
  now: Date,
  extra: {
    outcome?: 'success' | 'denied';
    targetType?: AuditTargetType;
    targetId?: string;
    detail?: AuditDetail;
  } = {},
): Promise<void> {
  await appendAudit(
    db,
    {
      patientId,
      actor: principal,
      action,
      accessMode: 'patient',
      outcome: extra.outcome ?? 'success',
      ...(extra.targetType ? { targetType: extra.targetType } : {}),
      ...(extra.targetId ? { targetId: extra.targetId } : {}),
      ...(extra.detail ? { detail: extra.detail } : {}),
    },
    now,
  );
}
