import type { Selectable } from 'kysely';
import type { ProfessionalPrincipal } from '../access/index.ts';
import type { PatientId } from '../identity/index.ts';
import { professionalDisplayName } from '../professionals/index.ts';
import type { Executor, RecordProfessionalsTable } from '../storage/index.ts';

export type RecordProfessionalRow = Selectable<RecordProfessionalsTable>;

export async function findRecordProfessional(
  db: Executor,
  patientId: PatientId,
  nationalId: string,
): Promise<RecordProfessionalRow | undefined> {
  return db
    .selectFrom('record_professionals')
    .selectAll()
    .where('patient_id', '=', patientId)
    .where('national_id', '=', nationalId)
    .executeTakeFirst();
}

export async function listRecordProfessionals(db: Executor, patientId: PatientId) {
  return db
    .selectFrom('record_professionals')
    .selectAll()
    .where('patient_id', '=', patientId)
    .orderBy('last_access_at', 'desc')
    .orderBy('national_id')
    .execute();
}

/** A professional's row in one record (or its absence) as read with `readWith`. */
export interface KnownRecordProfessional {
  readonly readWith: Executor;
  readonly nationalId: string;
  readonly row: RecordProfessionalRow | undefined;
}

/** The row of a professional in a record, created with what the token says about them. */
export async function ensureRecordProfessional(
  db: Executor,
  patientId: PatientId,
  who: { nationalId: string; professionalId: string | null; name: string; professionCode: string | null },
  now: string,
  known?: KnownRecordProfessional,
): Promise<RecordProfessionalRow> {
  // The row the policy read in this same transaction saves a second read: the callers passing it write nothing
  // to `record_professionals` in between.
  const existing =
    known && known.readWith === db && db.isTransaction && known.nationalId === who.nationalId
      ? known.row
      : await findRecordProfessional(db, patientId, who.nationalId);
  if (existing) return existing;
  const row: RecordProfessionalRow = {
    patient_id: patientId,
    national_id: who.nationalId,
    professional_id: who.professionalId,
    name: who.name,
    profession_code: who.professionCode,
    blocked: 0,
    administrator: 0,
    consent_at: null,
    first_access_at: null,
    last_access_at: null,
    previous_visit_at: null,
    updated_at: now,
  };
  // Two first requests of one professional for one patient at once (PostgreSQL, read committed): the second
  // finds the row the first committed instead of failing on the key.
  const inserted = await db
    .insertInto('record_professionals')
    .values(row)
    .onConflict((oc) => oc.columns(['patient_id', 'national_id']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 1n) > 0) return row;
  return (await findRecordProfessional(db, patientId, who.nationalId))!;
}

export const principalIdentity = (p: ProfessionalPrincipal) => ({
  nationalId: p.nationalId as string,
  professionalId: p.professionalId,
  name: professionalDisplayName(p),
  professionCode: p.professionCode as string,
});

export async function updateRecordProfessional(
  db: Executor,
  patientId: PatientId,
  nationalId: string,
  set: Partial<Omit<RecordProfessionalRow, 'patient_id' | 'national_id'>>,
): Promise<void> {
  await db
    .updateTable('record_professionals')
    .set(set)
    .where('patient_id', '=', patientId)
    .where('national_id', '=', nationalId)
    .execute();
}
