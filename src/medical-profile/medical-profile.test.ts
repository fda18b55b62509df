import { readMaskedAreas } from '../guard/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProfessional, patientPrincipal, seedDemoProfiles, seedDemo } from '../demo/index.ts';
import type { AppContext } from '../app/index.ts';
import { createTestContext } from '../auth/test-context.ts';
import type { Ins } from '../identity/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../insured/index.ts';
import { declareConsent, readDocument, searchDocuments, setProfessionalStatus } from '../record/index.ts';
import { testDialects, type TestDatabase } from '../storage/test-databases.ts';
import {
  addEntriesFromSource,
  addProfileEntry,
  deleteProfileEntry,
  depositAdvanceDirectives,
  readProfile,
  readProfileEntry,
  setAreaMasked,
  updateProfileEntry,
} from './index.ts';

const DOCTOR = '10001000115';
const DENTIST = '10001000511';

describe.each(testDialects)('medical profile on %s', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  const people: Record<string, InsuredPerson> = {};

  const pro = (rpps: string) => demoProfessional(ctx, rpps);
  const patient = (person: InsuredPerson, actsFor: InsuredPerson[] = []) =>
    patientPrincipal(
      person,
      actsFor.map((p) => p.id),
    );
  const traces = (person: InsuredPerson, action: string) =>
    ctx.db
      .selectFrom('audit_events')
      .selectAll()
      .where('patient_id', '=', person.id)
      .where('action', '=', action)
      .execute();

  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect));
    await seedDemo(ctx);
    const byIns = {
      jean: '168047505611243',
      marie: '271096912304585',
      emilie: '290063306307802',
      chloe: '215027511520318',
      lea: '299083417201149',
    };
    for (const [name, ins] of Object.entries(byIns))
      people[name] = (await findInsuredByIns(ctx.db, ins as Ins))!;
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('keeps what the patient types, encrypted at rest, and lets them correct and remove it', async () => {
    const jean = people.jean!;
    const me = patient(jean);
    const added = await addProfileEntry(ctx, me, jean.id, 'allergies', {
      substance: 'Pénicilline',
      category: 'medication',
      reaction: 'Urticaire géante',
      severity: 'severe',
    });
    expect(added).toMatchObject({ section: 'allergies', source: 'patient', sourceRef: null });
    const raw = await ctx.db
      .selectFrom('profile_entries')
      .selectAll()
      .where('id', '=', added.id)
      .executeTakeFirst();
    expect(raw!.data_sealed).not.toContain('Pénicilline');
    expect(raw!.data_sealed).not.toContain('Urticaire');

    const updated = await updateProfileEntry(ctx, me, jean.id, added.id, {
      substance: 'Amoxicilline',
      category: 'medication',
    });
    expect(updated.data).toEqual({ substance: 'Amoxicilline', category: 'medication' });
    const weight = await addProfileEntry(ctx, me, jean.id, 'measurements', {
      kind: 'weight',
      value: '81,45',
      at: '2026-01-10T08:00:00Z',
    });
    expect(weight.data).toEqual({ kind: 'weight', value: 81.5, unit: 'kg', at: '2026-01-10T08:00:00.000Z' });

    const view = await readProfile(ctx, me, jean.id);
    expect(view.entries.map((e) => e.section)).toEqual(['allergies', 'measurements']);
    await deleteProfileEntry(ctx, me, jean.id, weight.id);
    expect((await readProfile(ctx, me, jean.id, { sections: ['measurements'] })).entries).toEqual([]);
    expect((await traces(jean, 'profile-update')).length).toBe(4);
  });

  it('keeps one position on organ donation: a second is refused until the first is changed', async () => {
    const lea = people.lea!;
    const me = patient(lea);
    await addProfileEntry(ctx, me, lea.id, 'wishes', { kind: 'organ-donation', choice: 'accept' });
    await expect(
      addProfileEntry(ctx, me, lea.id, 'wishes', { kind: 'organ-donation', choice: 'refuse' }),
    ).rejects.toMatchObject({ code: 'profile-single-entry' });
    // Other wishes are free text, as many as the patient likes.
    await addProfileEntry(ctx, me, lea.id, 'wishes', { kind: 'other', text: 'Prévenir ma sœur' });
  });

  it('refuses nonsense with a French message naming the field', async () => {
    const jean = people.jean!;
    await expect(
      addProfileEntry(ctx, patient(jean), jean.id, 'measurements', {
        kind: 'weight',
        value: 4000,
        at: '2026-01-10T08:00:00Z',
      }),
    ).rejects.toMatchObject({ status: 400, code: 'profile-invalid', expression: 'value' });
    await expect(
      addProfileEntry(ctx, patient(jean), jean.id, 'vaccinations', {
        vaccineCode: 'grippe',
        date: '2026-02-30',
      }),
    ).rejects.toThrow(/Date : date invalide/);
    await expect(
      addProfileEntry(ctx, patient(jean), jean.id, 'measurements', {
        kind: 'blood-pressure',
        value: 80,
        value2: 120,
        at: '2026-01-10T08:00:00Z',
      }),
    ).rejects.toThrow(/diastolique/);
    // What already happened is not dated in the future; a treatment may well end after today.
    const inAWeek = new Date(ctx.clock.now().getTime() + 7 * 86_400_000).toISOString();
    await expect(
      addProfileEntry(ctx, patient(jean), jean.id, 'measurements', {
        kind: 'weight',
        value: 80,
        at: inAWeek,
      }),
    ).rejects.toMatchObject({ expression: 'at', message: expect.stringMatching(/dans le futur/) });
    await expect(
      addProfileEntry(ctx, patient(jean), jean.id, 'vaccinations', {
        vaccineCode: 'grippe',
        date: inAWeek.slice(0, 10),
      }),
    ).rejects.toMatchObject({ expression: 'date' });
    await expect(
      addProfileEntry(ctx, patient(jean), jean.id, 'measurements', {
        kind: 'weight',
        value: 0.1,
        at: '2026-01-10T08:00:00Z',
      }),
    ).rejects.toThrow(/entre 0,3 et 500 kg/);
    await addProfileEntry(ctx, patient(jean), jean.id, 'treatments', {
      medication: 'Amoxicilline 1 g',
      endDate: inAWeek.slice(0, 10),
    });
    await addProfileEntry(ctx, patient(jean), jean.id, 'blood-group', { abo: 'O', rhesus: 'negative' });
    await expect(
      addProfileEntry(ctx, patient(jean), jean.id, 'blood-group', { abo: 'A', rhesus: 'negative' }),
    ).rejects.toMatchObject({ code: 'profile-single-entry' });
  });

  it('lets a professional read only with consent, section by section, and traces every read', async () => {
    const marie = people.marie!;
    await seedDemoProfiles(ctx);
    const doctor = await pro(DOCTOR);
    await expect(readProfile(ctx, doctor, marie.id)).rejects.toMatchObject({
      status: 403,
      code: 'consent-required',
    });
    expect((await traces(marie, 'profile-read')).map((t) => t.outcome)).toEqual(['denied']);
    await declareConsent(ctx, doctor, marie.id);
    const view = await readProfile(ctx, doctor, marie.id);
    expect(view.refused).toEqual([]);
    const sections = new Set(view.entries.map((e) => e.section));
    for (const s of ['vaccinations', 'allergies', 'treatments', 'measurements'])
      expect(sections.has(s as never)).toBe(true);
    // The professional cannot write to the patient's profile.
    await expect(
      addProfileEntry(ctx, doctor, marie.id, 'allergies', { substance: 'Latex', category: 'biologic' }),
    ).rejects.toMatchObject({ code: 'role' });
  });

  it('hides a masked section from everyone but the administrateur', async () => {
    const marie = people.marie!;
    const doctor = await pro(DOCTOR);
    const dentist = await pro(DENTIST);
    await declareConsent(ctx, dentist, marie.id);
    await setAreaMasked(ctx, patient(marie), marie.id, 'conditions', true);
    expect(await readMaskedAreas(ctx.db, marie.id)).toEqual(new Set(['conditions']));
    for (const who of [doctor, dentist]) {
      const view = await readProfile(ctx, who, marie.id);
      expect(view.refused).toContainEqual({ section: 'conditions', reason: 'masked' });
      expect(view.entries.some((e) => e.section === 'conditions')).toBe(false);
      expect(view.entries.some((e) => e.section === 'vaccinations')).toBe(true);
    }
    await setProfessionalStatus(ctx, patient(marie), marie.id, doctor.nationalId, { administrator: true });
    const admin = await readProfile(ctx, doctor, marie.id);
    expect(admin.refused).toEqual([]);
    expect(admin.entries.some((e) => e.section === 'conditions')).toBe(true);
    // The patient still sees everything, and which parts are masked.
    const own = await readProfile(ctx, patient(marie), marie.id);
    expect(own.masked).toEqual(['conditions']);
    expect(own.entries.some((e) => e.section === 'conditions')).toBe(true);
    await setAreaMasked(ctx, patient(marie), marie.id, 'conditions', false);
    expect((await readProfile(ctx, dentist, marie.id)).refused).toEqual([]);
  });

  it('reads one entry by its id under its part’s rule, and traces the read or the refusal on it', async () => {
    const marie = people.marie!;
    const dentist = await pro(DENTIST);
    await declareConsent(ctx, dentist, marie.id);
    const condition = (await readProfile(ctx, patient(marie), marie.id, { sections: ['conditions'] }))
      .entries[0]!;
    // Asked as another part (a FHIR read under the wrong resource type), it does not exist.
    expect(await readProfileEntry(ctx, dentist, condition.id, ['vaccinations'])).toBeUndefined();
    await setAreaMasked(ctx, patient(marie), marie.id, 'conditions', true);
    const before = (await traces(marie, 'profile-read')).length;
    await expect(readProfileEntry(ctx, dentist, condition.id, ['conditions'])).rejects.toMatchObject({
      status: 403,
      code: 'masked',
    });
    const refused = (await traces(marie, 'profile-read')).slice(before);
    expect(refused.map((t) => t.outcome)).toEqual(['denied']);
    await setAreaMasked(ctx, patient(marie), marie.id, 'conditions', false);
    expect(await readProfileEntry(ctx, dentist, condition.id, ['conditions'])).toEqual(condition);
    const read = (await traces(marie, 'profile-read')).slice(before + 1);
    expect(read.map((t) => [t.outcome, t.target_id])).toEqual([['success', condition.id]]);
  });

  it('adds a feed’s vaccinations once, and keeps them out of the patient’s edits', async () => {
    const lea = people.lea!;
    const items = [
      {
        patientId: lea.id,
        section: 'vaccinations' as const,
        data: { vaccineCode: 'covid-19', date: '2021-05-03', lot: 'EX1234' },
        source: 'insurer' as const,
        sourceRef: 'line-1',
        sourceName: 'Assurance Maladie',
      },
      {
        patientId: lea.id,
        section: 'vaccinations' as const,
        data: { vaccineCode: 'covid-19', date: '2021-06-14', lot: 'EX5678' },
        source: 'insurer' as const,
        sourceRef: 'line-2',
        sourceName: 'Assurance Maladie',
      },
    ];
    const first = await ctx.db
      .transaction()
      .execute((trx) => addEntriesFromSource(trx, ctx.config, items, new Date()));
    const again = await ctx.db
      .transaction()
      .execute((trx) =>
        addEntriesFromSource(trx, ctx.config, [...items, { ...items[0]!, sourceRef: 'line-3' }], new Date()),
      );
    expect([first, again]).toEqual([2, 1]);
    const view = await readProfile(ctx, patient(lea), lea.id, { sections: ['vaccinations'] });
    expect(view.entries).toHaveLength(3);
    expect(view.entries[0]).toMatchObject({ source: 'insurer', sourceName: 'Assurance Maladie' });
    await expect(
      updateProfileEntry(ctx, patient(lea), lea.id, view.entries[0]!.id, {
        vaccineCode: 'grippe',
        date: '2021-05-03',
      }),
    ).rejects.toMatchObject({ code: 'profile-entry-read-only' });
  });

  it('deposits an adult’s directives as EXPPAT_3 that a dentist never reads, and refuses a minor’s', async () => {
    const marie = people.marie!;
    const doc = await depositAdvanceDirectives(ctx, patient(marie), marie.id, {
      form: {
        lifeSupport: 'Je refuse tout acharnement thérapeutique.',
        trustedPerson: 'Sophie LEFEBVRE, 06 98 76 54 32',
        place: 'Lyon',
      },
    });
    expect(doc).toMatchObject({ typeCode: 'EXPPAT_3', contentType: 'application/pdf', status: 'current' });
    const doctor = await pro(DOCTOR);
    const dentist = await pro(DENTIST);
    const q = { patientId: marie.id, typeCodes: ['EXPPAT_3'], count: 10, offset: 0 };
    expect((await searchDocuments(ctx, doctor, q)).total).toBe(1);
    expect((await searchDocuments(ctx, dentist, q)).total).toBe(0);
    // Out of the dentist's habilitation: told it is hidden by the matrix, never listed.
    await expect(readDocument(ctx, dentist, doc.id)).rejects.toMatchObject({ code: 'habilitation' });

    const emilie = people.emilie!;
    const chloe = people.chloe!;
    await expect(
      depositAdvanceDirectives(ctx, patient(emilie, [chloe]), chloe.id, {
        form: { lifeSupport: 'Non.', place: 'Bordeaux' },
      }),
    ).rejects.toMatchObject({ status: 403, code: 'minor-directives' });
    const denied = await traces(chloe, 'deposit');
    expect(denied.map((t) => t.outcome)).toEqual(['denied']);
    // The representative still keeps the child's own profile.
    await addProfileEntry(ctx, patient(emilie, [chloe]), chloe.id, 'vaccinations', {
      vaccineCode: 'ror',
      date: '2016-03-01',
    });
  });

  it('seeds the diabetic demo patient once, with two years of HbA1c', async () => {
    expect(await seedDemoProfiles(ctx)).toEqual({ entries: 0 });
    const marie = people.marie!;
    const view = await readProfile(ctx, patient(marie), marie.id, { sections: ['measurements'] });
    const hba1c = view.entries.filter((e) => (e.data as { kind: string }).kind === 'hba1c');
    expect(hba1c).toHaveLength(9);
    const dates = hba1c.map((e) => (e.data as { at: string }).at).sort();
    expect(Date.parse(dates.at(-1)!) - Date.parse(dates[0]!)).toBeGreaterThan(700 * 86_400_000);
  });
});
