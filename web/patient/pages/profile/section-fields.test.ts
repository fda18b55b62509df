import { describe, expect, it } from 'vitest';
import { entryCodeLabel, formValuesOf, impliedBy, payloadOf, sectionFields } from './section-fields.ts';

const field = (section: string, name: string) => sectionFields[section]!.find((f) => f.name === name)!;

describe('coded fields of the profile form', () => {
  it('sends the code of a term picked in the list, and none for other words', () => {
    expect(payloadOf('treatments', { medication: 'Metformine' })).toEqual({
      medication: 'Metformine',
      atc: { code: 'A10BA02', display: 'Metformine' },
    });
    expect(payloadOf('treatments', { medication: 'Metformine 850 mg' })).toMatchObject({
      atc: { code: 'A10BA02' },
    });
    expect(payloadOf('treatments', { medication: 'Tisane de thym' })).toEqual({
      medication: 'Tisane de thym',
    });
    expect(payloadOf('conditions', { label: 'Asthme' })).toEqual({
      label: 'Asthme',
      cim10: { code: 'J45', display: 'Asthme' },
    });
    expect(payloadOf('family-history', { relation: 'father', condition: 'Diabète de type 2' })).toMatchObject(
      {
        cim10: { code: 'E11' },
      },
    );
    expect(payloadOf('allergies', { substance: 'Arachide', category: 'food' })).toEqual({
      substance: 'Arachide',
      category: 'food',
      code: { system: 'SNOMED CT', code: '762952008', display: 'Arachide' },
    });
  });

  it('fills an allergen’s category when it is picked', () => {
    expect(impliedBy(field('allergies', 'substance'), 'Pénicilline')).toEqual({ category: 'medication' });
    expect(impliedBy(field('allergies', 'substance'), 'Plume d’oie')).toEqual({});
  });

  it('edits an entry from its words: the stored code is not a field, it follows the words again', () => {
    expect(
      formValuesOf({ medication: 'Metformine', atc: { code: 'A10BA02', display: 'Metformine' } }),
    ).toEqual({
      medication: 'Metformine',
    });
  });

  it('shows the code an entry carries, discreetly', () => {
    expect(
      entryCodeLabel({ medication: 'Metformine', atc: { code: 'A10BA02', display: 'Metformine' } }),
    ).toBe('ATC A10BA02');
    expect(entryCodeLabel({ label: 'Asthme', cim10: { code: 'J45', display: 'Asthme' } })).toBe('CIM-10 J45');
    expect(
      entryCodeLabel({
        substance: 'Arachide',
        code: { system: 'SNOMED CT', code: '762952008', display: 'x' },
      }),
    ).toBe('SNOMED CT 762952008');
    expect(entryCodeLabel({ medication: 'Tisane' })).toBeUndefined();
  });
});
