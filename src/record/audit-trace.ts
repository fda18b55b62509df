import type { Principal } from '../access/principal.ts';
import type { AuditAccessMode, AuditAction, AuditInput, AuditOutcome } from '../audit/index.ts';
import type { PatientId } from '../identity/index.ts';

export function accessModeOf(principal: Principal): AuditAccessMode {
  switch (principal.kind) {
    case 'professional':
      return principal.access.mode;
    case 'patient':
      return 'patient';
    case 'app':
      return 'application';
    default:
      return 'system';
  }
}

/** One trace of a record service; the emergency reason is kept (the patient is shown why). */
export function trace(
  principal: Principal,
  patientId: PatientId,
  action: AuditAction,
  outcome: AuditOutcome,
  extra: Pick<AuditInput, 'targetType' | 'targetId' | 'detail'> = {},
): AuditInput {
  const reason =
    principal.kind === 'professional' && principal.access.mode !== 'normal'
      ? principal.access.reason
      : undefined;
  return {
    patientId,
    actor: principal,
    action,
    accessMode: accessModeOf(principal),
    outcome,
    ...(reason ? { reason } : {}),
    ...extra,
  };
}
