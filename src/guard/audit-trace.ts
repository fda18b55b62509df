import type { Principal } from '../access/index.ts';
import type { AuditAccessMode, AuditAction, AuditInput, AuditOutcome } from '../audit/index.ts';
import type { PatientId } from '../identity/index.ts';

export function accessModeOf(principal: Principal): AuditAccessMode {
  switch (principal.kind) {
    case 'professional':
      // `appendAudit` replaces it by the emergency access in force on the patient's record, if any.
      return 'normal';
    case 'patient':
      return 'patient';
    case 'app':
      return 'application';
    default:
      return 'system';
  }
}

/** One trace of a record service (a professional's emergency mode and reason are the record's, see appendAudit). */
export function trace(
  principal: Principal,
  patientId: PatientId,
  action: AuditAction,
  outcome: AuditOutcome,
  extra: Pick<AuditInput, 'targetType' | 'targetId' | 'detail'> = {},
): AuditInput {
  return { patientId, actor: principal, action, accessMode: accessModeOf(principal), outcome, ...extra };
}
