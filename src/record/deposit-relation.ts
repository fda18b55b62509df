import type { Principal } from '../access/index.ts';
import type { Executor } from '../storage/index.ts';
import {
  ensureRecordProfessional,
  principalIdentity,
  updateRecordProfessional,
  type LoadedRecord,
} from '../guard/index.ts';

/**
 * A professional who feeds a record appears in the patient's list of professionals (last access), but a deposit
 * is no consent: it gives its author access to what they deposited (the policy's `ownDocuments`), never to the
 * rest of the record, which takes the patient's consent, the médecin traitant relationship or an emergency mode.
 */
export async function noteDeposit(db: Executor, principal: Principal, record: LoadedRecord, now: Date) {
  if (principal.kind !== 'professional') return;
  const at = now.toISOString();
  const identity = principalIdentity(principal);
  await ensureRecordProfessional(db, record.context.patientId, identity, at, record.professionalRow);
  await updateRecordProfessional(db, record.context.patientId, identity.nationalId, {
    last_access_at: at,
    updated_at: at,
  });
}
