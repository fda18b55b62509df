import type { Principal } from '../access/principal.ts';
import { decideRecord, type RecordAction } from '../access/record-policy.ts';
import type { AuditAction } from '../audit/index.ts';
import type { PatientId } from '../identity/index.ts';
import type { Executor } from '../storage/index.ts';
import { trace } from './audit-trace.ts';
import { loadRecord, type LoadedRecord } from './record-context.ts';
import { denialError, refuse, type Refusal } from './refusal.ts';

/** Loads a record and asks the policy for a record-level action; a refusal is audited as `audit`. */
export async function openRecord(
  db: Executor,
  principal: Principal,
  patientId: PatientId,
  action: RecordAction,
  audit: AuditAction,
  now: Date,
): Promise<{ record: LoadedRecord; emergency: boolean } | Refusal> {
  const record = await loadRecord(db, patientId, principal, now);
  const decision = decideRecord(principal, record.context, action);
  if (decision.allowed) return { record, emergency: decision.emergency };
  const input = trace(principal, patientId, audit, 'denied', { detail: { refusal: decision.reason } });
  return refuse(db, input, denialError(decision.reason), now);
}
