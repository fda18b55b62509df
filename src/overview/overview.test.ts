import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../app/index.ts';
import { createTestContext } from '../auth/test-context.ts';
import { demoPerson, demoProfessional, patientPrincipal, seedDemo } from '../demo/index.ts';
import type { InsuredPerson } from '../insured/index.ts';
import { listInbox, patientAddress, readThread, receiveInbound } from '../messaging/index.ts';
import { makePdf } from '../record/content/test-files.ts';
import {
  declareConsent,
  depositDocuments,
  readDocument,
  retrieveDocumentContent,
  searchDocuments,
  type DepositInput,
} from '../record/index.ts';
import { type TestDatabase, testDialects } from '../storage/test-databases.ts';
import { patientOverview } from './index.ts';

/** A fixed day: Marie (born 1971-09-03) is 55, her breast and colorectal screenings overdue since 2026-09-03. */
const clock = { now: () => new Date('2026-12-06T10:00:00Z') };

describe.each(testDialects)('the home’s overview on %s', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  let marie: InsuredPerson;
  let emilie: InsuredPerson;
  let chloe: InsuredPerson;
  let pdf: Uint8Array;

  const input = (person: InsuredPerson, title: string): DepositInput => ({
    patientId: person.id,
    typeCode: '11488-4',
    title,
    content: pdf,
    declaredContentType: 'application/pdf',
  });
  const asMarie = () => patientPrincipal(marie);
  const overviewOfMarie = () => patientOverview(ctx, asMarie(), marie.id);

  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect, { clock }));
    await seedDemo(ctx);
    pdf = await makePdf('Compte rendu');
    [marie, emilie, chloe] = await Promise.all([
      demoPerson(ctx, 'marie'),
      demoPerson(ctx, 'emilie'),
      demoPerson(ctx, 'chloe'),
    ]);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('says nothing is new on a blank record, and lists the overdue screenings', async () => {
    const overview = await overviewOfMarie();
    expect(overview).toMatchObject({ newDocuments: 0, unreadMessages: 0, firstAccesses: [] });
    // Without the demo's vaccinations (seedDemoContent), her 45-year DTP booster is overdue too.
    expect(overview.prevention.overdue.map((i) => i.key)).toEqual([
      'dtp@45y',
      'depistage-colorectal@2025-09-03',
      'depistage-sein@2025-09-03',
    ]);
    expect(overview.prevention.dueSoon.map((i) => i.key)).toEqual(['depistage-col-uterus-hpv@2026-09-03']);
  });

  it('counts a professional’s document as new until the patient opens it; her own upload never', async () => {
    const martin = await demoProfessional(ctx, '10001000115');
    const [first, second] = await depositDocuments(ctx, martin, [
      input(marie, 'Compte rendu de consultation'),
      input(marie, 'Résultats de biologie'),
    ]);
    await depositDocuments(ctx, asMarie(), [
      { ...input(marie, 'Mon carnet de glycémie'), typeCode: 'DOCPAT01' },
    ]);
    expect((await overviewOfMarie()).newDocuments).toBe(2);
    const found = await searchDocuments(ctx, asMarie(), { patientId: marie.id, count: 50, offset: 0 });
    expect(
      found.documents
        .filter((d) => found.newIds.has(d.id))
        .map((d) => d.title)
        .sort(),
    ).toEqual(['Compte rendu de consultation', 'Résultats de biologie']);

    await readDocument(ctx, asMarie(), first!.id, marie.id);
    expect((await overviewOfMarie()).newDocuments).toBe(1);
    await retrieveDocumentContent(ctx, asMarie(), second!.id, marie.id);
    await retrieveDocumentContent(ctx, asMarie(), second!.id, marie.id);
    expect((await overviewOfMarie()).newDocuments).toBe(0);
    // A professional's « Non ouvert » is their own: what they wrote is never new to them.
    const asMartin = await searchDocuments(ctx, martin, { patientId: marie.id, count: 50, offset: 0 });
    expect(asMartin.documents.map((d) => d.title).sort()).toEqual([
      'Compte rendu de consultation',
      'Résultats de biologie',
    ]);
    expect(asMartin.newIds).toEqual(new Set());
  });

  it('counts unread messages until the conversation is opened', async () => {
    const to = patientAddress(marie.ins, ctx.config.patientMailDomain);
    const raw = await new MailComposer({
      from: 'Dr Claire Martin <dr.martin@cabinet.mssante.fr>',
      to,
      subject: 'Vos résultats',
      text: 'Bonjour,\nvos résultats sont normaux.',
    })
      .compile()
      .build();
    await receiveInbound(ctx, { envelopeFrom: 'dr.martin@cabinet.mssante.fr', recipients: [to], raw });
    expect((await overviewOfMarie()).unreadMessages).toBe(1);
    const [thread] = await listInbox(ctx, asMarie(), marie.id);
    await readThread(ctx, asMarie(), marie.id, thread!.threadId);
    expect((await overviewOfMarie()).unreadMessages).toBe(0);
  });

  it('names a professional’s first consultation of the record', async () => {
    const pharmacist = await demoProfessional(ctx, '10001000313');
    await declareConsent(ctx, pharmacist, marie.id);
    await searchDocuments(ctx, pharmacist, { patientId: marie.id, count: 10, offset: 0 });
    const { firstAccesses } = await overviewOfMarie();
    expect(firstAccesses).toEqual([
      { name: expect.stringMatching(/PETIT/i), professionCode: '21', at: clock.now().toISOString() },
    ]);
  });

  it('serves a represented child’s profile, traced once as the parent’s read; never someone else’s', async () => {
    const parent = patientPrincipal(emilie, [chloe.id]);
    const emiliesTraces = () =>
      ctx.db
        .selectFrom('audit_events')
        .select(['action', 'actor_kind', 'detail'])
        .where('patient_id', '=', chloe.id)
        .where('actor_id', '=', emilie.id)
        .orderBy('seq')
        .execute();
    // Émilie activated Chloé's profile when the demo was seeded: that trace is hers too.
    const before = (await emiliesTraces()).length;
    const overview = await patientOverview(ctx, parent, chloe.id);
    expect(overview.newDocuments).toBe(0);
    expect(typeof overview.unreadMessages).toBe('number');
    const traces = (await emiliesTraces()).slice(before);
    expect(traces.map((t) => t.action)).toEqual(['search']);
    expect(traces[0]!.actor_kind).toBe('representative');
    expect(JSON.parse(traces[0]!.detail)).toMatchObject({ view: 'overview', newDocuments: 0 });
    await expect(patientOverview(ctx, parent, marie.id)).rejects.toMatchObject({
      code: 'not-own-record',
    });
  });
});
