import type { Selectable } from 'kysely';
import type { NationalProfessionalId, ProfessionCode, Rpps, SpecialtyCode } from '../identity/index.ts';
import { uuidv7 } from '../shared/index.ts';
import type { Executor, ProfessionalsTable, StructuresTable } from '../storage/index.ts';
import type { Professional, Structure } from './professional.ts';

type Row = Selectable<ProfessionalsTable> & {
  s_id: string | null;
  s_national_id: string | null;
  s_name: string | null;
  s_kind: string | null;
};

function toProfessional(row: Row): Professional {
  return {
    id: row.id,
    nationalId: row.national_id as NationalProfessionalId,
    rpps: (row.rpps ?? undefined) as Rpps | undefined,
    familyName: row.family_name,
    givenName: row.given_name,
    professionCode: row.profession_code as ProfessionCode,
    specialtyCode: (row.specialty_code ?? undefined) as SpecialtyCode | undefined,
    mssanteAddress: row.mssante_address ?? undefined,
    structure:
      row.s_id && row.s_national_id && row.s_name
        ? {
            id: row.s_id,
            nationalId: row.s_national_id,
            name: row.s_name,
            kind: row.s_kind as Structure['kind'],
          }
        : undefined,
  };
}

function selectProfessionals(db: Executor) {
  return db
    .selectFrom('professionals')
    .leftJoin('structures', 'structures.id', 'professionals.structure_id')
    .selectAll('professionals')
    .select([
      'structures.id as s_id',
      'structures.national_id as s_national_id',
      'structures.name as s_name',
      'structures.kind as s_kind',
    ]);
}

export async function findProfessionalByNationalId(
  db: Executor,
  nationalId: string,
): Promise<Professional | undefined> {
  const row = await selectProfessionals(db)
    .where('professionals.national_id', '=', nationalId)
    .executeTakeFirst();
  return row && toProfessional(row);
}

export async function findProfessionalById(db: Executor, id: string): Promise<Professional | undefined> {
  const row = await selectProfessionals(db).where('professionals.id', '=', id).executeTakeFirst();
  return row && toProfessional(row);
}

export async function listProfessionals(db: Executor): Promise<Professional[]> {
  const rows = await selectProfessionals(db).orderBy('professionals.family_name').execute();
  return rows.map(toProfessional);
}

export async function upsertStructure(
  db: Executor,
  structure: Omit<Structure, 'id'>,
  now: string,
): Promise<Structure> {
  const existing = await db
    .selectFrom('structures')
    .selectAll()
    .where('national_id', '=', structure.nationalId)
    .executeTakeFirst();
  if (existing) {
    await db.updateTable('structures').set({ name: structure.name }).where('id', '=', existing.id).execute();
    return { ...structure, id: existing.id };
  }
  const row: StructuresTable = {
    id: uuidv7(),
    national_id: structure.nationalId,
    name: structure.name,
    kind: structure.kind,
    created_at: now,
  };
  await db.insertInto('structures').values(row).execute();
  return { ...structure, id: row.id };
}

export type ProfessionalInput = Omit<Professional, 'id' | 'structure'> & {
  readonly structure: Omit<Structure, 'id'> | undefined;
};

/**
 * Records a professional as the directory or the identity provider describes them (on each sign-in the
 * provider's claims win: names and professions change).
 */
export async function upsertProfessional(
  db: Executor,
  input: ProfessionalInput,
  now: string,
): Promise<Professional> {
  const structure = input.structure ? await upsertStructure(db, input.structure, now) : undefined;
  const values = {
    rpps: input.rpps ?? null,
    family_name: input.familyName,
    given_name: input.givenName,
    profession_code: input.professionCode,
    specialty_code: input.specialtyCode ?? null,
    mssante_address: input.mssanteAddress ?? null,
    structure_id: structure?.id ?? null,
    updated_at: now,
  };
  const existing = await findProfessionalByNationalId(db, input.nationalId);
  if (existing) {
    await db.updateTable('professionals').set(values).where('id', '=', existing.id).execute();
    return { ...input, id: existing.id, structure };
  }
  const id = uuidv7();
  await db
    .insertInto('professionals')
    .values({ ...values, id, national_id: input.nationalId, created_at: now })
    .execute();
  return { ...input, id, structure };
}
