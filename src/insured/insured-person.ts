import type { Ins, InsOid, PatientId, Sex } from '../identity/index.ts';
import type { ProfileState } from '../storage/index.ts';

/** An insured person known to the Assurance Maladie, and the state of their Mon espace santé profile. */
export interface InsuredPerson {
  readonly id: PatientId;
  readonly ins: Ins;
  readonly insOid: InsOid;
  readonly birthName: string;
  readonly usedName: string | undefined;
  readonly firstNames: string;
  readonly birthDate: string;
  readonly sex: Sex;
  readonly birthPlaceInsee: string | undefined;
  readonly email: string | undefined;
  readonly phone: string | undefined;
  readonly vitaleSerial: string | undefined;
  readonly profileState: ProfileState;
  readonly stateChangedAt: string;
  readonly deletionRequested: boolean;
}

/** The first of the first names (a qualified INS identity trait). */
export function firstFirstName(person: Pick<InsuredPerson, 'firstNames'>): string {
  return person.firstNames.split(/\s+/)[0] ?? person.firstNames;
}

/** Name as French administrations print it: used name (or birth name) in capitals, then the first first name. */
export function displayName(person: Pick<InsuredPerson, 'firstNames' | 'birthName' | 'usedName'>): string {
  return `${firstFirstName(person)} ${(person.usedName ?? person.birthName).toUpperCase()}`;
}

/** Age in whole years on a given day. */
export function ageOn(birthDate: string, day: Date): number {
  const birth = new Date(`${birthDate}T00:00:00Z`);
  let age = day.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday =
    day.getUTCMonth() < birth.getUTCMonth() ||
    (day.getUTCMonth() === birth.getUTCMonth() && day.getUTCDate() < birth.getUTCDate());
  if (beforeBirthday) age -= 1;
  return age;
}

export function isMinorOn(person: Pick<InsuredPerson, 'birthDate'>, day: Date): boolean {
  return ageOn(person.birthDate, day) < 18;
}

/** The patient's MSSanté address (seed: "matricule INS du patient@patient.mssante.fr"). */
export function mssanteAddress(ins: Ins, domain: string): string {
  return `${ins}@${domain}`;
}
