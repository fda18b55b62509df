import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentTypes, valueSetConcepts } from '../terminology/index.ts';
import {
  activeHabilitationMatrix,
  isTypeAllowed,
  loadHabilitationMatrix,
  parseHabilitationMatrix,
} from './habilitation-matrix.ts';

// The expected cells, written out (not derived from the matrix). Rows with a deny list: the known types each
// profession may NOT read (every other type, official or not, is allowed). The conservative default (and the
// pédicure-podologue's known cell): the types it MAY read, every other type being denied. Together they give
// every JDV_J07 type a reading rule for every profession.
const conservativeAllowed = [
  '60591-5',
  'SYNTH',
  '11490-0',
  '11488-4',
  '18748-4',
  '34874-8',
  '34112-3',
  '57833-6',
  '57832-8',
  '11369-6',
  '87273-9',
  '96874-3',
  '18761-7',
  '34133-9',
  '57828-6',
  'PRESC-BIO',
  'PRESC-KINE',
  'PRESC-INF',
  'PRESC-PEDI',
  'PRESC-ORTHOPHO',
  'PRESC-ORTHOPTIE',
  '101881-1',
  'DOCPAT01',
  'DOCPAT02',
  'DOCPAT03',
  'DOCPAT04',
  'DOCPAT05',
  'DOCPAT06',
  'DOCPAT07',
  'DOCPAT08',
  'DOCPAT09',
];
const knownCodes = documentTypes.map((t) => t.code);
const conservative = knownCodes.filter((code) => !conservativeAllowed.includes(code));
const expectedDenied: Record<string, string[]> = {
  '10': ['ATTEST-RESID'],
  '40': ['EXPPAT_3', '68599-0', '83901-9', '85208-7', '80788-3', '83981-1'],
  '21': ['68599-0', '83901-9'],
  '60': ['68599-0', '83901-9'],
  '50': ['68599-0', '83901-9'],
  '80': conservative,
  // Professions without a row: the documented conservative default.
  '70': conservative,
  '91': conservative,
  '96': conservative,
};

describe('habilitation matrix v1', () => {
  it('covers every profession row, and names only types of the registry', () => {
    for (const rule of activeHabilitationMatrix.rules)
      expect(Object.keys(expectedDenied)).toContain(rule.profession);
    const named = [activeHabilitationMatrix.defaults, ...activeHabilitationMatrix.rules].flatMap((r) =>
      'allow' in r && r.allow ? r.allow : (r.deny ?? []),
    );
    expect(named.filter((code) => !knownCodes.includes(code))).toEqual([]);
    // Every official type has a cell in this table (the registry derives from JDV_J07).
    expect(knownCodes).toEqual(expect.arrayContaining(valueSetConcepts('type').map((c) => c.code)));
  });

  const cells = Object.entries(expectedDenied).flatMap(([profession, denied]) =>
    knownCodes.map((code) => [profession, code, !denied.includes(code)] as const),
  );
  it.each(cells)('profession %s × type %s → allowed %s', (profession, code, allowed) => {
    expect(isTypeAllowed(activeHabilitationMatrix, profession, undefined, code)).toBe(allowed);
  });

  it('keeps the known cells of the arrêté', () => {
    expect(isTypeAllowed(activeHabilitationMatrix, '40', undefined, 'EXPPAT_3')).toBe(false);
    expect(isTypeAllowed(activeHabilitationMatrix, '80', undefined, '15508-5')).toBe(false);
    expect(activeHabilitationMatrix.source).toMatch(/26 octobre 2023/);
  });
});

describe('habilitation matrix loading', () => {
  const base = { version: 't', source: 'test', defaults: { basis: 'default', allow: ['A'] } };

  it('prefers a specialty row, then the profession row, then the defaults', () => {
    const matrix = parseHabilitationMatrix({
      ...base,
      rules: [
        { profession: '10', basis: 'default', deny: ['PSY'] },
        { profession: '10', specialty: 'SM42', basis: 'default', deny: [] },
      ],
    });
    expect(isTypeAllowed(matrix, '10', 'SM42', 'PSY')).toBe(true);
    expect(isTypeAllowed(matrix, '10', 'SM04', 'PSY')).toBe(false);
    expect(isTypeAllowed(matrix, '10', undefined, 'PSY')).toBe(false);
    expect(isTypeAllowed(matrix, '60', undefined, 'A')).toBe(true);
    expect(isTypeAllowed(matrix, '60', undefined, 'PSY')).toBe(false);
    expect(Object.isFrozen(matrix.rules)).toBe(true);
  });

  it('refuses malformed files with the reason', () => {
    const both = { ...base, rules: [{ profession: '10', basis: 'default', allow: [], deny: [] }] };
    expect(() => parseHabilitationMatrix(both)).toThrow(/exactly one/);
    const twice = {
      ...base,
      rules: [
        { profession: '10', basis: 'default', deny: [] },
        { profession: '10', basis: 'default', allow: [] },
      ],
    };
    expect(() => parseHabilitationMatrix(twice)).toThrow(/same profession/);
    expect(() => parseHabilitationMatrix({ ...base, version: undefined, rules: [] })).toThrow(/version/);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'carnet-matrix-'));
    writeFileSync(path.join(dir, 'bad.json'), '{ not json');
    expect(() => loadHabilitationMatrix(path.join(dir, 'bad.json'))).toThrow(/bad\.json/);
  });
});
