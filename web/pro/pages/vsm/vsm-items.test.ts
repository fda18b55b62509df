import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansKitDir } from '../../../../src/shared/testing/ans-cda-check.ts';
import { isLoincCode } from '../../../../src/terminology/check-digits.ts';
import { isKnownCode } from '../../../../src/terminology/index.ts';
import * as server from '../../../../src/vsm/items.ts';
import { vsmSectionKeys } from '../../../../src/vsm/model.ts';
import {
  allergySeverities,
  commonMeasurements,
  commonRoutes,
  emptyRow,
  familyRelatives,
  frenchPartialDate,
  itemOf,
  lifestyleTopics,
  partialDate,
  relativeLabels,
  rowOf,
  sectionCoding,
  vsmCodeSystems,
  type VsmItem,
} from './vsm-items.ts';

describe('the portal’s copy of the VSM item contract', () => {
  it('is the server’s: the same systems, fields, relatives and severities section by section', () => {
    expect(vsmCodeSystems).toEqual(server.vsmCodeSystems);
    expect(familyRelatives).toEqual(server.familyRelatives);
    expect(allergySeverities).toEqual(server.allergySeverities);
    for (const key of vsmSectionKeys) expect(sectionCoding[key]).toEqual(server.sectionCoding[key]);
    expect(Object.keys(sectionCoding)).toEqual([...vsmSectionKeys]);
  });

  it('names every relative in French', () => {
    expect(Object.keys(relativeLabels)).toEqual([...familyRelatives]);
    expect(relativeLabels.sister).toBe('Sœur');
  });
});

describe('the short lists the doctor picks from', () => {
  it('offer EDQM routes that are in the ANS kit', () => {
    for (const route of commonRoutes) expect(isKnownCode('EDQM', route.code), route.label).toBe(true);
    expect(commonRoutes.find((r) => r.label === 'Voie orale')?.code).toBe('20053000');
  });

  it('offer lifestyle topics from the CI-SIS value set of social history codes', () => {
    const valueSet = readFileSync(
      path.join(ansKitDir, 'jeuxDeValeurs', 'JDV_SocialHistoryCodes_CISIS.xml'),
      'utf8',
    );
    const codes = [...valueSet.matchAll(/<Concept code="([^"]+)"/g)].map((m) => m[1]);
    for (const topic of lifestyleTopics) expect(codes, topic.label).toContain(topic.code);
  });

  it('offer LOINC codes with a right check digit, each accepted by the server with its unit', () => {
    for (const { code, label } of [...commonMeasurements, ...lifestyleTopics])
      expect(isLoincCode(code), label).toBe(true);
    for (const m of commonMeasurements) {
      const row = { ...emptyRow('r', 'vitalSigns'), text: m.label, code: m.code, display: m.label };
      const item = itemOf({ ...row, quantity: '12,5', unit: m.unit }, 'vitalSigns') as VsmItem;
      expect(server.parseVsmItem('vitalSigns', 'Principales constantes', item)).toEqual(item);
    }
  });
});

describe('dates as the doctor types them', () => {
  it('accepts a year, a month or a full date, French or ISO', () => {
    expect(partialDate('2019')).toBe('2019');
    expect(partialDate('3/2019')).toBe('2019-03');
    expect(partialDate('12/03/2019')).toBe('2019-03-12');
    expect(partialDate(' 2019-03 ')).toBe('2019-03');
    expect(partialDate('2019-03-12')).toBe('2019-03-12');
  });

  it('refuses what is no date', () => {
    for (const typed of ['19', '13/2019', '31/02/2019', '2019-02-30', 'mars 2019', '12/03/19'])
      expect(partialDate(typed), typed).toBeUndefined();
  });

  it('shows the draft’s dates the French way', () => {
    expect(frenchPartialDate('2019')).toBe('2019');
    expect(frenchPartialDate('2019-03')).toBe('03/2019');
    expect(frenchPartialDate('2019-03-12')).toBe('12/03/2019');
  });
});

describe('a form row', () => {
  const metformin: VsmItem = {
    text: 'Metformine 1000 mg',
    code: { system: 'ATC', code: 'A10BA02', display: 'Metformine' },
    start: '2019-03',
    route: { system: 'EDQM', code: '20053000', display: 'Voie orale' },
    dosage: '1 comprimé matin et soir',
  };

  it('gives back the coded item it was filled with, as the server accepts it', () => {
    const item = itemOf(rowOf(metformin, 'r1', 'treatments'), 'treatments');
    expect(item).toEqual(metformin);
    expect(server.parseVsmItem('treatments', 'Traitements au long cours', item)).toEqual(metformin);
  });

  it('keeps a measurement’s number and unit, and a plain line from an older draft', () => {
    const weight: VsmItem = {
      text: 'Poids',
      code: { system: 'LOINC', code: '29463-7', display: 'Poids' },
      value: { quantity: 81.5, unit: 'kg' },
    };
    const row = rowOf(weight, 'r', 'vitalSigns');
    expect(row.quantity).toBe('81,5');
    expect(itemOf(row, 'vitalSigns')).toEqual(weight);
    expect(itemOf(rowOf('Asthme', 'r', 'activeProblems'), 'activeProblems')).toEqual({ text: 'Asthme' });
  });

  it('sends only the fields its section takes', () => {
    const row = { ...rowOf(metformin, 'r', 'treatments'), relative: 'mother' as const };
    expect(itemOf(row, 'vigilance')).toEqual({ text: 'Metformine 1000 mg' });
  });

  it('is left out when empty, and says what is missing otherwise', () => {
    expect(itemOf(emptyRow('r', 'allergies'), 'allergies')).toBeUndefined();
    const coded = { ...emptyRow('r', 'activeProblems'), code: 'E11.9' };
    expect(itemOf(coded, 'activeProblems')).toMatchObject({ control: 'text' });
    expect(itemOf({ ...coded, text: 'Diabète' }, 'activeProblems')).toMatchObject({ control: 'display' });
    const dated = { ...emptyRow('r', 'personalHistory'), text: 'Zona', start: '2020', end: '2019' };
    expect(itemOf(dated, 'personalHistory')).toMatchObject({ control: 'end' });
    expect(itemOf({ ...dated, start: 'hier' }, 'personalHistory')).toMatchObject({ control: 'start' });
  });
});
