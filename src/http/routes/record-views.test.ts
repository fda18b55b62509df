import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPatientSession,
  PATIENT_SESSION_COOKIE,
  createProfessionalSession,
  PRO_SESSION_COOKIE,
} from '../../auth/index.ts';
import { seedDemo } from '../../demo/index.ts';
import type { Ins } from '../../identity/index.ts';
import { findInsuredByIns } from '../../insured/index.ts';
import { findProfessionalByNationalId } from '../../professionals/index.ts';
import { CdaError, parseCda } from '../../record/index.ts';
import { CDA_EXAMPLES } from '../../record/content/test-files.ts';
import { startTestCarnet, type TestCarnet } from '../../server/test-server.ts';
import { testDialects } from '../../storage/test-databases.ts';
import { cdaView, type CdaEntryView, type CdaSectionView } from './record-views.ts';

const example = (file: string) => readFileSync(path.join(CDA_EXAMPLES, file));

function viewOf(file: string) {
  const cda = parseCda(example(file).toString('utf8'));
  if (cda instanceof CdaError) throw cda;
  return cdaView(cda, '/embedded');
}

type SectionJson = Pick<CdaSectionView, 'title' | 'entries'> & { readonly sections: readonly SectionJson[] };
const flatten = (sections: readonly SectionJson[]): SectionJson[] =>
  sections.flatMap((s) => [s, ...flatten(s.sections)]);
const section = (sections: readonly SectionJson[], title: string) =>
  flatten(sections).find((s) => s.title === title)!;
const fact = (entry: CdaEntryView | undefined, term: string) => {
  const found = entry?.facts.find((f) => f.term === term);
  return found?.text ?? found?.date;
};

/** Every string a section carries: its title, then its narrative, then its subsections'. */
const sectionStrings = (s: CdaSectionView): string[] => [
  ...(s.title ? [s.title] : []),
  ...s.blocks.flatMap((b) =>
    b.kind === 'paragraph'
      ? [b.text]
      : b.kind === 'list'
        ? [...b.items]
        : [...(b.caption ? [b.caption] : []), ...b.header.flat(), ...b.rows.flat()],
  ),
  ...s.sections.flatMap(sectionStrings),
];

describe('cdaView: the portal’s reader, section by section, over the official ANS examples', () => {
  it.each([
    [
      'VSM_1.4_2022.01.xml',
      [
        'Pathologie en cours, antécédents, allergies et facteurs de risques',
        'Points de vigilance',
        'Traitement au long cours',
      ],
    ],
    [
      'LDL-SES_2022.01.xml',
      ['Statut du document', "Motif de l'hospitalisation", 'Synthèse médicale du séjour'],
    ],
    ['VAC-NOTE_2023.01.xml', ['Note de vaccination']],
    ['BIO-CR-BIO_2024.01_TSH_1.xml', ['BIOCHIMIE', 'Copie du document']],
    ['IPS-FR_2024.01.xml', ['Problèmes actifs', 'Antécédents', 'Historique des actes']],
  ])(
    '%s: the header names the patient, each section its title and readable text, never markup',
    (file, titles) => {
      const view = viewOf(file);
      expect(view.patient).toMatchObject({
        ins: '279035121518989',
        family: 'PAT-TROIS',
        given: 'DOMINIQUE',
        birthDate: '1979-03-28',
      });
      expect(view.authors[0]?.name).toBeTruthy();
      expect(view.effectiveTime).toMatch(/^\d{4}-\d{2}-\d{2}/);
      expect(view.sections.slice(0, titles.length).map((s) => s.title)).toEqual(titles);
      for (const s of view.sections) expect(s.title).toBeTruthy();
      const strings = view.sections.flatMap(sectionStrings);
      expect(strings.join(' ').length).toBeGreaterThan(100);
      // The narrative's markup became blocks: no tag, no entity reaches the reader as text.
      for (const text of strings) expect(text).not.toMatch(/<\/?[a-zA-Z][^>]*>|&(lt|gt|amp|#\d+);/);
    },
  );

  it('keeps a table as header and rows of cells, a subsection under its section', () => {
    const view = viewOf('VSM_1.4_2022.01.xml');
    const vigilance = view.sections.find((s) => s.title === 'Points de vigilance')!;
    const table = vigilance.blocks.find((b) => b.kind === 'table');
    expect(table?.kind === 'table' && table.rows.length).toBeGreaterThan(0);
    expect(view.sections[0]!.sections.length).toBe(2);
    expect(view.sections[0]!.sections.every((s) => s.title)).toBe(true);
  });

  it('has no section for an unstructured CDA: the wrapped file is the content', () => {
    const view = viewOf('DOC_NON_STRUCTURE_CDA-R2-N1.xml');
    expect(view.sections).toEqual([]);
    expect(view.embedded).toEqual({ mediaType: 'application/pdf', url: '/embedded' });
  });
});

describe('cdaView: coded entries shaped for readers', () => {
  it('shows a problem in place of its concern, with its CIM-10 code, dates and the concern’s status', () => {
    const [tia] = section(viewOf('VSM_1.4_2022.01.xml').sections, 'Pathologie en cours').entries;
    // The diagnosis is its code; SNOMED CT 282291009 only says the statement is a diagnostic interpretation.
    expect(tia).toMatchObject({
      label: 'Accident ischémique cérébral transitoire',
      codes: ['CIM-10 G45.9'],
      entries: [],
    });
    expect(fact(tia, 'Type')).toBe('interprétation diagnostique');
    expect(fact(tia, 'Début')).toBe('2019-08-11');
    expect(fact(tia, 'Statut')).toBe('En cours');
    // The concern's fixed "completed" record status is not shown as the state of a problem.
    const [pyelonephritis] = section(viewOf('VSM_1.4_2022.01.xml').sections, 'Antécédents médicaux').entries;
    expect(fact(pyelonephritis, 'Statut')).toBe('Terminé');
  });

  it('gives a treatment its product codes, route, dose and rhythm, and its reason as a nested entry', () => {
    const [plavix] = section(viewOf('VSM_1.4_2022.01.xml').sections, 'Traitements').entries;
    expect(plavix!.label).toBe('PLAVIX 75mg, comprimé pelliculé');
    // Its substanceAdministration code (HL7 ActCode DRUG) says how the CDA is built: not shown.
    expect(plavix!.codes).toEqual([]);
    expect(fact(plavix, 'Médicament')).toBe(
      'PLAVIX 75 mg, comprimé pelliculé (CIS 63564053, CIP 3400938022209)',
    );
    expect([fact(plavix, 'Voie'), fact(plavix, 'Dose'), fact(plavix, 'Fréquence')]).toEqual([
      'Voie orale',
      '2 comprimé(s)',
      '1 fois par jour',
    ]);
    expect(plavix!.entries[0]).toMatchObject({ relation: 'Motif', codes: ['CIM-10 I20.0'] });
  });

  it('names the allergy agent and its clinical status, the vaccine and the lab value with its unit', () => {
    const [allergy] = section(
      viewOf('VSM_1.4_2022.01.xml').sections,
      'Allergies et hypersensibilités',
    ).entries;
    expect([fact(allergy, 'Agent'), fact(allergy, 'Statut')]).toEqual([
      'PARACETAMOL (CIS 60234100)',
      'Inactif',
    ]);
    const [vaccination] = section(viewOf('VAC-NOTE_2023.01.xml').sections, 'Note de vaccination').entries;
    expect(fact(vaccination, 'Vaccin')).toMatch(
      /^VACCIN TETANIQUE PASTEUR.*\(CIS 68747507, ATC J07AM, CIP 3400932857241\)$/,
    );
    expect(fact(vaccination, 'Date')).toBe('2009-09-28');
    const bio = flatten(viewOf('BIO-CR-BIO_2024.01_TSH_1.xml').sections).flatMap((s) => s.entries);
    const tsh = bio[0]!.entries[0];
    expect(tsh).toMatchObject({ label: 'Thyréostimuline (TSH)', codes: ['LOINC 3016-3'] });
    expect([fact(tsh, 'Valeur'), fact(tsh, 'Valeurs de référence'), fact(tsh, 'Interprétation')]).toEqual([
      '1.950 mUI/L',
      '0.270 à 4.200 mUI/L',
      'Normal',
    ]);
    expect(tsh!.facts.find((f) => f.term === 'Interprétation')!.alert).toBeUndefined();
  });

  it('marks an abnormal result so that a reader cannot miss it', () => {
    const low = example('BIO-CR-BIO_2024.01_TSH_1.xml')
      .toString('utf8')
      .replace('<interpretationCode code="N"', '<interpretationCode code="L"');
    const cda = parseCda(low);
    if (cda instanceof CdaError) throw cda;
    const tsh = flatten(cdaView(cda, '/embedded').sections).flatMap((s) => s.entries)[0]!.entries[0];
    expect(tsh!.facts.find((f) => f.term === 'Interprétation')).toMatchObject({ alert: true });
  });

  it('heads an untitled section with its code’s name', () => {
    const [chemistry] = viewOf('BIO-CR-BIO_2024.01_TSH_1.xml').sections;
    expect(chemistry!.title).toBe('BIOCHIMIE');
    expect(chemistry!.sections.map((s) => s.title)).toEqual(['Biochimie']);
  });

  it('shows a problem’s severity as one of its traits, not as an entry of its own', () => {
    const [thyroiditis] = section(viewOf('IPS-FR_2024.01.xml').sections, 'Problèmes actifs').entries;
    expect(thyroiditis!.codes).toEqual(['CIM-10 E06.3']);
    expect(fact(thyroiditis, 'Sévérité')).toBe('modéré');
    expect(thyroiditis!.entries.map((e) => e.label)).not.toContain('modéré');
  });

  it('says "non codé" for a product the document leaves uncoded', () => {
    const plan = section(viewOf('IPS-FR_2024.01.xml').sections, 'Plan de soins').entries;
    const other = plan.find((e) => e.label.startsWith('Autre vaccin'));
    expect(fact(other, 'Vaccin')).toBe('Autre vaccin (non codé, TA_ASIP GEN-092.03.08)');
  });
});

describe.each(testDialects)('the document view on %s', (dialect) => {
  let carnet: TestCarnet;
  let patientId: string;
  let patientCookie: string;
  let proCookie: string;

  beforeAll(async () => {
    carnet = await startTestCarnet(dialect);
    await seedDemo(carnet.ctx);
    const dominique = await findInsuredByIns(carnet.ctx.db, '279035121518989' as Ins);
    patientId = dominique!.id;
    const session = await createPatientSession(carnet.ctx.db, dominique!.id, carnet.ctx.clock.now());
    patientCookie = `${PATIENT_SESSION_COOKIE}=${session.token}`;
    const martin = await findProfessionalByNationalId(carnet.ctx.db, '810001000115');
    proCookie = `${PRO_SESSION_COOKIE}=${await createProfessionalSession(carnet.ctx, martin!)}`;
  }, 60_000);
  afterAll(() => carnet?.stop());

  it('carries the coded entries of a deposited official VSM, in the document’s sections and order', async () => {
    const boundary = '----carnet-view-test';
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nSynthèse\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="type"\r\n\r\n60591-5\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="vsm.xml"\r\n` +
          'Content-Type: text/xml\r\n\r\n',
      ),
      example('VSM_1.4_2022.01.xml'),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const deposited = await carnet.app.inject({
      method: 'POST',
      url: `/api/pro/patients/${patientId}/documents`,
      headers: { cookie: proCookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(deposited.statusCode).toBe(201);
    const { id } = deposited.json() as { id: string };
    const answer = await carnet.app.inject({
      method: 'GET',
      url: `/api/patient/record/${patientId}/documents/${id}/view`,
      headers: { cookie: patientCookie },
    });
    expect(answer.statusCode).toBe(200);
    const view = answer.json() as { sections: SectionJson[] };
    expect(view.sections.map((s) => s.title)).toEqual([
      'Pathologie en cours, antécédents, allergies et facteurs de risques',
      'Points de vigilance',
      'Traitement au long cours',
    ]);
    expect(section(view.sections, 'Traitement au long cours').sections.map((s) => s.title)).toEqual([
      'Traitements',
    ]);
    const [tia] = section(view.sections, 'Pathologie en cours').entries;
    expect(tia).toMatchObject({ label: 'Accident ischémique cérébral transitoire', codes: ['CIM-10 G45.9'] });
    const [act] = section(view.sections, 'Antécédents chirurgicaux').entries;
    expect(act!.codes).toEqual(['CCAM DDAF004']);
    const [tobacco] = section(view.sections, 'Mode de vie').entries;
    expect(fact(tobacco, 'Valeur')).toBe('25 paquets-années');
  });
});
