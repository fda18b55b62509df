import type {
  AllergyIntolerance,
  Condition,
  FamilyMemberHistory,
  MedicationStatement,
  Observation,
} from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import type { PatientId } from '../identity/index.ts';
import type { ProfileEntry, ProfileSection, SectionData } from '../medical-profile/index.ts';
import { CIM_10, profileEntryToFhir } from './profile-resources.ts';
import { validateAnswer } from './validation/r4-validator.ts';

const entry = <S extends ProfileSection>(section: S, data: SectionData[S]): ProfileEntry<S> => ({
  id: `e-${section}`,
  patientId: 'p-1' as PatientId,
  section,
  data,
  source: 'patient',
  sourceRef: null,
  sourceName: null,
  recordedAt: '2026-01-10T09:00:00.000Z',
  updatedAt: '2026-01-10T09:00:00.000Z',
});
const resourceOf = <T>(e: ProfileEntry) => {
  const resource = profileEntryToFhir(e);
  expect(validateAnswer(resource).errors).toEqual([]);
  return resource as T;
};

describe('profile entries as FHIR resources', () => {
  it('codes a picked medication with ATC, the patient’s words as text', () => {
    const statement = resourceOf<MedicationStatement>(
      entry('treatments', {
        medication: 'Metformine 1000 mg',
        atc: { code: 'A10BA02', display: 'Metformine' },
      }),
    );
    expect(statement.medicationCodeableConcept).toEqual({
      coding: [{ system: 'http://www.whocc.no/atc', code: 'A10BA02', display: 'Metformine' }],
      text: 'Metformine 1000 mg',
    });
  });

  it('codes a picked disease with CIM-10, for the patient and for a relative', () => {
    const condition = resourceOf<Condition>(
      entry('conditions', {
        label: 'Diabète de type 2',
        cim10: { code: 'E11', display: 'Diabète de type 2' },
      }),
    );
    expect(condition.code).toEqual({
      coding: [{ system: CIM_10, code: 'E11', display: 'Diabète de type 2' }],
      text: 'Diabète de type 2',
    });
    expect(CIM_10).toBe('https://smt.esante.gouv.fr/terminologie-cim-10');
    const family = resourceOf<FamilyMemberHistory>(
      entry('family-history', {
        relation: 'mother',
        condition: 'Infarctus',
        cim10: { code: 'I21', display: 'Infarctus du myocarde' },
      }),
    );
    expect(family.condition?.[0]?.code.coding).toEqual([
      { system: CIM_10, code: 'I21', display: 'Infarctus du myocarde' },
    ]);
  });

  it('codes an allergy to a drug with ATC and to another substance with SNOMED CT', () => {
    const drug = resourceOf<AllergyIntolerance>(
      entry('allergies', {
        substance: 'Aspirine',
        code: { system: 'ATC', code: 'N02BA01', display: 'Aspirine (acide acétylsalicylique)' },
        category: 'medication',
      }),
    );
    expect(drug.code?.coding).toEqual([
      { system: 'http://www.whocc.no/atc', code: 'N02BA01', display: 'Aspirine (acide acétylsalicylique)' },
    ]);
    const food = resourceOf<AllergyIntolerance>(
      entry('allergies', {
        substance: 'Arachide',
        code: { system: 'SNOMED CT', code: '762952008', display: 'Arachide' },
        category: 'food',
      }),
    );
    expect(food.code).toEqual({
      coding: [{ system: 'http://snomed.info/sct', code: '762952008', display: 'Arachide' }],
      text: 'Arachide',
    });
  });

  it('keeps free text without a coding', () => {
    const statement = resourceOf<MedicationStatement>(entry('treatments', { medication: 'Tisane maison' }));
    expect(statement.medicationCodeableConcept).toEqual({ text: 'Tisane maison' });
    const condition = resourceOf<Condition>(entry('conditions', { label: 'Appendicectomie' }));
    expect(condition.code).toEqual({ text: 'Appendicectomie' });
  });

  it('codes a measurement with LOINC and its value with UCUM', () => {
    const weight = resourceOf<Observation>(
      entry('measurements', { kind: 'weight', value: 81.8, unit: 'kg', at: '2026-01-09T08:30:00.000Z' }),
    );
    expect(weight.code.coding).toEqual([
      { system: 'http://loinc.org', code: '29463-7', display: 'Body weight' },
    ]);
    expect(weight.valueQuantity).toEqual({
      value: 81.8,
      unit: 'kg',
      system: 'http://unitsofmeasure.org',
      code: 'kg',
    });
  });
});
