import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  canonicalSystem,
  classOfType,
  isCurrent,
  lookupConcept,
  newestEdition,
  systemOid,
  valueSetConcepts,
  valueSets,
  withdrawnTypes,
  type ValueSetName,
} from './index.ts';

const TRE_A05 =
  'https://mos.esante.gouv.fr/NOS/TRE_A05-TypeDocComplementaire/FHIR/TRE-A05-TypeDocComplementaire';
const TRE_A03 = 'https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument';
const TRE_R02 = 'https://mos.esante.gouv.fr/NOS/TRE_R02-SecteurActivite/FHIR/TRE-R02-SecteurActivite';

describe('ANS value sets', () => {
  it('loads JDV_J07 in its 2024 (114 codes) and 2026 (123 codes) editions', () => {
    const types = valueSets.type;
    expect(types.oid).toBe('1.2.250.1.213.1.1.5.471');
    expect(types.editions.map((e) => e.edition)).toEqual(['2024-09-27', '2026-06-29']);
    const inEdition = (edition: string) =>
      valueSetConcepts('type').filter((c) => c.editions.includes(edition));
    expect(inEdition('2026-06-29')).toHaveLength(123);
    expect(inEdition('2024-09-27')).toHaveLength(114);
    // What the 2026 edition adds.
    expect(lookupConcept('type', 'http://loinc.org', '96163-1')?.editions).toEqual(['2026-06-29']);
    expect(newestEdition('type')).toBe('2026-06-29');
    // Each edition names where it came from.
    for (const edition of types.editions) expect(edition.sources.length).toBeGreaterThan(0);
  });

  it('loads every value set Carnet checks metadata against, each with concepts and a canonical URL', () => {
    const expected: Record<ValueSetName, [oid: string, atLeast: number]> = {
      type: ['1.2.250.1.213.1.1.5.471', 123],
      class: ['1.2.250.1.213.1.1.5.462', 12],
      format: ['1.2.250.1.213.1.1.5.465', 60],
      facility: ['1.2.250.1.213.1.1.5.466', 69],
      practiceSetting: ['1.2.250.1.213.1.1.5.467', 12],
      authorSpecialty: ['1.2.250.1.213.1.1.5.461', 390],
      confidentiality: ['1.2.250.1.213.1.1.5.463', 6],
      cdaConfidentiality: ['2.16.840.1.113883.1.11.10228', 6],
    };
    for (const [name, [oid, atLeast]] of Object.entries(expected) as [ValueSetName, [string, number]][]) {
      expect(valueSets[name].oid, name).toBe(oid);
      expect(valueSetConcepts(name).length, name).toBeGreaterThanOrEqual(atLeast);
    }
  });

  it('finds a concept whatever the spelling of its system, and answers in the PDSm spelling', () => {
    for (const spelling of [
      TRE_A05,
      'urn:oid:1.2.250.1.213.1.1.4.12',
      '1.2.250.1.213.1.1.4.12',
      ` ${TRE_A05.toUpperCase()} `,
    ]) {
      expect(lookupConcept('type', spelling, 'PROT_ALD'), spelling).toMatchObject({
        code: 'PROT_ALD',
        system: TRE_A05,
        display: 'Protocole de soins ALD',
      });
    }
    for (const spelling of [
      'http://loinc.org',
      'urn:oid:2.16.840.1.113883.6.1',
      '2.16.840.1.113883.6.1',
      'https://mos.esante.gouv.fr/NOS/TRE_A04-Loinc/FHIR/TRE-A04-Loinc',
    ]) {
      expect(lookupConcept('type', spelling, '18761-7')?.system, spelling).toBe('http://loinc.org');
    }
    expect(lookupConcept('class', '1.2.250.1.213.1.1.4.1', '10')).toMatchObject({ system: TRE_A03 });
    expect(lookupConcept('facility', 'urn:oid:1.2.250.1.71.4.2.4', 'SA05')).toMatchObject({
      system: TRE_R02,
      display: 'Centre de santé',
    });
    expect(lookupConcept('practiceSetting', '1.2.250.1.213.1.1.4.9', 'ETABLISSEMENT')?.system).toBe(
      'https://mos.esante.gouv.fr/NOS/TRE_A01-CadreExercice/FHIR/TRE-A01-CadreExercice',
    );
    expect(lookupConcept('format', '1.3.6.1.4.1.19376.1.2.3', 'urn:ihe:iti:xds-sd:pdf:2008')?.system).toBe(
      'https://mos.esante.gouv.fr/NOS/TRE_A11-IheFormatCode/FHIR/TRE-A11-IheFormatCode',
    );
    expect(lookupConcept('authorSpecialty', '1.2.250.1.213.1.1.4.5', 'G15_10/SM26')?.display).toBe(
      'Médecin - Qualifié en Médecine Générale (SM)',
    );
    expect(lookupConcept('confidentiality', '2.16.840.1.113883.5.25', 'R')?.system).toBe(
      'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
    );
  });

  it('keeps codes an edition dropped, marked as no longer current', () => {
    const specialty = (code: string) => lookupConcept('authorSpecialty', '1.2.250.1.213.1.1.4.5', code);
    expect(valueSets.authorSpecialty.editions.map((e) => e.edition)).toEqual(['2024-12-13', '2026-07-30']);
    expect(specialty('G15_60/SI06')?.editions).toEqual(['2026-07-30']);
    const dropped = lookupConcept('authorSpecialty', '1.2.250.1.213.1.6.1.107', '369')!;
    expect(dropped.editions).toEqual(['2024-12-13']);
    expect(isCurrent('authorSpecialty', dropped)).toBe(false);
    expect(isCurrent('authorSpecialty', specialty('G15_10/SM26')!)).toBe(true);
  });

  it('refuses a code under the wrong system, an unknown code, and an unknown system', () => {
    expect(lookupConcept('type', 'http://loinc.org', 'PROT_ALD')).toBeUndefined();
    expect(lookupConcept('type', TRE_A05, '99999-9')).toBeUndefined();
    expect(lookupConcept('type', 'http://example.org/types', '11488-4')).toBeUndefined();
    // Without a system, an unambiguous code is enough.
    expect(lookupConcept('type', undefined, '11488-4')?.system).toBe('http://loinc.org');
  });

  it('maps spellings to the canonical system and back to the OID, leaving unknown systems alone', () => {
    expect(canonicalSystem('urn:oid:1.2.250.1.213.1.1.4.12')).toBe(TRE_A05);
    expect(canonicalSystem('ASTM')).toBe(
      'https://mos.esante.gouv.fr/NOS/TRE_A12-NomenclatureASTM/FHIR/TRE-A12-NomenclatureASTM',
    );
    expect(canonicalSystem('http://example.org/x')).toBe('http://example.org/x');
    expect(systemOid(TRE_A05)).toBe('1.2.250.1.213.1.1.4.12');
    expect(systemOid('http://loinc.org')).toBe('2.16.840.1.113883.6.1');
  });

  it('gives every J07 type a J06 class: the ANS correspondence first, Carnet’s documented default otherwise', () => {
    for (const concept of valueSetConcepts('type')) {
      const typeClass = classOfType(concept.system, concept.code);
      expect(typeClass, concept.code).toBeDefined();
      expect(
        lookupConcept('class', typeClass!.classSystem, typeClass!.classCode),
        concept.code,
      ).toBeDefined();
    }
    expect(classOfType('http://loinc.org', '18761-7')).toMatchObject({ classCode: '11', basis: 'ASS_X04' });
    expect(classOfType('http://loinc.org', '55751-2')).toMatchObject({ classCode: '52', basis: 'carnet' });
    const defaults = JSON.parse(
      readFileSync(new URL('./type-class-defaults.json', import.meta.url), 'utf8'),
    ) as { classes: Record<string, unknown> };
    // Our defaults only fill gaps: none overrides an ANS row.
    for (const code of Object.keys(defaults.classes)) {
      expect(classOfType('http://loinc.org', code)?.basis, code).toBe('carnet');
    }
  });

  it('lists as withdrawn the types ASS_X04 still maps but no J07 edition lists', () => {
    const withdrawn = withdrawnTypes().map((t) => t.code);
    expect(withdrawn).toEqual(expect.arrayContaining(['10213-7', '46241-6', 'DOCPAT10']));
    expect(withdrawn).not.toContain('11488-4');
    const current = lookupConcept('type', 'http://loinc.org', '11488-4')!;
    expect(isCurrent('type', current)).toBe(true);
  });
});
