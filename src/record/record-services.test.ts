import { readdir } from 'node:fs/promises';
import { sql } from 'kysely';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatientPrincipal, ProfessionalPrincipal } from '../access/index.ts';
import { createTestContext } from '../auth/test-context.ts';
import type { AppContext } from '../app/index.ts';
import { demoProfessional, seedDemo } from '../demo/index.ts';
import type { Ins } from '../identity/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../insured/index.ts';
import { type TestDatabase, testDialects } from '../storage/test-databases.ts';
import { makePdf } from './content/test-files.ts';
import {
  accessHistory,
  changeConfidentiality,
  declareConsent,
  listAuditEntries,
  archiveDocument,
  deleteDocument,
  depositCountsByMonth,
  depositDocuments,
  endEmergencyAccess,
  getRecordOverview,
  readDocument,
  retrieveDocumentContent,
  searchDocuments,
  startEmergencyAccess,
  updateRecordSettings,
  type DepositInput,
} from './index.ts';
import { outgoingEmails } from '../mail/test-outbox.ts';

describe.each(testDialects)('record services on %s', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  let pdf: Uint8Array;
  const people: Record<string, InsuredPerson> = {};

  const pro = (rpps: string): Promise<ProfessionalPrincipal> => demoProfessional(ctx, rpps);
  const patient = (person: InsuredPerson): PatientPrincipal => ({
    kind: 'patient',
    patientId: person.id,
    ins: person.ins,
    actsFor: [person.id],
  });
  const input = (person: InsuredPerson, extra: Partial<DepositInput> = {}): DepositInput => ({
    patientId: person.id,
    typeCode: '11488-4',
    title: 'Compte rendu de consultation',
    content: pdf,
    declaredContentType: 'application/pdf',
    ...extra,
  });
  const mails = async (person: InsuredPerson, subject: string) =>
    (await outgoingEmails(ctx)).filter((m) => m.patient_id === person.id && m.subject.includes(subject));
  const traces = (person: InsuredPerson, action: string, outcome: string) =>
    ctx.db
      .selectFrom('audit_events')
      .selectAll()
      .where('patient_id', '=', person.id)
      .where('action', '=', action)
      .where('outcome', '=', outcome)
      .execute();

  // Stored contents: rows of `content_blobs` on PostgreSQL, files under the data folder on SQLite.
  const contentCount = async () => {
    if (dialect === 'postgres') {
      const row = await ctx.db
        .selectFrom('content_blobs')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    }
    const entries = await readdir(path.join(ctx.config.dataDir, 'documents'), { recursive: true }).catch(
      () => [],
    );
    return entries.filter((name) => name.endsWith('.bin')).length;
  };
  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect));
    await seedDemo(ctx);
    pdf = await makePdf('Compte rendu');
    const byIns = {
      jean: '168047505611243',
      marie: '271096912304585',
      chloe: '215027511520318',
      lea: '299083417201149',
      bernard: '152025935001471',
    };
    for (const [name, ins] of Object.entries(byIns))
      people[name] = (await findInsuredByIns(ctx.db, ins as Ins))!;
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('records the depositor as caring for the patient, e-mails a first consultation once', async () => {
    const martin = await pro('10001000115');
    await depositDocuments(ctx, martin, [input(people.jean!)]);
    expect(await mails(people.jean!, 'consulté')).toHaveLength(0);
    const { total } = await searchDocuments(ctx, martin, {
      patientId: people.jean!.id,
      count: 10,
      offset: 0,
    });
    expect(total).toBe(1);
    // A deposit is no consent: listing one's own deposits is not consulting the record.
    expect(await mails(people.jean!, 'consulté')).toHaveLength(0);
    await declareConsent(ctx, martin, people.jean!.id);
    await searchDocuments(ctx, martin, { patientId: people.jean!.id, count: 10, offset: 0 });
    const first = await mails(people.jean!, 'consulté');
    expect(first).toHaveLength(1);
    expect(first[0]!.body_text).toContain('pour la première fois : Dr Claire MARTIN (Médecin)');
    const overview = await getRecordOverview(ctx, patient(people.jean!), people.jean!.id);
    expect(overview.professionals).toEqual([
      expect.objectContaining({ nationalId: '810001000115', status: 'authorised', administrator: false }),
    ]);
    expect(overview.professionals[0]!.firstAccessAt).toBeDefined();
  });

  it('gives a deposit no consent: its author reads their own documents only, the rest after consent', async () => {
    const girard = await pro('10001000818');
    const midwife = await pro('10001000412');
    const bernard = people.bernard!.id;
    const q = { patientId: bernard, count: 10, offset: 0 };
    const [others] = await depositDocuments(ctx, midwife, [input(people.bernard!)]);
    const [own] = await depositDocuments(ctx, girard, [
      input(people.bernard!, { title: 'Soins infirmiers' }),
    ]);
    const found = await searchDocuments(ctx, girard, q);
    expect(found.documents.map((d) => d.id)).toEqual([own!.id]);
    expect(found).toMatchObject({ total: 1, ownDocumentsOnly: true, hiddenByMatrix: 0 });
    expect((await readDocument(ctx, girard, own!.id)).title).toBe('Soins infirmiers');
    await expect(readDocument(ctx, girard, others!.id)).rejects.toMatchObject({
      status: 403,
      code: 'consent-required',
    });
    const row = await ctx.db
      .selectFrom('record_professionals')
      .select('consent_at')
      .where('patient_id', '=', bernard)
      .where('national_id', '=', girard.nationalId)
      .executeTakeFirstOrThrow();
    expect(row.consent_at).toBeNull();
    // The refusal is traced, and so is the list that showed only the author's own deposits.
    const denied = await traces(people.bernard!, 'read', 'denied');
    expect(denied.some((t) => t.target_id === others!.id && t.detail?.includes('consent-required'))).toBe(
      true,
    );
    const listed = await traces(people.bernard!, 'search', 'success');
    expect(listed.some((t) => t.detail?.includes('"ownDocumentsOnly":true'))).toBe(true);
    await declareConsent(ctx, girard, bernard);
    const all = await searchDocuments(ctx, girard, q);
    expect(all.ownDocumentsOnly).toBe(false);
    expect(all.documents.map((d) => d.id).sort()).toEqual([own!.id, others!.id].sort());
    expect((await readDocument(ctx, girard, others!.id)).id).toBe(others!.id);
    expect((await traces(people.bernard!, 'consent', 'success')).length).toBe(1);
  });

  it('leaves no content behind when a deposit fails inside its transaction', async () => {
    const martin = await pro('10001000115');
    const masterIdentifier = `urn:uuid:${crypto.randomUUID()}`;
    // A failure that is no refusal (here the database rejecting the row) rolls the deposit back.
    if (dialect === 'postgres') {
      await sql`create function fail_deposit() returns trigger language plpgsql as $$
        begin raise exception 'injected'; end $$`.execute(ctx.db);
      await sql`create trigger fail_deposit before insert on documents for each row
        when (new.master_identifier = ${sql.lit(masterIdentifier)}) execute function fail_deposit()`.execute(
        ctx.db,
      );
    } else {
      await sql`create trigger fail_deposit before insert on documents
        when new.master_identifier = ${sql.lit(masterIdentifier)}
        begin select raise(abort, 'injected'); end`.execute(ctx.db);
    }
    try {
      const before = await contentCount();
      const inputs = [input(people.marie!, { masterIdentifier }), input(people.marie!)];
      await expect(depositDocuments(ctx, martin, inputs)).rejects.toThrow(/injected/);
      expect(await contentCount()).toBe(before);
    } finally {
      await sql`drop trigger fail_deposit${sql.raw(dialect === 'postgres' ? ' on documents' : '')}`.execute(
        ctx.db,
      );
      if (dialect === 'postgres') await sql`drop function fail_deposit()`.execute(ctx.db);
    }
  });

  it('lets an emergency access through only with a reason and the opt-in, and e-mails each one', async () => {
    const dentist = await pro('10001000511');
    const jean = people.jean!.id;
    const q = { patientId: jean, count: 10, offset: 0 };
    await expect(searchDocuments(ctx, dentist, q)).rejects.toMatchObject({
      status: 403,
      code: 'consent-required',
    });
    await expect(
      startEmergencyAccess(ctx, dentist, jean, { mode: 'bris-de-glace', reason: ' ' }),
    ).rejects.toMatchObject({ code: 'emergency-reason-required' });
    await startEmergencyAccess(ctx, dentist, jean, { mode: 'bris-de-glace', reason: 'Patient inconscient' });
    const emergency = dentist;
    expect((await searchDocuments(ctx, emergency, q)).total).toBe(1);
    const notices = await mails(people.jean!, 'urgence');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body_text).toContain('bris de glace');
    expect(notices[0]!.body_text).not.toContain('inconscient');
    await updateRecordSettings(ctx, patient(people.jean!), people.jean!.id, { allowBrisDeGlace: false });
    await expect(searchDocuments(ctx, emergency, q)).rejects.toMatchObject({
      code: 'emergency-not-allowed',
    });
    expect((await traces(people.jean!, 'search', 'denied')).length).toBe(2);
    expect((await traces(people.jean!, 'emergency-start', 'denied')).length).toBe(1);
    await updateRecordSettings(ctx, patient(people.jean!), people.jean!.id, { allowBrisDeGlace: true });
    await endEmergencyAccess(ctx, dentist, jean);
    await expect(searchDocuments(ctx, dentist, q)).rejects.toMatchObject({ code: 'consent-required' });
  });

  it('keeps no content of a deposit that lost a race for its identifier', async () => {
    const martin = await pro('10001000115');
    const masterIdentifier = `urn:uuid:${crypto.randomUUID()}`;
    const before = await contentCount();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        depositDocuments(ctx, martin, [input(people.marie!, { masterIdentifier })]),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(await contentCount()).toBe(before + 1);
  });

  it('stores every one of a professional’s first deposits in a record made at once', async () => {
    const other = await pro('10001000818');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, () => depositDocuments(ctx, other, [input(people.jean!)])),
    );
    expect(outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : 'ok'))).toEqual(
      Array.from({ length: 5 }, () => 'ok'),
    );
  });

  it('e-mails a minor’s new document to the legal representatives', async () => {
    await depositDocuments(ctx, await pro('10001000115'), [input(people.chloe!)]);
    const sent = await mails(people.chloe!, 'nouveau document');
    expect(sent.map((m) => m.recipient).sort()).toEqual([
      'emilie.rousseau@mail.example',
      'karim.benali@mail.example',
    ]);
    expect(sent[0]!.body_text).toContain('représentant légal');
  });

  it('replaces a version (superseded, still readable) and lets only the author replace', async () => {
    const martin = await pro('10001000115');
    const [v1] = await depositDocuments(ctx, martin, [
      input(people.marie!, { masterIdentifier: 'urn:oid:1.2.3.4.1' }),
    ]);
    const other = await pro('10001000818');
    await depositDocuments(ctx, other, [input(people.marie!)]);
    // Another professional may see Marie's documents only with her consent (a deposit is none).
    await declareConsent(ctx, other, people.marie!.id);
    const count = async () =>
      (await searchDocuments(ctx, martin, { patientId: people.marie!.id, count: 0, offset: 0 })).total;
    const before = await count();
    await expect(
      depositDocuments(ctx, other, [input(people.marie!, { replacesId: v1!.id })]),
    ).rejects.toMatchObject({
      status: 403,
      code: 'not-author',
    });
    expect(await count()).toBe(before);
    expect((await readDocument(ctx, martin, v1!.id)).status).toBe('current');
    const [v2] = await depositDocuments(ctx, martin, [
      input(people.marie!, { masterIdentifier: 'urn:oid:1.2.3.4.2', replacesId: v1!.id }),
    ]);
    expect((await readDocument(ctx, martin, v1!.id)).status).toBe('superseded');
    const current = await searchDocuments(ctx, martin, { patientId: people.marie!.id, count: 10, offset: 0 });
    expect(current.documents.map((d) => d.id)).toContain(v2!.id);
    expect(current.documents.map((d) => d.id)).not.toContain(v1!.id);
    expect((await archiveDocument(ctx, martin, v2!.id)).status).toBe('archived');
    const archived = await searchDocuments(ctx, martin, {
      patientId: people.marie!.id,
      statuses: ['archived'],
      count: 10,
      offset: 0,
    });
    expect(archived.total).toBe(1);
  });

  it('lets the patient upload and delete their own document, never a professional’s', async () => {
    const lea = patient(people.lea!);
    const [own] = await depositDocuments(ctx, lea, [
      input(people.lea!, {
        typeCode: 'DOCPAT01',
        content: Buffer.from('Mes allergies : pénicilline.\n'),
        declaredContentType: 'text/plain',
      }),
    ]);
    expect(own!.author).toMatchObject({ kind: 'patient', patientId: people.lea!.id });
    expect((await retrieveDocumentContent(ctx, lea, own!.id)).content.toString()).toContain('pénicilline');
    const [theirs] = await depositDocuments(ctx, await pro('10001000115'), [input(people.lea!)]);
    await expect(deleteDocument(ctx, lea, theirs!.id)).rejects.toMatchObject({
      status: 403,
      code: 'not-author',
    });
    await deleteDocument(ctx, lea, own!.id);
    const left = await searchDocuments(ctx, lea, { patientId: people.lea!.id, count: 10, offset: 0 });
    expect(left.documents.map((d) => d.id)).toEqual([theirs!.id]);
    await expect(readDocument(ctx, lea, own!.id)).rejects.toMatchObject({ status: 404 });
    await expect(
      depositDocuments(ctx, lea, [input(people.lea!, { typeCode: 'DOCPAT01', content: pdf, title: ' ' })]),
    ).rejects.toMatchObject({ status: 400, code: 'title-required' });
  });

  it('keeps an INVISIBLE_PATIENT document out of the patient’s list, e-mails and history', async () => {
    const martin = await pro('10001000115');
    const before = (await mails(people.marie!, 'nouveau document')).length;
    const [hidden] = await depositDocuments(ctx, martin, [
      input(people.marie!, { title: 'Annonce à faire', confidentiality: ['INVISIBLE_PATIENT'] }),
    ]);
    expect(await mails(people.marie!, 'nouveau document')).toHaveLength(before);
    const marie = patient(people.marie!);
    const seen = await searchDocuments(ctx, marie, { patientId: people.marie!.id, count: 50, offset: 0 });
    expect(seen.documents.map((d) => d.id)).not.toContain(hidden!.id);
    const history = await accessHistory(ctx, marie, people.marie!.id, { count: 50, offset: 0 });
    expect(history.entries.some((e) => e.documentTitle === 'Annonce à faire')).toBe(false);
    const traces = await listAuditEntries(ctx, marie, people.marie!.id, { count: 500, offset: 0 });
    expect(traces.entries.some((e) => e.targetId === hidden!.id)).toBe(false);
    expect(traces.total).toBe(traces.entries.length);
    await changeConfidentiality(ctx, martin, hidden!.id, { remove: ['INVISIBLE_PATIENT'] });
    const lifted = await listAuditEntries(ctx, marie, people.marie!.id, { count: 500, offset: 0 });
    expect(lifted.entries.some((e) => e.targetId === hidden!.id && e.action === 'deposit')).toBe(true);
    expect(history.entries.some((e) => e.action === 'deposit' && e.actorProfession === 'Médecin')).toBe(true);
    expect(history.entries[0]!.action).toBe('search');
  });

  it('masks new professional deposits when the patient asked so, and counts deposits per month', async () => {
    await updateRecordSettings(ctx, patient(people.marie!), people.marie!.id, { maskNewDocuments: true });
    const [masked] = await depositDocuments(ctx, await pro('10001000115'), [input(people.marie!)]);
    expect(masked!.confidentiality).toContain('MASQUE_PS');
    const month = ctx.clock.now().toISOString().slice(0, 7);
    const counts = await depositCountsByMonth(ctx, await pro('10001000115'));
    const total = await ctx.db
      .selectFrom('documents')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('author_national_id', '=', '810001000115')
      .executeTakeFirstOrThrow();
    expect(counts).toEqual([{ month, count: Number(total.n) }]);
  });
});
