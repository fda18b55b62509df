import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type {
  Bundle,
  Composition,
  Condition,
  Immunization,
  MedicationStatement,
  Procedure,
} from '@medplum/fhirtypes';
import { afterAll, describe, expect, it } from 'vitest';
import { validateAnswer, buildIpsBundle } from '../fhir/index.ts';
import type { ProfileEntry } from '../medical-profile/index.ts';
import { parseCda } from '../record/index.ts';
import { CDA_EXAMPLES } from '../record/content/test-files.ts';
import { ansCdaCheck, schematronsFor } from '../shared/testing/ans-cda-check.ts';
import { emptyVsmContent, type VsmContent, type VsmItem } from '../vsm/index.ts';
import { assembleIpsContent } from './collect.ts';
import { buildIpsCda } from './ips-cda.ts';
import { dominique, emptyInput, fullContent, ipsInput, textOnlyContent } from './test-fixtures.ts';

const SCHEMA = path.join(CDA_EXAMPLES, 'xsd', 'CDA_extended.xsd');
const workDir = mkdtempSync(path.join(tmpdir(), 'carnet-ips-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function schemaErrors(xml: string): string[] {
  const file = path.join(workDir, `ips-${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(file, xml);
  try {
    execFileSync('xmllint', ['--noout', '--schema', SCHEMA, file], { stdio: 'pipe' });
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

/** Removes the section whose LOINC code is `code` (component and all). */
const withoutSection = (xml: string, code: string) =>
  xml.replace(
    new RegExp(`<component><section>(?:(?!</section>).)*?code="${code}"(?:.|\\n)*?</section></component>`),
    '',
  );

describe('IPS-FR CDA', () => {
  const full = buildIpsCda(ipsInput());
  const empty = buildIpsCda(emptyInput());
  const textOnly = buildIpsCda(ipsInput(textOnlyContent));

  it('passes the ANS IPS-FR 2024.01, IHE, CI-SIS and content-model schematrons, full or empty; a missing required section fails', async () => {
    const mutated = withoutSection(full, '10160-0');
    expect(mutated).not.toContain('code="10160-0"');
    const result = await ansCdaCheck(
      { full, empty, textOnly, mutated },
      // Beyond the volet's schematron and the IHE and ANS profiles, the ANS's content-model profile, which the
      // official example also passes.
      [...schematronsFor('CI-SIS_IPS-FR_2024.01'), 'profils/CI-SIS_ModelesDeContenusCDA'],
    );
    expect(result.full).toEqual([]);
    expect(result.empty).toEqual([]);
    expect(result.textOnly).toEqual([]);
    expect(result.mutated!.map((f) => f.text)).toContainEqual(expect.stringContaining('FR-Traitements'));
  }, 120_000);

  it('is valid against the CDA schema', () => {
    expect(schemaErrors(full)).toEqual([]);
    expect(schemaErrors(empty)).toEqual([]);
    expect(schemaErrors(textOnly)).toEqual([]);
  });

  it('has the IPS-FR header and says what is coded, what the patient reported, what is unknown', () => {
    expect(full).toContain('<templateId root="1.2.250.1.213.1.1.1.51" extension="2024.01"/>');
    expect(full).toContain('<templateId root="2.16.840.1.113883.10.22.1.1"/>');
    const parsed = parseCda(full);
    if (parsed instanceof Error) throw parsed;
    expect(parsed.header.type.code).toBe('60591-5');
    expect(full).toMatch(
      /code="E11" displayName="Diabète sucré de type 2" codeSystem="2\.16\.840\.1\.113883\.6\.3"/,
    );
    expect(full).toMatch(/code="HHFA016"[^>]*codeSystem="1\.2\.250\.1\.215\.300\.1"/);
    expect(full).toMatch(/code="A10BA02"[^>]*codeSystem="2\.16\.840\.1\.113883\.6\.73"/);
    expect(full).toMatch(/code="J07BB"[^>]*codeSystem="2\.16\.840\.1\.113883\.6\.73"/);
    expect(full).toContain('<value xsi:type="PQ" value="82.5" unit="kg"/>');
    // The patient's own back pain is a problem "reported by the patient", the GP's diabetes a diagnosis.
    expect(full.match(/code="418799008"/g)).toHaveLength(1);
    expect(full).toContain('Déclaré par le patient');
    expect(empty).toContain('code="no-problem-info"');
    expect(empty).toContain('code="no-allergy-info"');
    expect(empty).toContain('code="no-medication-info"');
    expect(empty).toContain('code="no-procedure-info"');
    expect(empty).toContain('code="no-device-info"');
    expect(empty).not.toContain('code="8716-3"'); // optional sections are left out when empty
  });

  it('escapes what the patient typed', () => {
    const xml = buildIpsCda(
      ipsInput({
        ...fullContent,
        problems: [{ text: 'Douleur <script> & "fièvre"', reportedBy: 'patient' }],
      }),
    );
    expect(xml).toContain('Douleur &lt;script&gt; &amp; &quot;fièvre&quot;');
    expect(schemaErrors(xml)).toEqual([]);
  });
});

describe('IPS FHIR document', () => {
  const base = 'https://carnet.test/fhir';

  it('is a document Bundle shaped like the HL7 IPS, valid R4', () => {
    const bundle = buildIpsBundle(ipsInput(), base);
    expect(validateAnswer(bundle, { roundTrip: true }).errors).toEqual([]);
    expect(bundle).toMatchObject({ type: 'document', identifier: { value: 'urn:oid:2.25.1234567890' } });
    const [first, second] = bundle.entry!;
    const composition = first!.resource as Composition;
    expect(composition.type.coding![0]).toMatchObject({ system: 'http://loinc.org', code: '60591-5' });
    expect(composition.subject!.reference).toBe(`${base}/Patient/${dominique.id}`);
    expect(second!.resource!.resourceType).toBe('Patient');
    expect(composition.section!.map((s) => s.code!.coding![0]!.code)).toEqual([
      '11450-4',
      '48765-2',
      '10160-0',
      '11369-6',
      '47519-4',
      '8716-3',
      '11348-0',
      '18776-5',
      '29762-2',
      '42348-3',
    ]);
    const resources = bundle.entry!.map((e) => e.resource!);
    const diabetes = resources.find(
      (r): r is Condition => r.resourceType === 'Condition' && r.code?.text === 'Diabète de type 2',
    );
    expect(diabetes!.code!.coding![0]).toMatchObject({
      system: 'https://smt.esante.gouv.fr/terminologie-cim-10',
      code: 'E11',
    });
    const paracetamol = resources.find(
      (r): r is MedicationStatement =>
        r.resourceType === 'MedicationStatement' &&
        r.medicationCodeableConcept?.text === 'Paracétamol si douleur',
    );
    expect(paracetamol!.informationSource!.reference).toBe(`${base}/Patient/${dominique.id}`);
    const flu = resources.find((r): r is Immunization => r.resourceType === 'Immunization');
    expect(flu!.vaccineCode.coding![0]).toMatchObject({ system: 'http://www.whocc.no/atc', code: 'J07BB' });
    const surgery = resources.find((r): r is Procedure => r.resourceType === 'Procedure');
    expect(surgery!.code!.coding![0]).toMatchObject({
      system: 'https://smt.esante.gouv.fr/terminologie-ccam',
      code: 'HHFA016',
    });
    // Every section entry resolves inside the document.
    const urls = new Set(bundle.entry!.map((e) => e.fullUrl));
    for (const section of composition.section!)
      for (const ref of section.entry ?? []) expect(urls.has(ref.reference)).toBe(true);
  });

  it('is valid R4 with items known only as text', () => {
    expect(
      validateAnswer(buildIpsBundle(ipsInput(textOnlyContent), base), { roundTrip: true }).errors,
    ).toEqual([]);
  });

  it('keeps the required sections when empty, with an emptyReason', () => {
    const bundle: Bundle = buildIpsBundle(emptyInput(), base);
    expect(validateAnswer(bundle, { roundTrip: true }).errors).toEqual([]);
    const composition = bundle.entry![0]!.resource as Composition;
    expect(
      composition.section!.map((s) => [s.code!.coding![0]!.code, s.emptyReason?.coding![0]!.code]),
    ).toEqual([
      ['11450-4', 'unavailable'],
      ['48765-2', 'unavailable'],
      ['10160-0', 'unavailable'],
    ]);
  });
});

const entry = (section: ProfileEntry['section'], data: object, source: ProfileEntry['source'] = 'patient') =>
  ({
    id: crypto.randomUUID(),
    patientId: dominique.id,
    section,
    data,
    source,
    sourceRef: null,
    sourceName: source === 'insurer' ? 'Assurance Maladie' : null,
    recordedAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  }) as ProfileEntry;

describe('assembling the summary', () => {
  const profile = [
    entry('conditions', { label: 'Diabète de type 2', since: '2019' }),
    entry('conditions', { label: 'Asthme', cim10: { code: 'J45', display: 'Asthme' } }),
    entry('conditions', { label: 'Appendicite', since: '1995', resolvedOn: '1995' }),
    entry('treatments', { medication: 'Metformine', atc: { code: 'A10BA02', display: 'metformine' } }),
    entry('treatments', { medication: 'Amoxicilline', startDate: '2025-01-01', endDate: '2025-01-08' }),
    entry('measurements', { kind: 'weight', value: 90, unit: 'kg', at: '2025-01-01T08:00:00.000Z' }),
    entry('measurements', { kind: 'weight', value: 85, unit: 'kg', at: '2026-06-01T08:00:00.000Z' }),
    entry(
      'vaccinations',
      { vaccine: 'Grippe saisonnière', vaccineCode: 'grippe', date: '2025-10-01' },
      'insurer',
    ),
    entry('wishes', { kind: 'organ-donation', choice: 'accept' }),
    entry('allergies', {
      substance: 'Pénicilline',
      category: 'medication',
      code: { system: 'ATC', code: 'J01CE', display: 'Pénicillines' },
    }),
    entry('allergies', {
      substance: 'Pollens',
      category: 'environment',
      code: { system: 'CIM-11', code: 'x' },
    }),
  ];

  it('lets the VSM win for the same concept: same words or same code', () => {
    const vsm: VsmContent = {
      ...emptyVsmContent(),
      activeProblems: { items: [{ text: 'diabète de type 2' }], note: '' },
      therapeuticProject: { items: [], note: 'Revoir dans 3 mois.' },
    };
    const sameWords = assembleIpsContent(vsm, profile, [], '2026-12-05');
    expect(sameWords.problems.map((p) => [p.text, p.reportedBy])).toEqual([
      ['diabète de type 2', undefined],
      ['Asthme', 'patient'],
    ]);
    expect(sameWords.planOfCare).toEqual(['Revoir dans 3 mois.']);
    const coded: VsmItem[] = [{ text: 'DT2', code: { system: 'CIM-10', code: 'J45', display: 'Asthme' } }];
    const sameCode = assembleIpsContent(
      { ...vsm, activeProblems: { items: coded, note: '' } },
      profile,
      [],
      '2026-12-05',
    );
    expect(sameCode.problems.map((p) => p.text)).toEqual(['DT2', 'Diabète de type 2']);
  });

  it('takes the profile as the reader sees it: current treatments, latest measurement, vaccines with their ATC', () => {
    const content = assembleIpsContent(
      undefined,
      profile,
      ['Directives anticipées — déposées'],
      '2026-12-05',
    );
    expect(content.pastIllnesses.map((p) => p.text)).toEqual(['Appendicite']);
    expect(content.medications.map((m) => [m.text, m.code?.code])).toEqual([['Metformine', 'A10BA02']]);
    expect(content.vitalSigns.map((v) => v.value)).toEqual([{ quantity: 85, unit: 'kg' }]);
    expect(content.immunizations).toEqual([
      {
        text: 'Grippe saisonnière',
        atc: { code: 'J07BB', display: 'Grippe saisonnière' },
        date: '2025-10-01',
        reportedBy: 'insurer',
        reporterName: 'Assurance Maladie',
      },
    ]);
    expect(content.advanceDirectives).toEqual([
      'Directives anticipées — déposées',
      'Don d’organes : accepte',
    ]);
  });
});
