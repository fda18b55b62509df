import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProfessional, patientPrincipal, demoProfessionals, seedDemo } from '../../demo/index.ts';
import type { AppContext } from '../../app/index.ts';
import { createTestContext } from '../../auth/test-context.ts';
import type { Ins } from '../../identity/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../../insured/index.ts';
import { readProfile, setAreaMasked } from '../../medical-profile/index.ts';
import { declareConsent, searchDocuments, setProfessionalStatus } from '../../record/index.ts';
import { testDialects, type TestDatabase } from '../../storage/test-databases.ts';
import { readCareHistory } from '../history.ts';
import { careLine, careCategories, covidAttestationLine, vaccinationLine } from './format.ts';
import { importInsurerFeed, type ImportProgress } from './import.ts';

const JEAN = '168047505611243';
const MARIE = '271096912304585';
const FAURE = '164053818509916'; // opposed: no profile
const UNKNOWN = '184127645108946';

/** `n` care lines spread over the given people, two years back from 2026-01. */
function careLines(people: readonly string[], n: number, prefix = 'R'): string[] {
  return Array.from({ length: n }, (_, i) =>
    careLine({
      lineId: `${prefix}${String(i).padStart(6, '0')}`,
      ins: people[i % people.length]!,
      date: `${2024 + (i % 2)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
      category: careCategories[i % careCategories.length]!,
      label: i % 7 === 0 ? 'Consultation; "urgence"' : `Acte ${i}`,
      professional: 'Dr Claire MARTIN',
      rpps: i % 3 === 0 ? '10001000115' : undefined,
      amountCents: 2650 + i,
    }),
  );
}

describe.each(testDialects)('Assurance Maladie feed on %s', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  let jean: InsuredPerson;
  let marie: InsuredPerson;

  const careRows = async (person: InsuredPerson) =>
    Number(
      (
        await ctx.db
          .selectFrom('insurer_care')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('patient_id', '=', person.id)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const asPatient = (person: InsuredPerson) => patientPrincipal(person);
  const pro = (rpps: string) => demoProfessional(ctx, rpps);

  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect));
    await seedDemo(ctx);
    jean = (await findInsuredByIns(ctx.db, JEAN as Ins))!;
    marie = (await findInsuredByIns(ctx.db, MARIE as Ins))!;
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('imports a file with 1 % corrupt lines, lists each rejected line with its reason, and adds nothing the second time', async () => {
    const lines = careLines([JEAN, MARIE], 400);
    // 4 corrupt lines out of 400, of different kinds.
    lines[10] = lines[10]!.replace(/;\d+\.\d{2}$/, ';douze euros');
    lines[99] = lines[99]!.replace('SOIN;', 'SION;');
    lines[200] = lines[200]!
      .replace(JEAN, JEAN.slice(0, 13) + '00')
      .replace(MARIE, MARIE.slice(0, 13) + '00');
    lines[333] = lines[333]!.replace(
      /;(maladie|biologie|medicament|dentaire|hopital|radiologie|appareillage|vaccin);/,
      ';kine;',
    );
    const text = ['# extraction test', ...lines, ''].join('\n');
    const progress: ImportProgress[] = [];
    const first = await importInsurerFeed(ctx, { bytes: Buffer.from(text) }, 'care.txt', {
      batchLines: 50,
      onProgress: (p) => progress.push(p),
    });
    expect(first.records).toBe(400);
    expect(first.careAdded).toBe(396);
    expect(first.duplicates).toBe(0);
    expect(first.rejected).toEqual([
      { line: 12, reason: expect.stringMatching(/^montant « douze euros »/) },
      { line: 101, reason: expect.stringMatching(/type d’enregistrement « SION » inconnu/) },
      { line: 202, reason: 'INS invalide : la clé ne correspond pas' },
      { line: 335, reason: 'catégorie « kine » inconnue' },
    ]);
    expect(progress.at(-1)).toMatchObject({ bytesDone: Buffer.byteLength(text), records: 400, rejected: 4 });
    expect(progress.length).toBeGreaterThan(8);
    expect((await careRows(jean)) + (await careRows(marie))).toBe(396);

    const again = await importInsurerFeed(ctx, { bytes: Buffer.from(text) }, 'care.txt', { batchLines: 50 });
    expect(again.careAdded).toBe(0);
    expect(again.duplicates).toBe(396);
    expect(again.rejected).toHaveLength(4);
    expect((await careRows(jean)) + (await careRows(marie))).toBe(396);

    // One import trace per patient and batch that added rows; none for the second run.
    const traces = await ctx.db
      .selectFrom('audit_events')
      .select(['detail', 'actor_kind'])
      .where('patient_id', '=', jean.id)
      .where('action', '=', 'care-history-import')
      .execute();
    expect(traces).toHaveLength(8);
    expect(traces.every((t) => t.actor_kind === 'insurer')).toBe(true);
    expect(traces.map((t) => t.detail).join()).not.toMatch(/Acte|MARTIN/);
  });

  it('lets only one of two imports of the same file started together go on; the other stops with a clear reason', async () => {
    const text = careLines([JEAN, MARIE], 200, 'C').join('\n');
    const before = (await careRows(jean)) + (await careRows(marie));
    const runs = await Promise.allSettled(
      [1, 2].map(() =>
        importInsurerFeed(ctx, { bytes: Buffer.from(text) }, 'care-twice.txt', { batchLines: 5 }),
      ),
    );
    const finished = runs.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const stopped = runs.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ records: 200, careAdded: 200, duplicates: 0 });
    expect(stopped).toEqual([
      expect.objectContaining({
        code: 'insurer-import-concurrent',
        message: expect.stringMatching(/en cours/),
      }),
    ]);
    expect((await careRows(jean)) + (await careRows(marie))).toBe(before + 200);
    // The stopped one, started again, finds the file imported.
    const again = await importInsurerFeed(ctx, { bytes: Buffer.from(text) }, 'care-twice.txt');
    expect(again).toMatchObject({ careAdded: 0, duplicates: 200 });
  });

  it('rejects unknown people and closed or opposed profiles, and stores health details encrypted', async () => {
    const text = [
      careLine({
        lineId: 'U1',
        ins: UNKNOWN,
        date: '2025-02-03',
        category: 'maladie',
        label: 'Consultation',
        professional: 'Dr X',
        rpps: undefined,
        amountCents: 3000,
      }),
      careLine({
        lineId: 'F1',
        ins: FAURE,
        date: '2025-02-03',
        category: 'maladie',
        label: 'Consultation',
        professional: 'Dr X',
        rpps: undefined,
        amountCents: 3000,
      }),
      careLine({
        lineId: 'J1',
        ins: JEAN,
        date: '2030-02-03',
        category: 'maladie',
        label: 'Consultation',
        professional: 'Dr X',
        rpps: undefined,
        amountCents: 3000,
      }),
      careLine({
        lineId: 'J2',
        ins: JEAN,
        date: '2025-02-03',
        category: 'biologie',
        label: 'Glycémie à jeun',
        professional: 'Laboratoire Biofrance',
        rpps: undefined,
        amountCents: 1234,
      }),
    ].join('\n');
    const report = await importInsurerFeed(ctx, { bytes: Buffer.from(text) }, 'people.txt');
    expect(report.rejected.map((r) => [r.line, r.reason])).toEqual([
      [1, 'INS inconnu : aucun assuré ne porte ce matricule'],
      [2, 'profil Mon espace santé fermé ou opposé : ligne non chargée'],
      [3, 'date 2030-02-03 dans le futur'],
    ]);
    const row = await ctx.db
      .selectFrom('insurer_care')
      .selectAll()
      .where('patient_id', '=', jean.id)
      .where('source_ref', '=', 'J2')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ care_date: '2025-02-03', category: 'biologie' });
    expect(row.sealed).not.toContain('Glycémie');
    const history = await readCareHistory(ctx, asPatient(jean), jean.id, {
      year: '2025',
      month: '2',
      category: 'biologie',
    });
    expect(history.items.find((i) => i.sourceRef === 'J2')).toMatchObject({
      label: 'Glycémie à jeun',
      professional: 'Laboratoire Biofrance',
      amountCents: 1234,
      categoryLabel: 'Biologie',
    });
  });

  it('loads vaccinations into the profile and deposits COVID-19 attestations once', async () => {
    const text = [
      vaccinationLine({
        lineId: 'V1',
        ins: MARIE,
        date: '2024-10-15',
        vaccineCode: 'grippe',
        label: 'Vaxigrip Tetra',
        lot: 'L123',
      }),
      vaccinationLine({
        lineId: 'V2',
        ins: MARIE,
        date: '2024-10-15',
        vaccineCode: 'varicelle' as never,
        label: 'X',
        lot: undefined,
      }),
      covidAttestationLine({
        lineId: 'C1',
        ins: MARIE,
        date: '2021-12-20',
        vaccine: 'Comirnaty (Pfizer-BioNTech)',
        doses: '3/3',
        lot: 'FK1234',
      }),
    ].join('\n');
    const first = await importInsurerFeed(ctx, { bytes: Buffer.from(text) }, 'vaccins.txt');
    expect(first).toMatchObject({ vaccinationsAdded: 1, attestationsAdded: 1, duplicates: 0 });
    expect(first.rejected).toEqual([{ line: 2, reason: 'code vaccin « varicelle » inconnu' }]);
    const second = await importInsurerFeed(ctx, { bytes: Buffer.from(`${text}\n`) }, 'vaccins-2.txt');
    expect(second).toMatchObject({ vaccinationsAdded: 0, attestationsAdded: 0, duplicates: 2 });

    const profile = await readProfile(ctx, asPatient(marie), marie.id, { sections: ['vaccinations'] });
    const fromInsurer = profile.entries.filter((e) => e.source === 'insurer');
    expect(fromInsurer).toHaveLength(1);
    expect(fromInsurer[0]).toMatchObject({
      sourceRef: 'V1',
      sourceName: 'Assurance Maladie',
      data: { vaccineCode: 'grippe', lot: 'L123' },
    });
    const docs = await searchDocuments(ctx, asPatient(marie), { patientId: marie.id, count: 50, offset: 0 });
    const attestations = docs.documents.filter((d) => d.typeCode === '96874-3');
    expect(attestations).toHaveLength(1);
    expect(attestations[0]!.author.kind).toBe('insurer');
  });

  it('refuses a masked history to a doctor but not to the administrateur, and traces both', async () => {
    await importInsurerFeed(ctx, { bytes: Buffer.from(careLines([MARIE], 30, 'M').join('\n')) }, 'm.txt');
    const martin = await pro('10001000115');
    const cardiologist = await pro(
      demoProfessionals.find((p) => p.rpps !== '10001000115' && p.professionCode === '10')!.rpps,
    );
    await declareConsent(ctx, martin, marie.id);
    await declareConsent(ctx, cardiologist, marie.id);
    expect((await readCareHistory(ctx, cardiologist, marie.id)).total).toBeGreaterThanOrEqual(30);

    await setAreaMasked(ctx, asPatient(marie), marie.id, 'care-history', true);
    await setProfessionalStatus(ctx, asPatient(marie), marie.id, martin.nationalId, { administrator: true });
    await expect(readCareHistory(ctx, cardiologist, marie.id)).rejects.toMatchObject({
      code: 'masked',
    });
    const asAdmin = await readCareHistory(ctx, martin, marie.id);
    expect(asAdmin.masked).toBe(true);
    expect(asAdmin.total).toBeGreaterThanOrEqual(30);
    const own = await readCareHistory(ctx, asPatient(marie), marie.id);
    expect(own.masked).toBe(true);

    const reads = await ctx.db
      .selectFrom('audit_events')
      .select(['actor_id', 'outcome'])
      .where('patient_id', '=', marie.id)
      .where('action', '=', 'care-history-read')
      .execute();
    expect(reads).toEqual(
      expect.arrayContaining([
        { actor_id: cardiologist.nationalId, outcome: 'denied' },
        { actor_id: martin.nationalId, outcome: 'success' },
        { actor_id: marie.id, outcome: 'success' },
      ]),
    );
  });

  it('browses by year, month and category with the counts of each', async () => {
    const text = [
      ['A1', '2023-05-02', 'maladie'],
      ['A2', '2023-05-20', 'biologie'],
      ['A3', '2023-11-02', 'maladie'],
      ['A4', '2024-01-10', 'dentaire'],
    ]
      .map(([lineId, date, category]) =>
        careLine({
          lineId: lineId!,
          ins: JEAN,
          date: date!,
          category: category as 'maladie',
          label: 'Soin',
          professional: 'Dr Y',
          rpps: undefined,
          amountCents: 100,
        }),
      )
      .join('\n');
    await importInsurerFeed(ctx, { bytes: Buffer.from(text) }, 'browse.txt');
    const year = await readCareHistory(ctx, asPatient(jean), jean.id, { year: '2023' });
    expect(year.total).toBe(3);
    expect(year.facets.months).toEqual([
      { month: '05', count: 2 },
      { month: '11', count: 1 },
    ]);
    expect(year.facets.years.map((y) => y.year)).toEqual(expect.arrayContaining(['2023', '2024', '2025']));
    expect(year.facets.categories).toEqual([
      { category: 'maladie', label: 'Consultations et soins', count: 2 },
      { category: 'biologie', label: 'Biologie', count: 1 },
    ]);
    const may = await readCareHistory(ctx, asPatient(jean), jean.id, {
      year: '2023',
      month: '05',
      category: 'maladie',
    });
    expect(may.items.map((i) => i.sourceRef)).toEqual(['A1']);
    await expect(readCareHistory(ctx, asPatient(jean), jean.id, { month: '05' })).rejects.toMatchObject({
      code: 'care-month-without-year',
    });
  });
});
