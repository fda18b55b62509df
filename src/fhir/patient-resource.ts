import type { Extension, HumanName, Identifier, Patient } from '@medplum/fhirtypes';
import { INS_OID, insSystem, type InsOid } from '../identity/index.ts';
import { firstFirstName, type InsuredPerson } from '../insured/index.ts';
import type { ProfileState } from '../storage/index.ts';
import {
  ADDRESS_INSEE_CODE_EXTENSION,
  BIRTH_PLACE_EXTENSION,
  FR_CORE_IDENTIFIER_TYPE_SYSTEM,
  FR_CORE_PATIENT_PROFILE,
  INSEE_COMMUNE_SYSTEM,
  PROFILE_STATE_EXTENSION,
} from './systems.ts';

/** FR Core identifier type of each INS range (fr-core-cs-v2-0203). */
const insTypeCode: Readonly<Record<InsOid, string>> = {
  [INS_OID.nir]: 'INS-NIR',
  [INS_OID.nia]: 'INS-NIA',
  [INS_OID.testNir]: 'INS-NIR-TEST',
  [INS_OID.testNia]: 'INS-NIA-TEST',
};

/**
 * `Patient.active` answers "is there an open DMP?" (facts.md §8): a profile that exists and was neither
 * opposed nor closed, i.e. `created` (not yet activated by the patient: professionals may already feed it)
 * or `activated`.
 */
export function isProfileOpen(state: ProfileState): boolean {
  return state === 'created' || state === 'activated';
}

export function insIdentifier(person: Pick<InsuredPerson, 'ins' | 'insOid'>): Identifier {
  return {
    use: 'official',
    type: { coding: [{ system: FR_CORE_IDENTIFIER_TYPE_SYSTEM, code: insTypeCode[person.insOid] }] },
    system: insSystem(person.insOid),
    value: person.ins,
  };
}

function names(person: InsuredPerson): HumanName[] {
  const official: HumanName = {
    use: 'official',
    family: person.birthName,
    given: person.firstNames.split(/\s+/).filter(Boolean),
  };
  if (!person.usedName) return [official];
  return [official, { use: 'usual', family: person.usedName, given: [firstFirstName(person)] }];
}

function extensions(person: InsuredPerson): Extension[] {
  const state: Extension = { url: PROFILE_STATE_EXTENSION, valueCode: person.profileState };
  if (!person.birthPlaceInsee) return [state];
  const birthPlace: Extension = {
    url: BIRTH_PLACE_EXTENSION,
    valueAddress: {
      extension: [
        {
          url: ADDRESS_INSEE_CODE_EXTENSION,
          valueCoding: { system: INSEE_COMMUNE_SYSTEM, code: person.birthPlaceInsee },
        },
      ],
    },
  };
  return [birthPlace, state];
}

/**
 * An insured person as an FR Core patient with the INS identifier. Contact details (e-mail, phone) and the
 * carte Vitale serial are left out: a professional looking up a DMP needs the identity traits, not those.
 */
export function toPatientResource(person: InsuredPerson): Patient {
  return {
    resourceType: 'Patient',
    id: person.id,
    meta: { profile: [FR_CORE_PATIENT_PROFILE] },
    extension: extensions(person),
    identifier: [insIdentifier(person)],
    active: isProfileOpen(person.profileState),
    name: names(person),
    gender: person.sex,
    birthDate: person.birthDate,
  };
}
