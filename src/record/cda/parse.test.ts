import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CDA_EXAMPLES } from '../content/test-files.ts';
import { cdaRootProblem } from './detect.ts';
import { CdaError, parseCda } from './parse.ts';
import { MAX_XML_DEPTH } from './xml.ts';
import type { CdaDocument, CdaSection } from './types.ts';

const example = (file: string) => readFileSync(path.join(CDA_EXAMPLES, file), 'utf8');

function parsed(file: string): CdaDocument {
  const result = parseCda(example(file));
  if (result instanceof CdaError) throw new Error(`${file}: ${result.code}`);
  return result;
}

const flatten = (sections: readonly CdaSection[]): CdaSection[] =>
  sections.flatMap((s) => [s, ...flatten(s.sections)]);

describe('parseCda on the official ANS examples', () => {
  it.each([
    ['VSM_1.4_2022.01.xml', 'SYNTH', '1.2.250.1.213.1.1.4.12'],
    ['LDL-SES_2022.01.xml', '11490-0', '2.16.840.1.113883.6.1'],
    ['VAC-NOTE_2023.01.xml', '87273-9', '2.16.840.1.113883.6.1'],
    ['BIO-CR-BIO_2024.01_TSH_1.xml', '11502-2', '2.16.840.1.113883.6.1'],
    ['DOC_NON_STRUCTURE_CDA-R2-N1.xml', '11502-2', '2.16.840.1.113883.6.1'],
  ])('%s: the test patient, type %s, a dated and authored header', (file, code, system) => {
    const { header } = parsed(file);
    expect(header.patient).toMatchObject({
      ins: '279035121518989',
      insOid: '1.2.250.1.213.1.4.10',
      sex: 'F',
    });
    expect(header.patient.birthDate).toBe('1979-03-28');
    expect(header.type).toMatchObject({ code, system });
    expect(header.effectiveTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    expect(header.confidentialityCode).toBe('N');
    expect(header.authors[0]?.nationalId).toMatch(/^8\d{11}$/);
    expect(header.authors[0]?.name).toBeTruthy();
    expect(header.custodianName).toBeTruthy();
    expect(header.masterIdentifier).toBe(`urn:oid:${header.documentId.root}`);
    expect(header.versionNumber).toBe(1);
  });

  it('reads the VSM header in detail', () => {
    const { header } = parsed('VSM_1.4_2022.01.xml');
    expect(header).toMatchObject({
      title: 'Synthèse Médicale',
      masterIdentifier: 'urn:oid:1.2.250.1.213.1.1.1.13.2022.1.1',
      effectiveTime: '2020-03-12T11:17:00+01:00',
      setId: 'urn:oid:1.2.250.1.213.1.1.1.13.2022.1',
      custodianName: 'Centre de soins le Belvédère',
    });
    expect(header.patient).toMatchObject({ family: 'PAT-TROIS', given: 'DOMINIQUE' });
    expect(header.authors[0]).toMatchObject({
      nationalId: '801234567897',
      name: 'Stéphane MEDIONI',
      profession: { code: 'G15_10/SM26' },
      organizationName: 'Centre de soins le Belvédère',
    });
  });

  it('gives the service period of the discharge letter', () => {
    const { header } = parsed('LDL-SES_2022.01.xml');
    expect([header.serviceStart, header.serviceEnd]).toEqual([
      '2019-10-29T11:17:00+01:00',
      '2019-12-03T13:30:00+01:00',
    ]);
  });

  it.each([
    'VSM_1.4_2022.01.xml',
    'LDL-SES_2022.01.xml',
    'VAC-NOTE_2023.01.xml',
    'BIO-CR-BIO_2024.01_TSH_1.xml',
  ])('%s: sections with titles and readable text', (file) => {
    const document = parsed(file);
    expect(document.nonXmlBody).toBeUndefined();
    const sections = flatten(document.sections);
    expect(sections.filter((s) => s.text !== '').length).toBeGreaterThan(0);
    for (const section of sections) expect(section.text).not.toMatch(/<\/?[a-z]+[ >]/i);
  });

  it('turns the VSM problem table into rows with cells separated by " | "', () => {
    const active = flatten(parsed('VSM_1.4_2022.01.xml').sections).find((s) => s.code?.code === '11450-4')!;
    expect(active.title).toBe('Pathologie en cours');
    expect(active.text.split('\n')).toEqual([
      'Date | Pathologie en cours',
      '11/08/2019 | Accident ischémique cérébral transitoire',
      '11/08/2019 | Angine de poitrine instable',
    ]);
    expect(active.blocks[0]).toMatchObject({ kind: 'table', header: [['Date', 'Pathologie en cours']] });
    expect(active.entries).toHaveLength(2);
  });

  it('reads the biology results and the embedded PDF copy', () => {
    const sections = flatten(parsed('BIO-CR-BIO_2024.01_TSH_1.xml').sections);
    expect(sections.map((s) => s.text).join('\n')).toContain(
      'Thyréostimuline (TSH) (ECL Modular) | 1.950 mUI/l',
    );
    const copy = sections.find((s) => s.code?.code === '55108-5')!;
    expect(copy.media[0]?.mediaType).toBe('application/pdf');
    expect(copy.media[0]?.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('decodes the PDF wrapped by the unstructured CDA', () => {
    const document = parsed('DOC_NON_STRUCTURE_CDA-R2-N1.xml');
    expect(document.sections).toEqual([]);
    expect(document.nonXmlBody?.mediaType).toBe('application/pdf');
    expect(document.nonXmlBody?.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(document.nonXmlBody!.bytes.subarray(-8).toString('latin1')).toContain('%%EOF');
  });
});

describe('parseCda narrative and refusals', () => {
  const cda = (body: string, id = '<id root="1.2.3" extension="A-1"/>') =>
    `<ClinicalDocument xmlns="urn:hl7-org:v3">${id}<code code="11488-4" codeSystem="2.16.840.1.113883.6.1"/>` +
    `<title>T</title><effectiveTime value="20240105"/><component>${body}</component></ClinicalDocument>`;

  it('keeps paragraphs, lists as bullets, line breaks, and never returns markup', () => {
    const result = parseCda(
      cda(`<structuredBody><component><section><title>Conclusion</title><text>
        <paragraph>Patient <content styleCode="Bold">stable</content>.<br/>À revoir.</paragraph>
        <list listType="ordered"><item>Repos</item><item>Hydratation &amp; &lt;script&gt;</item></list>
        <list><item>Un</item></list>
      </text></section></component></structuredBody>`),
    );
    if (result instanceof CdaError) throw result;
    expect(result.header.masterIdentifier).toBe('1.2.3^A-1');
    expect(result.header.effectiveTime).toBe('2024-01-05');
    expect(result.sections[0]!.text).toBe(
      'Patient stable.\nÀ revoir.\n\n1. Repos\n2. Hydratation & <script>\n\n• Un',
    );
    expect(result.sections[0]!.blocks.map((b) => b.kind)).toEqual(['paragraph', 'list', 'list']);
  });

  it.each([
    ['XML that is not CDA', '<?xml version="1.0"?><note/>', 'cda-not-clinical-document'],
    ['the wrong namespace', '<ClinicalDocument xmlns="urn:x"/>', 'cda-wrong-namespace'],
    [
      'malformed XML',
      '<ClinicalDocument xmlns="urn:hl7-org:v3"><a></ClinicalDocument>',
      'cda-not-well-formed',
    ],
    ['a DOCTYPE', '<!DOCTYPE x><ClinicalDocument xmlns="urn:hl7-org:v3"/>', 'cda-doctype'],
    [
      'no id or type',
      '<ClinicalDocument xmlns="urn:hl7-org:v3"><title>T</title></ClinicalDocument>',
      'cda-header-incomplete',
    ],
    ['no body', cda('').replace('<component></component>', ''), 'cda-no-body'],
    [
      'bad base64',
      cda('<nonXMLBody><text mediaType="application/pdf" representation="B64">%%%</text></nonXMLBody>'),
      'cda-bad-base64',
    ],
  ])('refuses %s with a clear CdaError', (_name, xml, code) => {
    const result = parseCda(xml);
    expect(result).toBeInstanceOf(CdaError);
    expect((result as CdaError).code).toBe(code);
    expect((result as CdaError).toCarnetError().status).toBe(422);
  });

  // Security review regression: fails on 027241f, before the fix.
  describe('a document nested deeper than the viewer reads', () => {
    const nested = (element: 'content' | 'section', depth: number) =>
      element === 'content'
        ? cda(
            `<structuredBody><component><section><text><paragraph>${'<content>'.repeat(depth)}profond` +
              `${'</content>'.repeat(depth)}</paragraph></text></section></component></structuredBody>`,
          )
        : cda(
            `<structuredBody>${'<component><section><text>profond</text>'.repeat(depth)}` +
              `${'</section></component>'.repeat(depth)}</structuredBody>`,
          );

    it.each(['content', 'section'] as const)(
      'refuses 10,000 nested <%s> with a CdaError (never a throw), the same refusal deposit sees',
      (element) => {
        const xml = nested(element, 10_000);
        const result = parseCda(xml);
        expect(result).toBeInstanceOf(CdaError);
        expect((result as CdaError).code).toBe('cda-too-deep');
        expect((result as CdaError).toCarnetError().status).toBe(422);
        // Deposits check their bytes with cdaRootProblem (src/record/content/sniff.ts): refused there too.
        expect(cdaRootProblem(xml)).toBe('too-deep');
      },
    );

    it('reads a document nested up to the limit, whatever quotes and comments hold', () => {
      // ClinicalDocument > component > structuredBody > component > section > text > paragraph: 7 levels.
      const depth = MAX_XML_DEPTH - 7;
      const xml = nested('content', depth).replace(
        '<paragraph>',
        '<paragraph><!-- <a><b> --><![CDATA[<c><d>]]><content styleCode="a>b"/>',
      );
      const result = parseCda(xml);
      if (result instanceof CdaError) throw result;
      expect(result.sections[0]!.text).toBe('<c><d>profond');
      expect((parseCda(nested('content', depth + 1)) as CdaError).code).toBe('cda-too-deep');
    });

    it('refuses element names the XML parser will not read, instead of throwing', () => {
      const result = parseCda(
        cda('<structuredBody><component><section><constructor/></section></component></structuredBody>'),
      );
      expect(result).toBeInstanceOf(CdaError);
      expect((result as CdaError).code).toBe('cda-reserved-name');
    });
  });
});
