import type { Selectable } from 'kysely';
import type { Ins, InsOid, PatientId, Sex } from '../identity/index.ts';
import type { Executor, PatientsTable } from '../storage/index.ts';
import type { InsuredPerson } from './insured-person.ts';

function toInsuredPerson(row: Selectable<PatientsTable>): InsuredPerson {
  return {
    id: row.id as PatientId,
    ins: row.ins as Ins,
    insOid: row.ins_oid as InsOid,
    birthName: row.birth_name,
    usedName: row.used_name ?? undefined,
    firstNames: row.first_names,
    birthDate: row.birth_date,
    sex: row.sex as Sex,
    birthPlaceInsee: row.birth_place_insee ?? undefined,
    email: row.email ?? undefined,
    phone: row.phone ?? undefined,
    vitaleSerial: row.vitale_serial ?? undefined,
    profileState: row.profile_state,
    stateChangedAt: row.state_changed_at,
    deletionRequested: row.deletion_requested === 1,
  };
}

export async function findInsuredByIns(db: Executor, ins: Ins): Promise<InsuredPerson | undefined> {
  const row = await db.selectFrom('patients').selectAll().where('ins', '=', ins).executeTakeFirst();
  return row && toInsuredPerson(row);
}

export async function findInsuredById(db: Executor, id: PatientId): Promise<InsuredPerson | undefined> {
  const row = await db.selectFrom('patients').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toInsuredPerson(row);
}

export async function listInsured(db: Executor): Promise<InsuredPerson[]> {
  const rows = await db
    .selectFrom('patients')
    .selectAll()
    .orderBy('birth_name')
    .orderBy('first_names')
    .execute();
  return rows.map(toInsuredPerson);
}

export function insuredRow(person: InsuredPerson, now: string): PatientsTable {
  return {
    id: person.id,
    ins: person.ins,
    ins_oid: person.insOid,
    birth_name: person.birthName,
    used_name: person.usedName ?? null,
    first_names: person.firstNames,
    birth_date: person.birthDate,
    sex: person.sex,
    birth_place_insee: person.birthPlaceInsee ?? null,
    email: person.email ?? null,
    phone: person.phone ?? null,
    vitale_serial: person.vitaleSerial ?? null,
    profile_state: person.profileState,
    state_changed_at: person.stateChangedAt,
    deletion_requested: person.deletionRequested ? 1 : 0,
    created_at: now,
    updated_at: now,
  };
}
