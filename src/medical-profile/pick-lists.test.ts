import { readFileSync } from 'node:fs';
import { isSnomedCode } from '../terminology/index.ts';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allergenTerms, conditionTerms, medicationTerms, termNamed, type CodedTerm } from './pick-lists.ts';

/**
 * The ANS code lists of the CDA conformance kit, beside the repository (docs/cda.md, "The ANS kits the tests and
 * scripts read").
 */
const TERMINOLOGIES = fileURLToPath(
  new URL(
    '../../../shared/data/ans-testcontenucda/schematrons/profils/terminologies/terminologie/',
    import.meta.url,
  ),
);
const notations = (oid: string) =>
  new Set(
    [
      ...readFileSync(`${TERMINOLOGIES}${oid}.rdf`, 'utf8').matchAll(
        /<skos:notation>([^<]+)<\/skos:notation>/g,
      ),
    ].map((m) => m[1]),
  );
const atc = notations('2.16.840.1.113883.6.73');
const cim10 = notations('2.16.840.1.113883.6.3');

const unknownIn = (terms: readonly CodedTerm[], list: Set<string | undefined>) =>
  terms.filter((t) => !list.has(t.code)).map((t) => t.code);
const repeated = (values: readonly string[]) => values.filter((v, i) => values.indexOf(v) !== i);

describe('pick lists', () => {
  it('reads the official lists (thousands of codes each)', () => {
    expect(atc.size).toBeGreaterThan(5000);
    expect(cim10.size).toBeGreaterThan(15000);
    expect(atc.has('A10BA02')).toBe(true);
    expect(cim10.has('E11.9')).toBe(true);
  });

  it('offers about a hundred medications, each with a 7-character ATC code of the official list', () => {
    expect(medicationTerms.length).toBeGreaterThanOrEqual(80);
    expect(medicationTerms.length).toBeLessThanOrEqual(150);
    expect(unknownIn(medicationTerms, atc)).toEqual([]);
    expect(medicationTerms.filter((t) => t.code.length !== 7 && t.code !== 'A12AX')).toEqual([]);
    expect(medicationTerms).toContainEqual({ code: 'A10BA02', display: 'Metformine' });
    expect(medicationTerms).toContainEqual({ code: 'H03AA01', display: 'Lévothyroxine' });
  });

  it('offers common chronic diseases with a CIM-10 code of the official list', () => {
    expect(conditionTerms.length).toBeGreaterThanOrEqual(50);
    expect(conditionTerms.length).toBeLessThanOrEqual(80);
    expect(unknownIn(conditionTerms, cim10)).toEqual([]);
    expect(conditionTerms).toContainEqual({ code: 'E11', display: 'Diabète de type 2' });
    expect(conditionTerms).toContainEqual({ code: 'I10', display: 'Hypertension artérielle essentielle' });
  });

  it('offers common allergens: drugs by an official ATC code, other substances by a SNOMED CT concept', () => {
    expect(allergenTerms.length).toBeGreaterThanOrEqual(20);
    expect(allergenTerms.length).toBeLessThanOrEqual(35);
    expect(
      unknownIn(
        allergenTerms.filter((t) => t.system === 'ATC'),
        atc,
      ),
    ).toEqual([]);
    expect(allergenTerms.filter((t) => t.system === 'ATC').every((t) => t.category === 'medication')).toBe(
      true,
    );
    // SNOMED CT identifiers end with a Verhoeff check digit over the rest.
    expect(
      allergenTerms.filter((t) => t.system === 'SNOMED CT' && !isSnomedCode(t.code)).map((t) => t.code),
    ).toEqual([]);
    expect(allergenTerms).toContainEqual({
      system: 'ATC',
      code: 'N02BA01',
      display: 'Aspirine (acide acétylsalicylique)',
      category: 'medication',
    });
  });

  it('never offers the same words or the same code twice in a list', () => {
    for (const terms of [medicationTerms, conditionTerms, allergenTerms]) {
      expect(repeated(terms.map((t) => t.display.toLowerCase()))).toEqual([]);
      expect(repeated(terms.map((t) => t.code))).toEqual([]);
    }
  });

  it('names a term by its words, whatever the case and accents, or followed by a strength; not otherwise', () => {
    expect(termNamed(medicationTerms, 'Metformine')?.code).toBe('A10BA02');
    expect(termNamed(medicationTerms, '  levothyroxine ')?.code).toBe('H03AA01');
    expect(termNamed(medicationTerms, 'Metformine 1000 mg')?.code).toBe('A10BA02');
    expect(termNamed(medicationTerms, 'Metformine et sitagliptine')).toBeUndefined();
    expect(termNamed(medicationTerms, 'Metf')).toBeUndefined();
    expect(termNamed(conditionTerms, 'diabète de type 2')?.code).toBe('E11');
    expect(termNamed(allergenTerms, 'Arachide')).toMatchObject({ system: 'SNOMED CT', category: 'food' });
  });
});
