import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatientPrincipal } from '../access/index.ts';
import type { AppContext } from '../app/index.ts';
import { createTestContext } from '../auth/test-context.ts';
import { demoPerson, demoProfessional, seedDemo } from '../demo/index.ts';
import type { InsuredPerson } from '../insured/index.ts';
import { outgoingEmails } from '../mail/test-outbox.ts';
import { type TestDatabase, testDialects } from '../storage/test-databases.ts';
import { makePdf } from './content/test-files.ts';
import { isInFuture } from './deposit-input.ts';
import {
  accessHistory,
  changeConfidentiality,
  depositDocuments,
  readDocument,
  searchDocuments,
  type DepositInput,
} from './index.ts';

describe('a document’s date', () => {
  const now = new Date('2026-12-06T10:00:00Z');
  it('may be today or earlier, typed as a day in France, but not a later day', () => {
    expect(isInFuture('2026-12-06T00:00:00.000Z', now)).toBe(false);
    expect(isInFuture('2026-12-07T00:00:00.000Z', now)).toBe(false);
    expect(isInFuture('2020-01-01T00:00:00.000Z', now)).toBe(false);
    expect(isInFuture('2026-12-08T00:00:00.000Z', now)).toBe(true);
  });
});

/**
 * « Invisible au patient » (INVISIBLE_PATIENT, docs/access.md "Masks and visibility flags"): a diagnosis the
 * professional announces in person. Until its author makes it visible, the patient learns nothing of it (list,
 * totals, reading, history, e-mails); then they see it and are told of a new document.
 */
describe.each(testDialects)('a document hidden from the patient until announced, on %s', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  let pdf: Uint8Array;
  let marie: InsuredPerson;

  const patient = (person: InsuredPerson): PatientPrincipal => ({
    kind: 'patient',
    patientId: person.id,
    ins: person.ins,
    actsFor: [person.id],
  });
  const input = (extra: Partial<DepositInput> = {}): DepositInput => ({
    patientId: marie.id,
    typeCode: '11502-2',
    title: 'Résultats de biopsie',
    content: pdf,
    declaredContentType: 'application/pdf',
    ...extra,
  });
  const page = { count: 200, offset: 0 };

  /** How many new documents the e-mails queued or sent to Marie announce (coalesced e-mails carry a total). */
  async function announcedToMarie(): Promise<number> {
    const mails = (await outgoingEmails(ctx)).filter((m) => m.patient_id === marie.id);
    return mails.reduce((sum, mail) => {
      if (/^Un nouveau document/.test(mail.subject)) return sum + 1;
      const many = /^(\d+) nouveaux documents/.exec(mail.subject);
      return sum + (many ? Number(many[1]) : 0);
    }, 0);
  }

  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect, { env: { CARNET_LOG_LEVEL: 'silent' } }));
    await seedDemo(ctx);
    pdf = await makePdf('Biopsie');
    marie = await demoPerson(ctx, 'marie');
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('stays out of the patient’s list, totals, reading, history and e-mails until its author makes it visible', async () => {
    const martin = await demoProfessional(ctx, '10001000115');
    const before = await searchDocuments(ctx, patient(marie), { patientId: marie.id, ...page });
    const announcedBefore = await announcedToMarie();

    const [doc] = await depositDocuments(ctx, martin, [
      input({ createdAt: '2026-11-30', confidentiality: ['INVISIBLE_PATIENT'] }),
    ]);
    expect(doc!.confidentiality).toEqual(['INVISIBLE_PATIENT']);
    expect(doc!.createdAt.slice(0, 10)).toBe('2026-11-30');

    const hidden = await searchDocuments(ctx, patient(marie), { patientId: marie.id, ...page });
    expect(hidden.total).toBe(before.total);
    expect(hidden.documents.map((d) => d.id)).not.toContain(doc!.id);
    await expect(readDocument(ctx, patient(marie), doc!.id)).rejects.toMatchObject({ status: 404 });
    const history = await accessHistory(ctx, patient(marie), marie.id, page);
    expect(history.entries.map((e) => e.documentTitle)).not.toContain('Résultats de biopsie');
    expect(await announcedToMarie()).toBe(announcedBefore);
    // The author, and the other professionals caring for her, read it as any document.
    expect((await readDocument(ctx, martin, doc!.id)).title).toBe('Résultats de biopsie');

    // Only its author makes it visible: another doctor may not.
    const lefevre = await demoProfessional(ctx, '10001000214');
    await expect(
      changeConfidentiality(ctx, lefevre, doc!.id, { remove: ['INVISIBLE_PATIENT'] }),
    ).rejects.toMatchObject({ status: 403 });
    expect(await announcedToMarie()).toBe(announcedBefore);

    const visible = await changeConfidentiality(ctx, martin, doc!.id, { remove: ['INVISIBLE_PATIENT'] });
    expect(visible.confidentiality).toEqual([]);
    const shown = await searchDocuments(ctx, patient(marie), { patientId: marie.id, ...page });
    expect(shown.total).toBe(before.total + 1);
    expect(shown.documents.map((d) => d.id)).toContain(doc!.id);
    expect((await readDocument(ctx, patient(marie), doc!.id)).title).toBe('Résultats de biopsie');
    expect(await announcedToMarie()).toBe(announcedBefore + 1);
    const after = await accessHistory(ctx, patient(marie), marie.id, page);
    expect(
      after.entries.some((e) => e.action === 'deposit' && e.documentTitle === 'Résultats de biopsie'),
    ).toBe(true);

    // Making it visible twice tells her once.
    await changeConfidentiality(ctx, martin, doc!.id, { remove: ['INVISIBLE_PATIENT'] });
    expect(await announcedToMarie()).toBe(announcedBefore + 1);
  });

  it('refuses a document dated after today', async () => {
    const martin = await demoProfessional(ctx, '10001000115');
    const later = new Date(ctx.clock.now().getTime() + 3 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    await expect(depositDocuments(ctx, martin, [input({ createdAt: later })])).rejects.toMatchObject({
      code: 'date-in-future',
      message: 'La date du document ne peut pas être dans le futur.',
    });
  });
});
