import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Ins, InsOid } from '../identity/index.ts';
import { parseCda } from '../record/cda/index.ts';
import { CDA_EXAMPLES } from '../record/content/test-files.ts';
import { buildVsmCda, uuidOid, type VsmCdaInput } from './cda-builder.ts';
import {
  emptyVsmContent,
  mapVsmSections,
  normalizeVsmContent,
  parseVsmContent,
  vsmSectionKeys,
  type VsmContent,
} from './model.ts';
import { readVsmContent } from './reader.ts';

const SCHEMA = path.join(CDA_EXAMPLES, 'xsd', 'CDA_extended.xsd');
const workDir = mkdtempSync(path.join(tmpdir(), 'carnet-vsm-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Runs Debian's xmllint against the CDA schema; returns its verdict per file (throws only if xmllint is missing). */
function schemaErrors(xmls: readonly string[]): string[] {
  const files = xmls.map((xml, i) => {
    const file = path.join(workDir, `vsm-${i}.xml`);
    writeFileSync(file, xml);
    return file;
  });
  try {
    execFileSync('xmllint', ['--noout', '--schema', SCHEMA, ...files], { stdio: 'pipe' });
    return [];
  } catch (error) {
    const failure = error as { code?: string; stderr?: Buffer };
    if (failure.code === 'ENOENT')
      throw new Error('xmllint is missing (Debian package libxml2-utils)', { cause: error });
    return String(failure.stderr)
      .split('\n')
      .filter((line) => /error|fails to validate/.test(line) && !/Skipping import/.test(line));
  }
}

const dominique = {
  ins: '279035121518989' as Ins,
  insOid: '1.2.250.1.213.1.4.10' as InsOid,
  birthName: 'PAT-TROIS',
  usedName: 'NESSI',
  firstNames: 'DOMINIQUE MARIE-LOUISE',
  birthDate: '1979-03-28',
  sex: 'female' as const,
  birthPlaceInsee: '51215',
};
const martin = {
  nationalId: '810001000115',
  givenName: 'Claire',
  familyName: 'Martin',
  specialtyCode: 'SM26' as const,
  structure: { nationalId: '312345678900011', name: 'Cabinet médical des Lilas' },
};

const sample: VsmContent = {
  ...emptyVsmContent(),
  activeProblems: { items: ['Diabète de type 2 (depuis 2015)', 'HTA'], note: '' },
  allergies: { items: ['Pénicilline : urticaire <grave> & "œdème"'], note: '' },
  familyHistory: { items: ['Mère : cancer du sein à 52 ans'], note: '' },
  vitalSigns: { items: ['Poids : 82 kg (01/03/2026)', 'Pression artérielle : 135/85 mmHg'], note: '' },
  treatments: { items: ['Metformine 1000 mg – 1 cp matin et soir'], note: 'Observance correcte.' },
  therapeuticProject: {
    items: [],
    note: 'HbA1c tous les 3 mois.\nFond d’œil annuel ; consultation podologue.',
  },
};

const input = (content: VsmContent, extra: Partial<VsmCdaInput> = {}): VsmCdaInput => ({
  documentOid: uuidOid(),
  setId: { root: uuidOid(), extension: undefined },
  versionNumber: 1,
  replaces: undefined,
  effectiveTime: new Date('2026-03-12T10:17:00Z'),
  patient: dominique,
  author: martin,
  content,
  ...extra,
});

const parsed = (xml: string) => {
  const document = parseCda(xml);
  if (document instanceof Error) throw document;
  return document;
};

describe('VSM CDA generation', () => {
  it('validates against CDA_extended.xsd: a first version, a replacement, a minimal one', () => {
    const replacement = input(sample, {
      versionNumber: 2,
      replaces: { root: uuidOid(), extension: undefined },
      author: { ...martin, specialtyCode: undefined, structure: undefined },
      patient: { ...dominique, usedName: undefined, birthPlaceInsee: undefined, sex: 'male' },
    });
    const minimal = input({ ...emptyVsmContent(), vigilance: { items: ['Anticoagulé'], note: '' } });
    expect(
      schemaErrors([buildVsmCda(input(sample)), buildVsmCda(replacement), buildVsmCda(minimal)]),
    ).toEqual([]);
  });

  it('carries the INS, the author’s RPPS-based id, the LOINC type and the version set in its header', () => {
    const setId = { root: uuidOid(), extension: undefined };
    const replaces = { root: uuidOid(), extension: undefined };
    const xml = buildVsmCda(input(sample, { setId, versionNumber: 3, replaces }));
    const { header } = parsed(xml);
    expect(header.type).toMatchObject({ code: '60591-5', system: '2.16.840.1.113883.6.1' });
    expect(header.patient).toMatchObject({
      ins: '279035121518989',
      insOid: '1.2.250.1.213.1.4.10',
      family: 'NESSI',
      given: 'DOMINIQUE',
      birthDate: '1979-03-28',
      sex: 'F',
    });
    expect(header.authors[0]).toMatchObject({
      nationalId: '810001000115',
      name: 'Claire Martin',
      profession: { code: 'G15_10/SM26' },
      organizationName: 'Cabinet médical des Lilas',
    });
    expect(header.custodianName).toBe('Cabinet médical des Lilas');
    expect(header.setId).toBe(`urn:oid:${setId.root}`);
    expect(header.versionNumber).toBe(3);
    expect(header.effectiveTime).toBe('2026-03-12T10:17:00+00:00');
    expect(xml).toContain(`<relatedDocument typeCode="RPLC"><parentDocument><id root="${replaces.root}"/>`);
    expect(xml).toContain('<legalAuthenticator>');
    expect(xml).toContain('<templateId root="1.2.250.1.213.1.1.1.13" extension="201310"/>');
  });

  it('reads back every section, free text included', () => {
    expect(readVsmContent(parseCda(buildVsmCda(input(sample))))).toEqual(normalizeVsmContent(sample));
  });

  it('shows the patient every section title, empty ones left out except the ANS model’s required ones', () => {
    const titles = (xml: string) =>
      parsed(xml).sections.map((s) => [s.title, s.sections.map((c) => c.title)]);
    expect(titles(buildVsmCda(input(sample)))).toEqual([
      [
        'Pathologies en cours, antécédents, allergies et facteurs de risque',
        ['Pathologies en cours, antécédents et allergies', 'Facteurs de risque'],
      ],
      ['Principales constantes', []],
      ['Points de vigilance', []],
      ['Traitement au long cours et projet thérapeutique', ['Traitements au long cours']],
    ]);
  });
});

/** Text a doctor may type: XML specials, accents, emoji, blanks of every kind, and characters XML refuses. */
const line = fc.string({
  unit: fc.oneof(
    fc.constantFrom('<', '>', '&', '"', "'", ']]>', '&amp;', ' ', '\t', '\n', '\r', '\u00a0', 'é', 'œ', '😀'),
    fc.constantFrom('\u0000', '\u0008', '\uFFFE', '\uD800', '\u2028', '\u202F', '\u3000'),
    fc.string({ unit: 'grapheme', maxLength: 3 }),
  ),
  maxLength: 40,
});
const section = fc.record({ items: fc.array(line, { maxLength: 4 }), note: line });
const content: fc.Arbitrary<VsmContent> = fc
  .tuple(...vsmSectionKeys.map(() => section))
  .map((sections) => mapVsmSections((key) => sections[vsmSectionKeys.indexOf(key)]!));

describe('VSM round trip (property)', () => {
  it('parsing what was generated gives back every section, normalised', () => {
    fc.assert(
      fc.property(content, (c) => {
        const xml = buildVsmCda(input(c));
        expect(readVsmContent(parseCda(xml))).toEqual(normalizeVsmContent(c));
      }),
      { numRuns: 300 },
    );
  });

  it('normalising is what the API does to what the doctor sent, and is stable', () => {
    fc.assert(
      fc.property(content, (c) => {
        const once = parseVsmContent({ sections: c });
        expect(once).toEqual(normalizeVsmContent(c));
        expect(normalizeVsmContent(once)).toEqual(once);
      }),
    );
  });

  it('every generated document stays schema-valid, whatever the text', () => {
    const samples = fc.sample(content, { numRuns: 25, seed: 20260312 });
    expect(schemaErrors(samples.map((c) => buildVsmCda(input(c))))).toEqual([]);
  });
});

describe('the ANS example VSM_1.4_2022.01.xml', () => {
  const ans = readVsmContent(parseCda(readFileSync(path.join(CDA_EXAMPLES, 'VSM_1.4_2022.01.xml'), 'utf8')));

  it('is read section by section: problems, history, allergies, risks, family, vigilance, treatments', () => {
    expect(ans.activeProblems.items).toEqual([
      '11/08/2019 | Accident ischémique cérébral transitoire',
      '11/08/2019 | Angine de poitrine instable',
    ]);
    expect(ans.personalHistory.items).toContain('14/01/2018 | Infarctus transmural inférieur');
    expect(ans.medicalHistory.items[0]).toMatch(/Dilatation intraluminale de deux vaisseaux coronaires/);
    expect(ans.allergies.items).toEqual([
      '03/06/2018 | Allergie médicamenteuse | Paracétamol | Intermittent',
    ]);
    expect(ans.riskFactors.items).toContain('Consommation tabagique | 25 {pack}/a');
    expect(ans.occupationalRisks.items[0]).toMatch(/amiante/);
    expect(ans.familyHistory.items).toEqual(['Mère | Anémie drépanocytaire']);
    expect(ans.vigilance.items).toHaveLength(3);
    expect(ans.treatments.items.map((t) => t.split(' | ')[2])).toEqual([
      'PLAVIX 75mg, comprimé pelliculé',
      'COUMADINE 5mg, comprimé sécable',
    ]);
    expect(ans.vitalSigns).toEqual({ items: [], note: '' });
    expect(ans.therapeuticProject).toEqual({ items: [], note: '' });
  });

  it('is itself schema-valid, and what Carnet regenerates from it too', () => {
    expect(schemaErrors([buildVsmCda(input(ans))])).toEqual([]);
    expect(readVsmContent(parseCda(buildVsmCda(input(ans))))).toEqual(ans);
  });

  it('refuses a CDA that is not a VSM, and text that is not a CDA', () => {
    const letter = readFileSync(path.join(CDA_EXAMPLES, 'LDL-SES_2022.01.xml'), 'utf8');
    expect(() => readVsmContent(parseCda(letter))).toThrow(/n’est pas un volet de synthèse/);
    expect(() => readVsmContent(parseCda('<note/>'))).toThrow(/CDA/);
  });
});
