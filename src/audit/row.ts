import type { PatientId } from '../identity/index.ts';
import type { AuditEventsTable } from '../storage/index.ts';
import { canonicalJson } from './hash.ts';
import type { AuditActor, AuditDetail, AuditEntry, AuditInput } from './types.ts';
import { professionalDisplayName } from '../professionals/index.ts';

/**
 * `audit_events` has no reason column: the stated reason travels inside the detail JSON under this key
 * (reserved; a caller's own `reason` detail is overwritten).
 */
const REASON_KEY = 'reason';

/** Who acted, with the role they held towards the record's patient at that instant. */
export function actorOf(actor: AuditInput['actor'], patientId: PatientId | undefined): AuditActor {
  switch (actor.kind) {
    case 'professional':
      return {
        kind: 'professional',
        id: actor.nationalId,
        // The name as the patient sees it everywhere else ("Dr Claire MARTIN").
        name: professionalDisplayName(actor),
        professionCode: actor.professionCode,
      };
    case 'patient': {
      // The signed-in person: a legal representative only when acting for the minor whose record it is; anyone
      // else (the patient, or another patient refused) acts as themself.
      const representative =
        patientId !== undefined && actor.patientId !== patientId && actor.actsFor.includes(patientId);
      const kind = representative ? 'representative' : 'patient';
      return { kind, id: actor.patientId, name: undefined, professionCode: undefined };
    }
    case 'insurer':
      return {
        kind: 'insurer',
        id: 'assurance-maladie',
        name: 'Assurance Maladie',
        professionCode: undefined,
      };
    case 'auditor':
      return { kind: 'auditor', id: actor.id, name: actor.name, professionCode: undefined };
    case 'app':
      // A connected service, named as in the catalogue: the patient sees each app's accesses.
      return { kind: 'app', id: actor.serviceId, name: actor.serviceName, professionCode: undefined };
    case 'system':
      return { kind: 'system', id: undefined, name: undefined, professionCode: undefined };
  }
}

export function storedDetail(input: AuditInput): string {
  const detail: AuditDetail = { ...input.detail };
  delete detail[REASON_KEY];
  if (input.reason !== undefined) detail[REASON_KEY] = input.reason;
  return canonicalJson(detail);
}

export function entryOfRow(row: AuditEventsTable): AuditEntry {
  const detail = JSON.parse(row.detail) as AuditDetail;
  const reason = detail[REASON_KEY];
  delete detail[REASON_KEY];
  return {
    id: row.id,
    chain: row.chain,
    seq: Number(row.seq),
    patientId: (row.patient_id ?? undefined) as PatientId | undefined,
    at: row.at,
    actor: {
      kind: row.actor_kind as AuditActor['kind'],
      id: row.actor_id ?? undefined,
      name: row.actor_name ?? undefined,
      professionCode: row.actor_profession ?? undefined,
    },
    action: row.action as AuditEntry['action'],
    targetType: (row.target_type ?? undefined) as AuditEntry['targetType'],
    targetId: row.target_id ?? undefined,
    accessMode: row.access_mode as AuditEntry['accessMode'],
    outcome: row.outcome as AuditEntry['outcome'],
    reason: typeof reason === 'string' ? reason : undefined,
    detail,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
