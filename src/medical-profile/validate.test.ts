import { describe, expect, it } from 'vitest';
import { CarnetError } from '../shared/index.ts';
import type { ProfileSection } from '../terminology/index.ts';
import { validateSectionData } from './validate.ts';

const now = new Date('2026-03-01T10:00:00Z');
const validate = (section: ProfileSection, data: object) => validateSectionData(section, data, now);
const refusal = (section: ProfileSection, data: object) => {
  try {
    validate(section, data);
  } catch (error) {
    if (error instanceof CarnetError) return { field: error.expression, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('coded profile entries', () => {
  it('keeps the code a patient picked beside the words they read', () => {
    expect(
      validate('treatments', {
        medication: 'Metformine 1000 mg',
        atc: { code: 'A10BA02', display: 'Metformine' },
      }),
    ).toEqual({ medication: 'Metformine 1000 mg', atc: { code: 'A10BA02', display: 'Metformine' } });
    expect(
      validate('conditions', {
        label: 'Diabète de type 2',
        cim10: { code: 'E11', display: 'Diabète de type 2' },
      }),
    ).toMatchObject({ cim10: { code: 'E11' } });
    expect(
      validate('family-history', {
        relation: 'father',
        condition: 'Diabète',
        cim10: { code: 'E11', display: 'Diabète de type 2' },
      }),
    ).toMatchObject({ cim10: { code: 'E11', display: 'Diabète de type 2' } });
    expect(
      validate('allergies', {
        substance: 'Arachide',
        category: 'food',
        code: { system: 'SNOMED CT', code: '762952008', display: 'Arachide' },
      }),
    ).toMatchObject({ code: { system: 'SNOMED CT', code: '762952008' } });
    expect(
      validate('allergies', {
        substance: 'Aspirine',
        category: 'medication',
        code: { system: 'ATC', code: 'N02BA01', display: 'Aspirine (acide acétylsalicylique)' },
      }),
    ).toMatchObject({ code: { system: 'ATC', code: 'N02BA01' } });
  });

  it('accepts any code of the official ATC and CIM-10 lists, not only the pick lists', () => {
    // L01EA01 (imatinib) and C91.1 (chronic lymphocytic leukaemia) are in no pick list.
    expect(
      validate('treatments', { medication: 'Imatinib', atc: { code: 'L01EA01', display: 'Imatinib' } }),
    ).toMatchObject({
      atc: { code: 'L01EA01' },
    });
    expect(
      validate('conditions', {
        label: 'LLC',
        cim10: { code: 'C91.1', display: 'Leucémie lymphoïde chronique' },
      }),
    ).toMatchObject({ cim10: { code: 'C91.1' } });
  });

  it('accepts free text without a code, as before', () => {
    expect(validate('treatments', { medication: 'Tisane maison' })).toEqual({ medication: 'Tisane maison' });
    expect(validate('conditions', { label: 'Maladie rare', cim10: '' })).toEqual({ label: 'Maladie rare' });
    expect(validate('allergies', { substance: 'Plume', category: 'environment' })).not.toHaveProperty('code');
  });

  it('refuses, naming the field in French, an unknown code, a code of another system, a missing label', () => {
    expect(refusal('treatments', { medication: 'X', atc: { code: 'A10BA99', display: 'X' } })).toEqual({
      field: 'atc',
      message: 'Code ATC : ce code n’est pas un code ATC reconnu.',
    });
    expect(refusal('conditions', { label: 'X', cim10: { code: 'A10BA02', display: 'X' } })).toEqual({
      field: 'cim10',
      message: 'Code CIM-10 : ce code n’est pas un code CIM-10 reconnu.',
    });
    expect(refusal('treatments', { medication: 'X', atc: { code: 'A10BA02', display: ' ' } }).message).toBe(
      'Code ATC : le libellé du code est obligatoire.',
    );
    expect(
      refusal('treatments', { medication: 'X', atc: { code: 'A10BA02', display: 'x'.repeat(201) } }).message,
    ).toBe('Code ATC : libellé de 200 caractères au plus.');
    expect(refusal('treatments', { medication: 'X', atc: 'A10BA02' }).field).toBe('atc');
    expect(
      refusal('allergies', {
        substance: 'X',
        category: 'food',
        code: { system: 'LOINC', code: '4548-4', display: 'X' },
      }),
    ).toEqual({ field: 'code', message: 'Code de la substance : système attendu ATC ou SNOMED CT.' });
    expect(
      refusal('allergies', {
        substance: 'X',
        category: 'food',
        code: { system: 'SNOMED CT', code: 'N02BA01', display: 'X' },
      }).message,
    ).toBe('Code SNOMED CT : ce code n’est pas un code SNOMED CT reconnu.');
    // The words stay required: a code alone is not what the patient reads.
    expect(refusal('treatments', { atc: { code: 'A10BA02', display: 'Metformine' } }).field).toBe(
      'medication',
    );
  });
});
