import { demoProfessionals, type DemoProfessional } from '../demo/index.ts';
import { nationalIdOfRpps } from '../identity/index.ts';
import { findProfessionalByNationalId } from '../professionals/index.ts';
import type { Executor } from '../storage/index.ts';
import type { PscSubject } from './psc-claims.ts';

/** The accounts of the development provider: its subject (`sub`) is the national id `8` + RPPS. */
export function demoSubject(p: DemoProfessional): PscSubject {
  return {
    nationalId: nationalIdOfRpps(p.rpps),
    givenName: p.givenName,
    familyName: p.familyName,
    professionCode: p.professionCode,
    specialtyCode: p.specialtyCode,
    structure: p.structure,
    regulator: p.regulator === true,
  };
}

export function demoSubjects(): PscSubject[] {
  return demoProfessionals.map(demoSubject);
}

/** A demo professional, or else one already known to Carnet (imported or signed in before). */
export async function findDevSubject(db: Executor, nationalId: string): Promise<PscSubject | undefined> {
  const demo = demoProfessionals.find((p) => nationalIdOfRpps(p.rpps) === nationalId);
  if (demo) return demoSubject(demo);
  const known = await findProfessionalByNationalId(db, nationalId);
  return known && { ...known, structure: known.structure, regulator: false };
}
