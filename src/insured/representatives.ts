import type { Ins, PatientId } from '../identity/index.ts';
import type { Executor } from '../storage/index.ts';
import { isMinorOn } from './insured-person.ts';

/** Activated minors whose legal representative is this person. */
export async function representedMinors(db: Executor, representativeIns: Ins, today: Date) {
  const rows = await db
    .selectFrom('representatives')
    .innerJoin('patients', 'patients.id', 'representatives.patient_id')
    .select(['patients.id', 'patients.birth_date'])
    .where('representatives.representative_ins', '=', representativeIns)
    .where('patients.profile_state', '=', 'activated')
    .execute();
  return rows.filter((r) => isMinorOn({ birthDate: r.birth_date }, today)).map((r) => r.id as PatientId);
}

/**
 * Whether what `actorId` set up for `patientId` (a connected app, a calendar address) still stands: always for
 * the patient themself; for a legal representative, only while the patient is a minor they represent.
 */
export async function stillActsFor(
  db: Executor,
  actorId: PatientId,
  patientId: PatientId,
  today: Date,
): Promise<boolean> {
  if (actorId === patientId) return true;
  const actor = await db.selectFrom('patients').select('ins').where('id', '=', actorId).executeTakeFirst();
  return actor !== undefined && (await representedMinors(db, actor.ins as Ins, today)).includes(patientId);
}

/** E-mail addresses of a minor's legal representatives known to the registry. */
export async function representativeEmails(db: Executor, childId: PatientId): Promise<string[]> {
  const rows = await db
    .selectFrom('representatives')
    .innerJoin('patients', 'patients.ins', 'representatives.representative_ins')
    .select('patients.email')
    .where('representatives.patient_id', '=', childId)
    .execute();
  return [...new Set(rows.flatMap((r) => (r.email ? [r.email] : [])))];
}
