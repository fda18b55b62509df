import type { Identifier, Practitioner, PractitionerQualification } from '@medplum/fhirtypes';
import { PROFESSIONAL_ID_OID, RPPS_SYSTEM, professionLabel, specialties } from '../identity/index.ts';
import type { Professional } from '../professionals/index.ts';
import {
  FR_CORE_EMAIL_TYPE_EXTENSION,
  FR_CORE_IDENTIFIER_TYPE_SYSTEM,
  FR_CORE_PRACTITIONER_PROFILE,
  MESSAGING_TYPE_SYSTEM,
  PROFESSION_SYSTEM,
  SPECIALTY_SYSTEM,
  KNOW_HOW_TYPE_SYSTEM,
} from './systems.ts';

function identifiers(p: Professional): Identifier[] {
  const nationalId: Identifier = {
    use: 'official',
    type: { coding: [{ system: FR_CORE_IDENTIFIER_TYPE_SYSTEM, code: 'IDNPS' }] },
    system: `urn:oid:${PROFESSIONAL_ID_OID}`,
    value: p.nationalId,
  };
  if (!p.rpps) return [nationalId];
  const rpps: Identifier = {
    use: 'official',
    type: { coding: [{ system: FR_CORE_IDENTIFIER_TYPE_SYSTEM, code: 'RPPS' }] },
    system: RPPS_SYSTEM,
    value: p.rpps,
  };
  return [nationalId, rpps];
}

function qualifications(p: Professional): PractitionerQualification[] {
  const profession: PractitionerQualification = {
    code: {
      coding: [
        { system: PROFESSION_SYSTEM, code: p.professionCode, display: professionLabel(p.professionCode) },
      ],
    },
  };
  if (!p.specialtyCode) return [profession];
  // FR Core's savoirFaire slice: the kind of know-how (S, spécialité ordinale) beside the specialty itself.
  const specialty: PractitionerQualification = {
    code: {
      coding: [
        { system: KNOW_HOW_TYPE_SYSTEM, code: 'S', display: 'Spécialité ordinale' },
        { system: SPECIALTY_SYSTEM, code: p.specialtyCode, display: specialties[p.specialtyCode] },
      ],
    },
  };
  return [profession, specialty];
}

/**
 * A professional as an FR Core practitioner (`fr-core-practitioner`): national id (IDNPS) and RPPS slices, name
 * with the civilité d'exercice as suffix (JDV J79: DR for doctors and dentists), the MSSanté address typed as such,
 * profession and specialty.
 */
export function toPractitionerResource(p: Professional): Practitioner {
  return {
    resourceType: 'Practitioner',
    id: p.id,
    meta: { profile: [FR_CORE_PRACTITIONER_PROFILE] },
    identifier: identifiers(p),
    active: true,
    name: [
      {
        use: 'official',
        family: p.familyName,
        given: [p.givenName],
        ...(p.professionCode === '10' || p.professionCode === '40' ? { suffix: ['DR'] } : {}),
      },
    ],
    ...(p.mssanteAddress
      ? {
          telecom: [
            {
              extension: [
                {
                  url: FR_CORE_EMAIL_TYPE_EXTENSION,
                  valueCoding: { system: MESSAGING_TYPE_SYSTEM, code: 'MSSANTE', display: 'MSSANTE' },
                },
              ],
              system: 'email',
              value: p.mssanteAddress,
              use: 'work',
            },
          ],
        }
      : {}),
    qualification: qualifications(p),
  };
}
