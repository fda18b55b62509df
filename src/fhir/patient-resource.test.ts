import { describe, expect, it } from 'vitest';
import { INS_OID, insKey, type Ins, type PatientId } from '../identity/index.ts';
import type { InsuredPerson } from '../insured/index.ts';
import { isProfileOpen, toPatientResource } from './patient-resource.ts';

const person: InsuredPerson = {
  id: '0190a5b2-0000-7000-8000-000000000001' as PatientId,
  ins: `1840575056123${insKey('1840575056123')}` as Ins,
  insOid: INS_OID.nir,
  birthName: 'Durand',
  usedName: undefined,
  firstNames: 'Paul Henri  Marie',
  birthDate: '1984-05-12',
  sex: 'male',
  birthPlaceInsee: '75056',
  email: 'paul@example.fr',
  phone: '0600000000',
  vitaleSerial: '123456789',
  profileState: 'activated',
  stateChangedAt: '2024-01-01T00:00:00.000Z',
  deletionRequested: false,
};

describe('toPatientResource', () => {
  it('is an FR Core INS patient carrying the INS-NIR identifier, its identity validated', () => {
    const patient = toPatientResource(person);
    expect(patient.meta?.profile).toEqual([
      'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient-ins',
    ]);
    expect(patient.extension?.[0]).toEqual({
      url: 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-identity-reliability',
      extension: [
        {
          url: 'identityStatus',
          valueCoding: {
            system: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0445',
            code: 'VALI',
            display: 'Identité validée',
          },
        },
      ],
    });
    expect(patient.id).toBe(person.id);
    expect(patient.identifier).toEqual([
      {
        use: 'official',
        type: {
          coding: [{ system: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203', code: 'INS-NIR' }],
        },
        system: 'urn:oid:1.2.250.1.213.1.4.8',
        value: person.ins,
      },
    ]);
  });

  it('types the identifier as FR Core does for each INS authority: NIA temporary, .10 test and .11 demo NIRs', () => {
    const sliceOf = (insOid: InsuredPerson['insOid']) => {
      const identifier = toPatientResource({ ...person, insOid }).identifier?.[0];
      return [identifier?.type?.coding?.[0]?.code, identifier?.use];
    };
    expect(sliceOf(INS_OID.nir)).toEqual(['INS-NIR', 'official']);
    expect(sliceOf(INS_OID.nia)).toEqual(['INS-NIA', 'temp']);
    expect(sliceOf(INS_OID.testNir)).toEqual(['INS-NIR-TEST', 'official']);
    expect(sliceOf(INS_OID.testNia)).toEqual(['INS-NIR-DEMO', 'official']);
    expect(toPatientResource({ ...person, insOid: INS_OID.testNir }).identifier?.[0]?.system).toBe(
      'urn:oid:1.2.250.1.213.1.4.10',
    );
  });

  it('gives the birth name with the first first name, every first name in FR Core’s extension, and the used name', () => {
    const official = {
      extension: [
        {
          url: 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient-birth-list-given-name',
          valueString: 'Paul Henri Marie',
        },
      ],
      use: 'official',
      family: 'Durand',
      given: ['Paul'],
    };
    expect(toPatientResource(person).name).toEqual([official]);
    expect(toPatientResource({ ...person, usedName: 'Martin' }).name).toEqual([
      official,
      { use: 'usual', family: 'Martin', given: ['Paul'] },
    ]);
  });

  it('carries birth date, gender and the INSEE code of the birth place', () => {
    const patient = toPatientResource({ ...person, sex: 'female' });
    expect(patient.birthDate).toBe('1984-05-12');
    expect(patient.gender).toBe('female');
    const birthPlace = patient.extension?.find(
      (e) => e.url === 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace',
    );
    expect(birthPlace?.valueAddress?.extension?.[0]).toMatchObject({
      url: 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-address-insee-code',
      valueCoding: { code: '75056' },
    });
  });

  it('has no birth place extension when the birth place is unknown, and then claims fr-core-patient only', () => {
    const patient = toPatientResource({ ...person, birthPlaceInsee: undefined });
    expect(patient.extension?.some((e) => e.url.endsWith('patient-birthPlace'))).toBe(false);
    expect(patient.meta?.profile).toEqual([
      'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient',
    ]);
  });

  it('never exposes contact details nor the carte Vitale serial', () => {
    const json = JSON.stringify(toPatientResource(person));
    expect(json).not.toContain('paul@example.fr');
    expect(json).not.toContain('0600000000');
    expect(json).not.toContain('123456789');
  });

  it.each([
    ['created', true],
    ['activated', true],
    ['opposed', false],
    ['closed', false],
  ] as const)('is active when the profile is open: %s → %s', (profileState, active) => {
    expect(isProfileOpen(profileState)).toBe(active);
    const patient = toPatientResource({ ...person, profileState });
    expect(patient.active).toBe(active);
    expect(patient.extension?.find((e) => e.url.endsWith('/profile-state'))?.valueCode).toBe(profileState);
  });
});
