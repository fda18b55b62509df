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
  it('is an FR Core patient carrying the INS-NIR identifier', () => {
    const patient = toPatientResource(person);
    expect(patient.meta?.profile).toEqual([
      'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient',
    ]);
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

  it('names the identifier type after the INS range (NIA, test ranges)', () => {
    const codeOf = (insOid: InsuredPerson['insOid']) =>
      toPatientResource({ ...person, insOid }).identifier?.[0]?.type?.coding?.[0]?.code;
    expect(codeOf(INS_OID.nia)).toBe('INS-NIA');
    expect(codeOf(INS_OID.testNir)).toBe('INS-NIR-TEST');
    expect(codeOf(INS_OID.testNia)).toBe('INS-NIA-TEST');
    expect(toPatientResource({ ...person, insOid: INS_OID.testNir }).identifier?.[0]?.system).toBe(
      'urn:oid:1.2.250.1.213.1.4.10',
    );
  });

  it('gives the birth name with every first name as official name, and the used name as usual name', () => {
    expect(toPatientResource(person).name).toEqual([
      { use: 'official', family: 'Durand', given: ['Paul', 'Henri', 'Marie'] },
    ]);
    expect(toPatientResource({ ...person, usedName: 'Martin' }).name).toEqual([
      { use: 'official', family: 'Durand', given: ['Paul', 'Henri', 'Marie'] },
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

  it('has no birth place extension when the birth place is unknown', () => {
    const patient = toPatientResource({ ...person, birthPlaceInsee: undefined });
    expect(patient.extension?.some((e) => e.url.endsWith('patient-birthPlace'))).toBe(false);
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
