import type { Config } from '../config/index.ts';
import { isMinorOn, mssanteAddress, type InsuredPerson } from '../insured/index.ts';
import type { ProfileState } from '../storage/index.ts';

/** A profile as the patient space shows it (README "API", `GET /api/patient/me`). */
export interface ProfileView {
  readonly id: string;
  readonly ins: string;
  readonly firstNames: string;
  readonly birthName: string;
  readonly usedName: string | null;
  readonly birthDate: string;
  readonly sex: 'male' | 'female';
  readonly email: string | null;
  readonly phone: string | null;
  readonly state: ProfileState;
  readonly mssanteAddress: string;
  readonly minor: boolean;
}

export function profileView(
  person: InsuredPerson,
  config: Pick<Config, 'patientMailDomain'>,
  today: Date,
): ProfileView {
  return {
    id: person.id,
    ins: person.ins,
    firstNames: person.firstNames,
    birthName: person.birthName,
    usedName: person.usedName ?? null,
    birthDate: person.birthDate,
    sex: person.sex,
    email: person.email ?? null,
    phone: person.phone ?? null,
    state: person.profileState,
    mssanteAddress: mssanteAddress(person.ins, config.patientMailDomain),
    minor: isMinorOn(person, today),
  };
}
