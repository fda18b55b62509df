import type { Principal } from '../access/principal.ts';
import type { Executor } from '../storage/index.ts';
import {
  ensureRecordProfessional,
  principalIdentity,
  updateRecordProfessional,
} from './professionals-repository.ts';
import type { LoadedRecord } from './record-context.ts';

/**
 * A professional who feeds a record cares for the patient (docs/access.md, "Consent and the care relation"): the
 * deposit records the relation with consent, so that they may read what they and others filed.
 */
export async function noteDeposit(db: Executor, principal: Principal, record: LoadedRecord, now: Date) {
  if (principal.kind !== 'professional') return;
  const at = now.toISOString();
  const identity = principalIdentity(principal);
  const row = await ensureRecordProfessional(
    db,
    record.context.patientId,
    identity,
    at,
    record.professionalRow,
  );
  await updateRecordProfessional(db, record.context.patientId, identity.nationalId, {
    ...(row.consent_at === null ? { consent_at: at } : {}),
    last_access_at: at,
    updated_at: at,
  });
}
