import type { AppContext } from '../app/index.ts';
import type { Principal } from '../access/index.ts';
import type { Executor } from '../storage/index.ts';
import { previousVisitAt } from './visits.ts';
import { emergencyAccessNotice, firstConsultationNotice, notifyPatient } from './notifications.ts';
import {
  ensureRecordProfessional,
  principalIdentity,
  updateRecordProfessional,
  type LoadedRecord,
} from '../guard/index.ts';

/**
 * What a professional's consultation leaves behind (docs/access.md, "What is traced"): their line in the patient's
 * list (first and last access), an e-mail on their first consultation and on every emergency access.
 */
export async function noteConsultation(
  ctx: AppContext,
  db: Executor,
  principal: Principal,
  record: LoadedRecord,
  emergency: boolean,
  now: Date,
): Promise<void> {
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
  const first = row.first_access_at === null;
  await updateRecordProfessional(db, record.context.patientId, identity.nationalId, {
    ...(first ? { first_access_at: at } : {}),
    last_access_at: at,
    previous_visit_at: previousVisitAt(row, now) ?? null,
    updated_at: at,
  });
  const actor = { name: identity.name, professionCode: principal.professionCode };
  if (first) await notifyPatient(ctx, db, record.person, firstConsultationNotice(actor), now);
  // The e-mail concerns this patient's emergency access only (never another record's).
  const access = record.context.emergency;
  if (emergency && access) {
    await notifyPatient(ctx, db, record.person, emergencyAccessNotice(actor, access.mode), now);
  }
}
