import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CDA_EXAMPLES } from '../content/test-files.ts';
import { MAX_ENTRY_DEPTH } from './entries.ts';
import { CdaError, parseCda } from './parse.ts';
import type { CdaEntry, CdaSection } from './types.ts';

function sections(file: string): CdaSection[] {
  const result = parseCda(readFileSync(path.join(CDA_EXAMPLES, file), 'utf8'));
  if (result instanceof CdaError) throw new Error(`${file}: ${result.code}`);
  const flatten = (list: readonly CdaSection[]): CdaSection[] =>
    list.flatMap((s) => [s, ...flatten(s.sections)]);
  return flatten(result.sections);
}

/** The entries of the sections of a code (the BIO report nests a section under one of the same code). */
const entriesOf = (file: string, sectionCode: string): readonly CdaEntry[] =>
  sections(file)
    .filter((s) => s.code?.code === sectionCode)
    .flatMap((s) => s.entries);

/** Every entry of a tree, depth first. */
const everyEntry = (entries: readonly CdaEntry[]): CdaEntry[] =>
  entries.flatMap((e) => [e, ...everyEntry(e.entries)]);

describe('coded entries of the official ANS examples', () => {
  it.each([
    ['VSM_1.4_2022.01.xml', 12],
    ['LDL-SES_2022.01.xml', 19],
    ['VAC-NOTE_2023.01.xml', 4],
    ['BIO-CR-BIO_2024.01_TSH_1.xml', 5],
    ['IPS-FR_2024.01.xml', 80],
  ])('%s: reads at least %i entries, each of a CDA class, with plain strings only', (file, atLeast) => {
    const all = everyEntry(sections(file).flatMap((s) => s.entries));
    expect(all.length).toBeGreaterThanOrEqual(atLeast);
    for (const entry of all) {
      expect([
        'observation',
        'act',
        'procedure',
        'substanceAdministration',
        'supply',
        'encounter',
        'organizer',
      ]).toContain(entry.kind);
    }
    expect(JSON.stringify(all)).not.toMatch(/<\/?[a-z]+[ >]/i);
  });

  it('VSM: the current problems with their CIM-10 codes, concern status and dates', () => {
    const [tia, angina] = entriesOf('VSM_1.4_2022.01.xml', '11450-4');
    expect(tia).toMatchObject({ kind: 'act', status: 'active', code: { nullFlavor: 'NA' } });
    expect(tia!.effective).toEqual({ at: undefined, low: '2019-08-11', high: undefined });
    expect(tia!.entries[0]).toMatchObject({
      kind: 'observation',
      relation: 'SUBJ',
      label: 'Accident ischémique cérébral transitoire',
      value: {
        kind: 'coded',
        coding: { code: 'G45.9', system: '2.16.840.1.113883.6.3', systemName: 'CIM-10' },
      },
    });
    expect(angina!.entries[0]!.value).toMatchObject({ coding: { code: 'I20.0', systemName: 'CIM-10' } });
  });

  it('VSM: the CCAM act DDAF004, dated, with its reason', () => {
    const [act] = entriesOf('VSM_1.4_2022.01.xml', '47519-4');
    expect(act).toMatchObject({
      kind: 'procedure',
      code: { code: 'DDAF004', systemName: 'CCAM' },
      effective: { at: '2018-01-14' },
    });
    expect(act!.label).toMatch(/^Dilatation intraluminale de deux vaisseaux coronaires/);
    expect(act!.entries[0]).toMatchObject({
      relation: 'RSON',
      code: { code: 'I21.1', systemName: 'CIM-10' },
    });
  });

  it('VSM: the PARACETAMOL allergy with its agent (CIS) and clinical status', () => {
    const allergy = entriesOf('VSM_1.4_2022.01.xml', '48765-2')[0]!.entries[0]!;
    expect(allergy).toMatchObject({
      label: 'Allergie médicamenteuse',
      code: { code: '416098002', systemName: 'SNOMED CT' },
      clinicalStatus: { code: 'inactive', display: 'Inactif' },
      effective: { low: '2018-06-03' },
    });
    expect(allergy.product?.codings[0]).toMatchObject({
      code: '60234100',
      systemName: 'CIS',
      display: 'PARACETAMOL',
    });
    // The status observation is read into clinicalStatus, not repeated as a nested entry.
    expect(allergy.entries).toEqual([]);
    // The value is only a reference to nothing: no coded value is made up.
    expect(allergy.value).toBeUndefined();
  });

  it('VSM: tobacco (LOINC 74011-8) with its quantity, and the mother’s family history', () => {
    const [tobacco, drugs] = entriesOf('VSM_1.4_2022.01.xml', '29762-2');
    expect(tobacco).toMatchObject({
      code: { code: '74011-8', systemName: 'LOINC' },
      label: 'Consommation tabagique',
      value: { kind: 'quantity', quantity: { value: '25', unit: '{pack}/a' } },
      effective: undefined,
    });
    expect(drugs!.value).toMatchObject({ kind: 'coded', coding: { display: 'Cannabis' } });
    const [family] = entriesOf('VSM_1.4_2022.01.xml', '10157-6');
    expect(family).toMatchObject({ kind: 'organizer', relative: { code: 'MTH', display: 'Mère' } });
    expect(family!.entries[0]).toMatchObject({
      relation: 'COMP',
      label: 'Anémie drépanocytaire',
      value: { coding: { code: 'D57.1', systemName: 'CIM-10' } },
    });
  });

  it('VSM: the PLAVIX treatment with its CIS and CIP codes, route (EDQM), dose, rhythm and reason', () => {
    const [plavix] = entriesOf('VSM_1.4_2022.01.xml', '10160-0');
    expect(plavix).toMatchObject({
      kind: 'substanceAdministration',
      label: 'PLAVIX 75mg, comprimé pelliculé',
      effective: { low: '2019-08-11', high: undefined },
      route: { code: '20053000', systemName: 'EDQM', display: 'Voie orale' },
      dose: { kind: 'range', low: { value: '2', unit: '{tablet}' } },
      frequency: '1 fois par jour',
    });
    expect(plavix!.product?.codings.map((c) => `${c.systemName} ${c.code}`)).toEqual([
      'CIS 63564053',
      'CIP 3400938022209',
    ]);
    expect(plavix!.entries[0]).toMatchObject({ relation: 'RSON', code: { code: 'I20.0' } });
  });

  it('LDL: the discharge treatment carries its ATC translation; devices their EMDN code', () => {
    const [leponex] = entriesOf('LDL-SES_2022.01.xml', '10183-2');
    expect(leponex!.product?.codings.map((c) => `${c.systemName} ${c.code}`)).toEqual([
      'CIS 62552920',
      'ATC N05AH02',
    ]);
    const [device] = entriesOf('LDL-SES_2022.01.xml', '46264-8');
    expect(device?.kind).toBe('supply');
    expect(device?.product?.codings[0]).toMatchObject({ code: 'J010104', systemName: 'EMDN' });
    const followUp = entriesOf('LDL-SES_2022.01.xml', '18776-5');
    expect(followUp.map((e) => e.kind)).toEqual(['procedure', 'observation', 'encounter']);
    // An encounter's place is not a product.
    expect(followUp[2]!.product).toBeUndefined();
  });

  it('VAC: the vaccine with its CIS, ATC and lot, the date, the rank and the reaction', () => {
    const [vaccination] = entriesOf('VAC-NOTE_2023.01.xml', '11369-6');
    expect(vaccination).toMatchObject({
      kind: 'substanceAdministration',
      effective: { at: '2009-09-28' },
      route: { display: 'Voie intramusculaire', systemName: 'EDQM' },
      product: { lot: '4456672' },
    });
    expect(vaccination!.product?.codings.map((c) => `${c.systemName} ${c.code}`)).toEqual([
      'CIS 68747507',
      'ATC J07AM',
      'CIP 3400932857241',
    ]);
    expect(vaccination!.entries.map((e) => e.relation)).toEqual(['SUBJ', 'CAUS', 'SUBJ']);
    expect(vaccination!.entries[0]!.value).toEqual({
      kind: 'quantity',
      quantity: { value: '2', unit: undefined },
    });
    expect(vaccination!.entries[1]!.value).toMatchObject({ coding: { code: 'R50.2', systemName: 'CIM-10' } });
  });

  it('BIO: the TSH result with its value, unit, interpretation and reference range', () => {
    const [battery] = entriesOf('BIO-CR-BIO_2024.01_TSH_1.xml', '18719-5');
    expect(battery).toMatchObject({ kind: 'act', code: { code: '18719-5', systemName: 'LOINC' } });
    expect(battery!.entries[0]).toMatchObject({
      label: 'Thyréostimuline (TSH)',
      code: { code: '3016-3', systemName: 'LOINC' },
      effective: { at: '2014-04-02T14:55:21+02:00' },
      value: { kind: 'quantity', quantity: { value: '1.950', unit: 'm[IU]/L' } },
      interpretation: { code: 'N', display: 'Normal' },
      referenceRange: { kind: 'range', low: { value: '0.270' }, high: { value: '4.200' } },
    });
  });

  it('IPS: clinical statuses, ATC vaccines, booleans of advance directives, a partial-free date value', () => {
    const [problem] = entriesOf('IPS-FR_2024.01.xml', '11450-4');
    expect(problem!.entries[0]).toMatchObject({
      clinicalStatus: { code: 'active', display: 'Actif' },
      value: { coding: { code: 'E06.3', systemName: 'CIM-10' } },
    });
    const vaccines = everyEntry(entriesOf('IPS-FR_2024.01.xml', '18776-5'));
    expect(
      vaccines.some((e) => e.product?.codings.some((c) => c.systemName === 'ATC' && c.code === 'J07AN')),
    ).toBe(true);
    const directives = entriesOf('IPS-FR_2024.01.xml', '42348-3');
    expect(directives.find((d) => d.code?.code === 'MED-295')?.value).toEqual({
      kind: 'boolean',
      value: true,
    });
    const pregnancy = entriesOf('IPS-FR_2024.01.xml', '10162-6');
    expect(pregnancy.find((p) => p.code?.code === '11778-8')?.value).toEqual({
      kind: 'time',
      period: { at: '2024-09-03', low: undefined, high: undefined },
    });
  });
});

describe('coded entries of hand-made sections', () => {
  const cda = (section: string) =>
    `<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<id root="1.2.3"/><code code="11488-4" codeSystem="2.16.840.1.113883.6.1"/>` +
    `<component><structuredBody><component><section>${section}</section></component></structuredBody></component>` +
    `</ClinicalDocument>`;
  const entries = (section: string) => {
    const result = parseCda(cda(section));
    if (result instanceof CdaError) throw result;
    return result.sections[0]!.entries;
  };

  it('keeps partial dates partial and says when a code is missing', () => {
    const [entry] = entries(
      `<entry><observation classCode="OBS" moodCode="EVN" negationInd="true"><code nullFlavor="UNK"/>` +
        `<effectiveTime><low value="2019"/><high value="202003"/></effectiveTime>` +
        `<value xsi:type="ST">Aucune allergie &lt;b&gt;connue&lt;/b&gt;</value></observation></entry>`,
    );
    expect(entry).toMatchObject({
      negated: true,
      code: { code: undefined, nullFlavor: 'UNK' },
      effective: { low: '2019', high: '2020-03' },
      value: { kind: 'text', text: 'Aucune allergie <b>connue</b>' },
    });
  });

  it('labels an entry with the narrative its text references, else its code', () => {
    const list = entries(
      `<text><paragraph ID="p1">Hypertension <content>artérielle</content></paragraph></text>` +
        `<entry><observation><code code="X" displayName="Code seul"/><text><reference value="#p1"/></text></observation></entry>` +
        `<entry><observation><code code="Y" displayName="Code seul"/><text><reference value="#absent"/></text></observation></entry>`,
    );
    expect(list.map((e) => e.label)).toEqual(['Hypertension artérielle', 'Code seul']);
  });

  it('reads nested statements down to a bounded depth, and skips embedded files', () => {
    const depth = MAX_ENTRY_DEPTH + 4;
    const nested =
      '<entryRelationship typeCode="COMP"><act><code code="A"/>'.repeat(depth) +
      '</act></entryRelationship>'.repeat(depth);
    const list = entries(
      `<entry><act><code code="A"/>${nested}</act></entry>` +
        `<entry><observationMedia><value mediaType="image/png" representation="B64">AAAA</value></observationMedia></entry>`,
    );
    expect(list).toHaveLength(1);
    let levels = 0;
    for (let entry: CdaEntry | undefined = list[0]; entry; entry = entry.entries[0]) levels++;
    expect(levels).toBe(MAX_ENTRY_DEPTH);
  });
});
