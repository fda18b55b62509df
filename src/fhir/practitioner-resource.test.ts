import { describe, expect, it } from 'vitest';
import type { NationalProfessionalId, Rpps } from '../identity/index.ts';
import type { Professional } from '../professionals/index.ts';
import { toPractitionerResource } from './practitioner-resource.ts';

const doctor: Professional = {
  id: '0190a5b2-0000-7000-8000-0000000000aa',
  nationalId: '810001000115' as NationalProfessionalId,
  rpps: '10001000115' as Rpps,
  familyName: 'Martin',
  givenName: 'Claire',
  professionCode: '10',
  specialtyCode: 'SM26',
  mssanteAddress: 'dr.martin@cabinet.mssante.fr',
  structure: undefined,
};

const types = 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203';

describe('toPractitionerResource', () => {
  it('identifies the professional by national id (IDNPS) and RPPS', () => {
    const practitioner = toPractitionerResource(doctor);
    expect(practitioner.id).toBe(doctor.id);
    expect(practitioner.identifier).toEqual([
      {
        use: 'official',
        type: { coding: [{ system: types, code: 'IDNPS' }] },
        system: 'urn:oid:1.2.250.1.71.4.2.1',
        value: '810001000115',
      },
      {
        use: 'official',
        type: { coding: [{ system: types, code: 'RPPS' }] },
        system: 'https://rpps.esante.gouv.fr',
        value: '10001000115',
      },
    ]);
  });

  it('qualifies a doctor by profession and specialty', () => {
    const codings = toPractitionerResource(doctor).qualification?.map((q) => q.code.coding);
    expect(codings).toEqual([
      [
        {
          system: 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante',
          code: '10',
          display: 'Médecin',
        },
      ],
      [
        {
          system: 'https://mos.esante.gouv.fr/NOS/TRE_R04-TypeSavoirFaire/FHIR/TRE-R04-TypeSavoirFaire',
          code: 'S',
          display: 'Spécialité ordinale',
        },
        {
          system: 'https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale',
          code: 'SM26',
          display: 'Qualifié en médecine générale',
        },
      ],
    ]);
  });

  it('has only the profession, no RPPS identifier and no Dr title for a nurse without RPPS', () => {
    const nurse = toPractitionerResource({
      ...doctor,
      rpps: undefined,
      nationalId: '0123456789' as NationalProfessionalId,
      professionCode: '60',
      specialtyCode: undefined,
      mssanteAddress: undefined,
    });
    expect(nurse.identifier?.map((i) => i.system)).toEqual(['urn:oid:1.2.250.1.71.4.2.1']);
    expect(nurse.qualification?.map((q) => q.code.coding?.map((c) => c.code))).toEqual([['60']]);
    expect(nurse.name).toEqual([{ use: 'official', family: 'Martin', given: ['Claire'] }]);
    expect(nurse.telecom).toBeUndefined();
  });

  it('is an FR Core practitioner, a doctor titled DR (civilité d’exercice), with the MSSanté address typed', () => {
    const practitioner = toPractitionerResource(doctor);
    expect(practitioner.meta?.profile).toEqual([
      'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-practitioner',
    ]);
    expect(practitioner.name?.[0]?.suffix).toEqual(['DR']);
    expect(practitioner.name?.[0]?.prefix).toBeUndefined();
    expect(practitioner.telecom).toEqual([
      {
        extension: [
          {
            url: 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-contact-point-email-type',
            valueCoding: {
              system: 'https://mos.esante.gouv.fr/NOS/TRE_R256-TypeMessagerie/FHIR/TRE-R256-TypeMessagerie',
              code: 'MSSANTE',
              display: 'MSSANTE',
            },
          },
        ],
        system: 'email',
        value: 'dr.martin@cabinet.mssante.fr',
        use: 'work',
      },
    ]);
  });
});
