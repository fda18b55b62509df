import type { Extension, HumanName, Identifier, Patient } from '@medplum/fhirtypes';
import { INS_OID, insSystem, type InsOid } from '../identity/index.ts';
import { firstFirstName, type InsuredPerson } from '../insured/index.ts';
import type { ProfileState } from '../storage/index.ts';
import {
  ADDRESS_INSEE_CODE_EXTENSION,
  BIRTH_PLACE_EXTENSION,
  FR_CORE_BIRTH_LIST_GIVEN_NAME_EXTENSION,
  FR_CORE_IDENTIFIER_TYPE_SYSTEM,
  FR_CORE_IDENTITY_RELIABILITY_EXTENSION,
  FR_CORE_IDENTITY_STATUS_SYSTEM,
  FR_CORE_PATIENT_INS_PROFILE,
  FR_CORE_PATIENT_PROFILE,
  INSEE_COMMUNE_SYSTEM,
  PROFILE_STATE_EXTENSION,
} from './systems.ts';

/**
 * The slice of `fr-core-patient-ins` each INS authority fills: identifier type (fr-core-cs-v2-0203) and use. FR Core
 * 2.x has no test NIA: `.10` is the test NIR range and `.11` the demonstration NIR range; a NIA is a temporary
 * identifier (`use` temp).
 */
const insSlice: Readonly<Record<InsOid, { readonly code: string; readonly use: 'official' | 'temp' }>> = {
  [INS_OID.nir]: { code: 'INS-NIR', use: 'official' },
  [INS_OID.nia]: { code: 'INS-NIA', use: 'temp' },
  [INS_OID.testNir]: { code: 'INS-NIR-TEST', use: 'official' },
  [INS_OID.testNia]: { code: 'INS-NIR-DEMO', use: 'official' },
};

/**
 * `Patient.active` answers "is there an open DMP?" (docs/fhir.md, "Does this patient have a DMP?"): a profile that
 * exists and was neither opposed nor closed, i.e. `created` (not yet activated by the patient: professionals may
 * already feed it) or `activated`.
 */
export function isProfileOpen(state: ProfileState): boolean {
  return state === 'created' || state === 'activated';
}

export function insIdentifier(person: Pick<InsuredPerson, 'ins' | 'insOid'>): Identifier {
  const slice = insSlice[person.insOid];
  return {
    use: slice.use,
    type: { coding: [{ system: FR_CORE_IDENTIFIER_TYPE_SYSTEM, code: slice.code }] },
    system: insSystem(person.insOid),
    value: person.ins,
  };
}

/**
 * The birth name with the first first name (fr-core-patient-ins: one `given`), every first name of the birth
 * certificate in FR Core's birth-list-given-name extension; the used name, if any, as usual name.
 */
function names(person: InsuredPerson): HumanName[] {
  const official: HumanName = {
    extension: [
      {
        url: FR_CORE_BIRTH_LIST_GIVEN_NAME_EXTENSION,
        valueString: person.firstNames.split(/\s+/).filter(Boolean).join(' '),
      },
    ],
    use: 'official',
    family: person.birthName,
    given: [firstFirstName(person)],
  };
  if (!person.usedName) return [official];
  return [official, { use: 'usual', family: person.usedName, given: [firstFirstName(person)] }];
}

/**
 * The identity behind an INS is validated (RNIV): FR Core 2.x says so with identityStatus VALI, which its invariants
 * fr-core-1/2 tie to the INS identifier.
 */
const identityReliability: Extension = {
  url: FR_CORE_IDENTITY_RELIABILITY_EXTENSION,
  extension: [
    {
      url: 'identityStatus',
      valueCoding: { system: FR_CORE_IDENTITY_STATUS_SYSTEM, code: 'VALI', display: 'Identité validée' },
    },
  ],
};

function extensions(person: InsuredPerson): Extension[] {
  const state: Extension = { url: PROFILE_STATE_EXTENSION, valueCode: person.profileState };
  if (!person.birthPlaceInsee) return [identityReliability, state];
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
  return [identityReliability, birthPlace, state];
}

/**
 * An insured person as an FR Core patient with the INS identifier: `fr-core-patient-ins` when every trait that
 * profile requires is known (the birth place's INSEE code may be missing), `fr-core-patient` otherwise. Contact
 * details (e-mail, phone) and the carte Vitale serial are left out: a professional looking up a DMP needs the
 * identity traits, not those.
 */
export function toPatientResource(person: InsuredPerson): Patient {
  return {
    resourceType: 'Patient',
    id: person.id,
    meta: { profile: [person.birthPlaceInsee ? FR_CORE_PATIENT_INS_PROFILE : FR_CORE_PATIENT_PROFILE] },
    extension: extensions(person),
    identifier: [insIdentifier(person)],
    active: isProfileOpen(person.profileState),
    name: names(person),
    gender: person.sex,
    birthDate: person.birthDate,
  };
}
