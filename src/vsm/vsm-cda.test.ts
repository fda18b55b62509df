import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Ins, InsOid } from '../identity/index.ts';
import { demoVsms } from '../demo/index.ts';
import { parseCda } from '../record/index.ts';
import { CDA_EXAMPLES } from '../record/content/test-files.ts';
import { ansCdaCheck, schematronsFor } from '../shared/testing/ans-cda-check.ts';
import { buildVsmCda, type VsmCdaInput } from './cda-builder.ts';
import { uuidOid } from './cda-parts.ts';
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

/** Every section, coded items and text-only ones, every item field, XML specials in the text. */
const sample: VsmContent = {
  activeProblems: {
    items: [
      {
        text: 'Diabète de type 2',
        code: { system: 'CIM-10', code: 'E11.9', display: 'Diabète sucré de type 2, sans complication' },
        start: '2015',
      },
      { text: 'HTA <modérée> & "labile"' },
    ],
    note: 'Suivi trimestriel.',
  },
  personalHistory: {
    items: [
      {
        text: 'Pyélonéphrite aiguë',
        code: { system: 'CIM-10', code: 'N10', display: 'Néphrite tubulo-interstitielle aiguë' },
        start: '2018-04-22',
        end: '2018-04-30',
      },
      { text: 'Fracture du poignet en 2001' },
    ],
    note: '',
  },
  medicalHistory: {
    items: [
      {
        text: 'Angioplastie coronaire',
        code: {
          system: 'CCAM',
          code: 'DDAF004',
          display: 'Dilatation intraluminale de 2 vaisseaux coronaires',
        },
        start: '2018-01-14',
      },
      { text: 'Appendicectomie dans l’enfance' },
    ],
    note: '',
  },
  allergies: {
    items: [
      {
        text: 'Pénicilline',
        code: { system: 'ATC', code: 'J01CE01', display: 'benzylpénicilline' },
        reaction: 'urticaire géante',
        severity: 'severe',
        start: '2010',
      },
      { text: 'Paracétamol', code: { system: 'CIS', code: '60234100', display: 'PARACETAMOL' } },
      {
        text: 'Graminées',
        code: { system: 'SNOMED CT', code: '418689008', display: 'allergie aux pollens de graminées' },
        severity: 'mild',
      },
      { text: 'Latex' },
    ],
    note: '',
  },
  riskFactors: {
    items: [
      {
        text: 'Tabac : 20 paquets-années',
        code: { system: 'LOINC', code: '74011-8', display: 'Consommation tabagique' },
        value: { quantity: 20, unit: '{pack}/a' },
        start: '2026-01',
      },
      {
        text: 'Alcool : occasionnel',
        code: { system: 'LOINC', code: '74013-4', display: 'Consommation d’alcool' },
        value: { text: 'occasionnel' },
      },
      { text: 'Sédentarité' },
    ],
    note: '',
  },
  occupationalRisks: { items: [{ text: 'Travail de nuit' }], note: 'Poste de soudeur jusqu’en 2010.' },
  familyHistory: {
    items: [
      {
        text: 'Mère : cancer du sein à 52 ans',
        code: { system: 'CIM-10', code: 'C50.9', display: 'Tumeur maligne du sein, sans précision' },
        relative: 'mother',
      },
      { text: 'Oncle diabétique', relative: 'uncle' },
      { text: 'Mort subite dans la famille' },
    ],
    note: '',
  },
  vitalSigns: {
    items: [
      {
        text: 'Poids : 82 kg',
        code: { system: 'LOINC', code: '29463-7', display: 'Poids' },
        value: { quantity: 82, unit: 'kg' },
        start: '2026-03-01',
      },
      {
        text: 'HbA1c : 6,8 %',
        code: { system: 'LOINC', code: '4548-4', display: 'Hémoglobine A1c' },
        value: { quantity: 6.8, unit: '%' },
        start: '2026-02-10',
      },
      { text: 'Pression artérielle variable', value: { text: 'entre 130/80 et 150/95' } },
    ],
    note: '',
  },
  vigilance: { items: [{ text: 'Anticoagulé' }], note: 'Groupe O+' },
  treatments: {
    items: [
      {
        text: 'Metformine 1000 mg',
        code: { system: 'ATC', code: 'A10BA02', display: 'metformine' },
        route: { system: 'EDQM', code: '20053000', display: 'Voie orale' },
        dosage: '1 cp matin et soir',
        start: '2015-06',
      },
      {
        text: 'Plavix 75 mg',
        code: { system: 'ATC', code: 'B01AC04', display: 'clopidogrel' },
        product: { system: 'CIS', code: '63564053', display: 'PLAVIX 75 mg, comprimé pelliculé' },
        start: '2019-08-11',
        end: '2026-08-11',
      },
      { text: 'Homéopathie' },
    ],
    note: 'Observance correcte.',
  },
  therapeuticProject: {
    items: [{ text: 'HbA1c tous les 3 mois' }],
    note: 'Fond d’œil annuel ; consultation podologue.\nRéévaluer l’anticoagulation dans 6 mois.',
  },
};

/** What an old client sends: lines of text only. */
const textOnly = parseVsmContent({
  sections: {
    activeProblems: { items: ['Diabète de type 2 (depuis 2015)', 'HTA'], note: '' },
    allergies: { items: ['Pénicilline : urticaire <grave> & "œdème"'], note: '' },
    vitalSigns: { items: ['Poids : 82 kg (01/03/2026)'], note: '' },
    treatments: { items: ['Metformine 1000 mg – 1 cp matin et soir'], note: 'Observance correcte.' },
    therapeuticProject: { items: [], note: 'HbA1c tous les 3 mois.' },
  },
});

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
    const minimal = input({
      ...emptyVsmContent(),
      vigilance: { items: [{ text: 'Anticoagulé' }], note: '' },
    });
    const documents = [sample, textOnly, emptyVsmContent(), ...demoVsms.map((d) => d.content)];
    expect(
      schemaErrors([
        ...documents.map((c) => buildVsmCda(input(c))),
        buildVsmCda(replacement),
        buildVsmCda(minimal),
      ]),
    ).toEqual([]);
  });

  it('carries the INS, the author’s RPPS-based id, the SYNTH type and the version set in its header', () => {
    const setId = { root: uuidOid(), extension: undefined };
    const replaces = { root: uuidOid(), extension: undefined };
    const xml = buildVsmCda(input(sample, { setId, versionNumber: 3, replaces }));
    const { header } = parsed(xml);
    expect(header.type).toMatchObject({ code: 'SYNTH', system: '1.2.250.1.213.1.1.4.12' });
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

  it('reads back every section exactly, coded items with all their fields, text-only ones, free text', () => {
    expect(readVsmContent(buildVsmCda(input(sample)))).toEqual(sample);
    expect(readVsmContent(buildVsmCda(input(textOnly)))).toEqual(textOnly);
    expect(readVsmContent(buildVsmCda(input(emptyVsmContent())))).toEqual(emptyVsmContent());
    for (const { content } of demoVsms) expect(readVsmContent(buildVsmCda(input(content)))).toEqual(content);
  });

  it('codes each item in an entry pointing to its words, and says "no information" for an empty section', () => {
    const xml = buildVsmCda(input(sample));
    expect(xml).toContain('<content ID="activeProblems-1">Diabète de type 2</content>');
    expect(xml).toMatch(
      /<value xsi:type="CD" code="E11.9" displayName="[^"]+" codeSystem="2.16.840.1.113883.6.3" codeSystemName="CIM10"><originalText><reference value="#activeProblems-1"\/>/,
    );
    expect(xml).toContain(
      '<routeCode code="20053000" displayName="Voie orale" codeSystem="0.4.0.127.0.16.1.1.2.1"',
    );
    expect(xml).toContain('<value xsi:type="PQ" value="82" unit="kg"/>');
    const empty = buildVsmCda(input(emptyVsmContent()));
    expect(empty).toContain('code="no-allergy-info"');
    expect(empty).toContain('code="no-medication-info"');
    expect(parsed(empty).sections[0]!.sections[0]!.sections.map((s) => s.text)).toEqual([
      'Pas d’information sur les problèmes',
      'Pas d’information sur les problèmes',
      'Pas d’information sur les actes et interventions',
      'Pas d’information sur les allergies/hypersensibilités',
    ]);
  });

  it('shows the patient every section title; the therapeutic project under its own title, after the treatments', () => {
    const titles = (xml: string) =>
      parsed(xml).sections.map((s) => [s.title, s.text, s.sections.map((c) => c.title)]);
    expect(titles(buildVsmCda(input(sample)))).toEqual([
      [
        'Pathologies en cours, antécédents, allergies et facteurs de risque',
        '',
        ['Pathologies en cours, antécédents et allergies', 'Facteurs de risque'],
      ],
      ['Principales constantes', expect.stringContaining('Poids'), []],
      ['Points de vigilance', expect.stringContaining('Anticoagulé'), []],
      [
        'Traitement au long cours et projet thérapeutique',
        '',
        ['Traitements au long cours', 'Projet thérapeutique'],
      ],
    ]);
    const plan = parsed(buildVsmCda(input(sample))).sections[3]!;
    expect(plan.sections[1]!.text).toBe(
      '• HbA1c tous les 3 mois\n\nFond d’œil annuel ; consultation podologue.\n\nRéévaluer l’anticoagulation dans 6 mois.',
    );
    // Without a project, no empty heading; without constants, no section.
    expect(titles(buildVsmCda(input(emptyVsmContent()))).slice(1)).toEqual([
      ['Points de vigilance', 'Non renseigné', []],
      ['Traitement au long cours et projet thérapeutique', '', ['Traitements au long cours']],
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
const section = fc.record({
  items: fc.array(
    line.map((text) => ({ text })),
    { maxLength: 4 },
  ),
  note: line,
});
const content: fc.Arbitrary<VsmContent> = fc
  .tuple(...vsmSectionKeys.map(() => section))
  .map((sections) => mapVsmSections((key) => sections[vsmSectionKeys.indexOf(key)]!));

describe('VSM round trip (property)', () => {
  it('parsing what was generated gives back every section, normalised', () => {
    fc.assert(
      fc.property(content, (c) => {
        const xml = buildVsmCda(input(c));
        expect(readVsmContent(xml)).toEqual(normalizeVsmContent(c));
      }),
      { numRuns: 200 },
    );
  });

  it('coded items keep every field, whatever the text of their labels, reaction, dosage or value', () => {
    fc.assert(
      fc.property(line, line, line, (a, b, c) => {
        const [problem, ...problems] = sample.activeProblems.items;
        const [allergy, ...allergies] = sample.allergies.items;
        const [treatment, ...treatments] = sample.treatments.items;
        const coded: VsmContent = {
          ...sample,
          activeProblems: {
            ...sample.activeProblems,
            items: [{ ...problem!, text: `${a}x`, code: { ...problem!.code!, display: b } }, ...problems],
          },
          allergies: { ...sample.allergies, items: [{ ...allergy!, reaction: c }, ...allergies] },
          treatments: {
            ...sample.treatments,
            items: [{ ...treatment!, dosage: a, route: { ...treatment!.route!, display: c } }, ...treatments],
          },
          riskFactors: {
            ...sample.riskFactors,
            items: sample.riskFactors.items.map((i) =>
              i.value && 'text' in i.value ? { ...i, value: { text: b } } : i,
            ),
          },
        };
        expect(readVsmContent(buildVsmCda(input(coded)))).toEqual(normalizeVsmContent(coded));
      }),
      { numRuns: 100 },
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
  const example = readFileSync(path.join(CDA_EXAMPLES, 'VSM_1.4_2022.01.xml'), 'utf8');
  const ans = readVsmContent(example);

  it('is read into coded items: each table row, completed by the entry that points into it', () => {
    expect(ans.activeProblems.items).toEqual([
      {
        text: '11/08/2019 | Accident ischémique cérébral transitoire',
        code: {
          system: 'CIM-10',
          code: 'G45.9',
          display: 'Accident ischémique cérébral transitoire, sans précision',
        },
        start: '2019-08-11',
      },
      {
        text: '11/08/2019 | Angine de poitrine instable',
        code: { system: 'CIM-10', code: 'I20.0', display: 'Angine de poitrine instable' },
        start: '2019-08-11',
      },
    ]);
    expect(ans.personalHistory.items[1]).toMatchObject({
      text: '14/01/2018 | Infarctus transmural inférieur',
      code: { system: 'CIM-10', code: 'I21.1' },
      start: '2018-01-14',
      end: '2018-01-25',
    });
    expect(ans.medicalHistory.items[0]).toMatchObject({
      text: expect.stringMatching(/Dilatation intraluminale de deux vaisseaux coronaires/),
      code: { system: 'CCAM', code: 'DDAF004' },
      start: '2018-01-14',
    });
    expect(ans.allergies.items).toEqual([
      {
        text: '03/06/2018 | Allergie médicamenteuse | Paracétamol | Intermittent',
        code: { system: 'CIS', code: '60234100', display: 'PARACETAMOL' },
        start: '2018-06-03',
      },
    ]);
    expect(ans.riskFactors.items[0]).toEqual({
      text: 'Consommation tabagique | 25 {pack}/a',
      code: { system: 'LOINC', code: '74011-8', display: 'Consommation tabagique' },
      value: { quantity: 25, unit: '{pack}/a' },
    });
    expect(ans.occupationalRisks.items[0]!.text).toMatch(/amiante/);
    expect(ans.familyHistory.items).toEqual([
      {
        text: 'Mère | Anémie drépanocytaire',
        relative: 'mother',
        code: { system: 'CIM-10', code: 'D57.1', display: 'Anémie à hématies falciformes sans crises' },
      },
    ]);
    expect(ans.vigilance.items).toHaveLength(3);
    expect(ans.treatments.items.map((t) => [t.product?.code, t.route?.code, t.start])).toEqual([
      ['63564053', '20053000', '2019-08-11'],
      ['63245753', '20053000', '2019-08-11'],
    ]);
    expect(ans.vitalSigns).toEqual({ items: [], note: '' });
    expect(ans.therapeuticProject).toEqual({ items: [], note: '' });
  });

  it('is itself schema-valid, and what Carnet regenerates from it too', () => {
    expect(schemaErrors([buildVsmCda(input(ans))])).toEqual([]);
    expect(readVsmContent(buildVsmCda(input(ans)))).toEqual(ans);
  });

  it('refuses a CDA that is not a VSM, and text that is not a CDA', () => {
    const letter = readFileSync(path.join(CDA_EXAMPLES, 'LDL-SES_2022.01.xml'), 'utf8');
    expect(() => readVsmContent(letter)).toThrow(/n’est pas un volet de synthèse/);
    expect(() => readVsmContent('<note/>')).toThrow(/CDA/);
  });
});

describe('a VSM of Carnet’s previous generator (LOINC 60591-5, narrative only)', () => {
  const old = `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3"><realmCode code="FR"/><typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
<id root="2.25.1234"/><code code="60591-5" displayName="Synthèse médicale" codeSystem="2.16.840.1.113883.6.1"/>
<title>Volet de synthèse médicale</title><effectiveTime value="20260312101700+0000"/><setId root="2.25.99"/><versionNumber value="1"/>
<component><structuredBody>
<component><section><code code="46612-8" codeSystem="2.16.840.1.113883.6.1"/><title>Pathologies…</title>
<component><section><code code="34117-2" codeSystem="2.16.840.1.113883.6.1"/>
<component><section><code code="11450-4" codeSystem="2.16.840.1.113883.6.1"/><title>Pathologies en cours</title>
<text><list><item>Diabète de type 2 (depuis 2015)</item><item>HTA</item></list><paragraph>Suivi</paragraph></text></section></component>
</section></component></section></component>
<component><section><code code="18776-5" codeSystem="2.16.840.1.113883.6.1"/><title>Traitement au long cours et projet thérapeutique</title>
<text><paragraph>HbA1c tous les 3 mois.</paragraph></text>
<component><section><code code="10160-0" codeSystem="2.16.840.1.113883.6.1"/><title>Traitements au long cours</title>
<text><list><item>Metformine 1000 mg</item></list></text></section></component></section></component>
</structuredBody></component></ClinicalDocument>`;

  it('is read as text-only items, the plan’s text as the therapeutic project', () => {
    expect(readVsmContent(old)).toEqual({
      ...emptyVsmContent(),
      activeProblems: {
        items: [{ text: 'Diabète de type 2 (depuis 2015)' }, { text: 'HTA' }],
        note: 'Suivi',
      },
      treatments: { items: [{ text: 'Metformine 1000 mg' }], note: '' },
      therapeuticProject: { items: [], note: 'HbA1c tous les 3 mois.' },
    });
  });
});

describe('the ANS conformance schematrons (CI-SIS_VSM_2023.01, IHE, CI-SIS_Modeles_ANS, CI-SIS_ModelesDeContenusCDA)', () => {
  it('find no failed assertion in a full, an empty, a text-only VSM, the demo ones and one regenerated from the ANS example; a removed entry or section fails', async () => {
    const full = buildVsmCda(input(sample));
    const documents: Record<string, string> = {
      full,
      empty: buildVsmCda(input(emptyVsmContent())),
      textOnly: buildVsmCda(input(textOnly)),
      fromAnsExample: buildVsmCda(
        input(readVsmContent(readFileSync(path.join(CDA_EXAMPLES, 'VSM_1.4_2022.01.xml'), 'utf8'))),
      ),
      ...Object.fromEntries(demoVsms.map((d) => [`demo ${d.ins}`, buildVsmCda(input(d.content))])),
      // Mutations: the allergies section without its entries; the "Facteurs de risque" section removed.
      noAllergyEntry: full.replace(
        /(<section><templateId root="2.16.840.1.113883.10.20.1.2"\/>(?:(?!<\/section>).)*?<\/text>)(?:<entry>.*?<\/entry>)+(?=<\/section>)/s,
        '$1',
      ),
      noRiskFactors: full.replace(
        /<component><section><templateId root="1.2.250.1.213.1.1.2.31"\/>.*?(?=<\/section><\/component><\/section><\/component><component><section><templateId root="2.16.840.1.113883.10.20.1.16")<\/section><\/component>/s,
        '',
      ),
    };
    expect(documents.noAllergyEntry).not.toBe(full);
    expect(documents.noRiskFactors).not.toBe(full);
    // Beyond the volet's schematron and the IHE and ANS profiles, the ANS's content-model profile, which the
    // official examples also pass.
    const failures = await ansCdaCheck(documents, [
      ...schematronsFor('CI-SIS_VSM_2023.01'),
      'profils/CI-SIS_ModelesDeContenusCDA',
    ]);
    const { noAllergyEntry, noRiskFactors, ...conforming } = failures;
    expect(conforming).toEqual(Object.fromEntries(Object.keys(conforming).map((name) => [name, []])));
    expect(noAllergyEntry!.map((f) => f.text).join('\n')).toMatch(/allerg/i);
    expect(noRiskFactors!.map((f) => f.text).join('\n')).toMatch(/1\.2\.250\.1\.213\.1\.1\.2\.31/);
  }, 120_000);
});
