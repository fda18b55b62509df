import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatientPrincipal } from '../access/index.ts';
import type { AppContext } from '../app/index.ts';
import { createTestContext } from '../auth/test-context.ts';
import { seedDemo } from '../demo/index.ts';
import type { Ins } from '../identity/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../insured/index.ts';
import { parseCda, readDocument } from '../record/index.ts';
import { makePdf } from '../record/content/test-files.ts';
import { type TestDatabase, testDialects } from '../storage/test-databases.ts';
import {
  checkRecipient,
  fileAttachmentIntoRecord,
  listCommunications,
  listInbox,
  readAttachment,
  readThread,
  receiveInbound,
  replyInThread,
} from './index.ts';
import { INVITATION_SUBJECT, NEW_MESSAGE_SUBJECT } from './notices.ts';
import { exampleCda, professionalMessage, xdmPackage } from './test-fixtures.ts';
import { outgoingEmails } from '../mail/test-outbox.ts';
import { up as sealSubjectsMigration } from '../storage/index.ts';
import { sql, type Kysely } from 'kysely';

const D = 'patient.mssante.fr';
const MARTIN = 'dr.martin@cabinet.mssante.fr';

describe.each(testDialects)('messaging services on %s', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  const people: Record<string, InsuredPerson> = {};
  const patient = (p: InsuredPerson): PatientPrincipal => ({
    kind: 'patient',
    patientId: p.id,
    ins: p.ins,
    actsFor: [p.id],
  });
  const to = (p: InsuredPerson) => `${p.ins}@${D}`;
  const deliver = async (raw: Buffer, recipients: string[], envelopeFrom = MARTIN) =>
    receiveInbound(ctx, { envelopeFrom, recipients, raw });
  const outbox = async (recipient: string) =>
    (await outgoingEmails(ctx)).filter((m) => m.recipient === recipient);
  const counts = async (p: InsuredPerson) => {
    const m = await ctx.db.selectFrom('mss_messages').select('id').where('patient_id', '=', p.id).execute();
    const a = await ctx.db
      .selectFrom('mss_attachments')
      .select('id')
      .where('patient_id', '=', p.id)
      .execute();
    return [m.length, a.length];
  };

  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect));
    await seedDemo(ctx);
    const byIns = {
      jean: '168047505611243',
      marie: '271096912304585',
      alain: '164053818509916',
      pierre: '160074410906766',
      sandrine: '282016748209006',
      karim: '185121305523150',
    };
    for (const [name, ins] of Object.entries(byIns))
      people[name] = (await findInsuredByIns(ctx.db, ins as Ins))!;
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('decides RCPT: created and activated accepted, opposed reported by DSN, unknown, bad key and patient sender refused', async () => {
    expect(await checkRecipient(ctx, to(people.jean!))).toMatchObject({ accept: true, state: 'activated' });
    expect(await checkRecipient(ctx, to(people.pierre!).toUpperCase())).toMatchObject({
      accept: true,
      state: 'created',
    });
    expect(await checkRecipient(ctx, to(people.alain!))).toEqual({ accept: 'defer-dsn', reason: 'opposed' });
    expect(await checkRecipient(ctx, `185057800608436@${D}`)).toMatchObject({
      accept: false,
      enhanced: '5.1.1',
    });
    expect(await checkRecipient(ctx, `16804750561120@${D}`.replace('0@', '00@'))).toMatchObject({
      accept: false,
    });
    expect(await checkRecipient(ctx, to(people.jean!), to(people.marie!))).toMatchObject({
      enhanced: '5.7.1',
    });
  });

  it('stores a message once, notifies without content, keeps retries out, and threads the patient’s reply', async () => {
    const jean = people.jean!;
    const pdf = Buffer.from(await makePdf('Résultats TSH'));
    const raw = await professionalMessage({
      messageId: '<m1@cabinet.mssante.fr>',
      subject: 'Vos résultats de biologie',
      html: '<p>Bonjour <b>Jean</b></p><script>alert(1)</script>',
      text: undefined,
      attachments: [{ filename: 'resultats.pdf', content: pdf }],
    });
    const first = await deliver(raw, [to(jean)]);
    expect(first).toEqual({
      stored: [{ patientId: jean.id, messageId: 'm1@cabinet.mssante.fr', duplicate: false }],
      dsnSent: [],
    });
    expect(await deliver(raw, [to(jean)])).toMatchObject({ stored: [{ duplicate: true }] });
    expect(await counts(jean)).toEqual([1, 1]);
    const notices = (await outbox(jean.email!)).filter((r) => r.subject === NEW_MESSAGE_SUBJECT);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body_text).toContain('Un professionnel de santé vous a écrit');
    expect(notices[0]!.body_text).not.toMatch(/biologie|Martin|résultats/i);

    const inbox = await listInbox(ctx, patient(jean), jean.id);
    expect(inbox).toEqual([
      expect.objectContaining({ subject: 'Vos résultats de biologie', unreadCount: 1, closed: false }),
    ]);
    const thread = await readThread(ctx, patient(jean), jean.id, inbox[0]!.threadId);
    expect(thread.patientAddress).toBe(`${jean.ins}@${D}`);
    expect(thread.canReply).toBe(true);
    expect(thread.messages[0]!.text).toContain('Bonjour JEAN'.replace('JEAN', 'Jean'));
    expect(thread.messages[0]!.text).not.toMatch(/<b>|<script|alert/);
    const stored = await ctx.db
      .selectFrom('mss_messages')
      .select('body_text')
      .where('patient_id', '=', jean.id)
      .execute();
    expect(stored.map((r) => r.body_text).join()).not.toContain('Bonjour');
    expect(thread.messages[0]!.attachments).toEqual([
      expect.objectContaining({
        filename: 'resultats.pdf',
        kind: 'pdf',
        viewable: true,
        contentType: 'application/pdf',
      }),
    ]);
    expect((await listInbox(ctx, patient(jean), jean.id))[0]!.unreadCount).toBe(0);
    const file = await readAttachment(ctx, patient(jean), jean.id, thread.messages[0]!.attachments[0]!.id);
    expect(file.content.equals(pdf)).toBe(true);

    const reply = await replyInThread(ctx, patient(jean), jean.id, thread.threadId, {
      text: 'Merci docteur',
      attachments: [
        { filename: 'question.txt', contentType: 'text/plain', content: Buffer.from('Ma question') },
      ],
    });
    expect(reply).toMatchObject({
      direction: 'outbound',
      inReplyTo: 'm1@cabinet.mssante.fr',
      subject: 'Re: Vos résultats de biologie',
    });
    const queued = await outbox(MARTIN);
    expect(queued).toHaveLength(1);
    expect(queued[0]!.envelope_from).toBe(`${jean.ins}@${D}`);
    expect(queued[0]!.raw_mime).toMatch(/In-Reply-To: <m1@cabinet\.mssante\.fr>/);
    expect(queued[0]!.raw_mime).toMatch(/X-MSS-NIL: 1/);
    expect(queued[0]!.raw_mime).toMatch(/filename=question\.txt/);

    // The professional answers the reply: it joins the thread through In-Reply-To.
    const answer = await professionalMessage({
      messageId: '<m2@cabinet.mssante.fr>',
      inReplyTo: `<${reply.messageId}>`,
      references: ['<m1@cabinet.mssante.fr>', `<${reply.messageId}>`],
      subject: 'Re: Vos résultats de biologie',
    });
    await deliver(answer, [to(jean)]);
    const after = await readThread(ctx, patient(jean), jean.id, thread.threadId);
    expect(after.messages.map((m) => m.direction)).toEqual(['inbound', 'outbound', 'inbound']);
    const audit = await ctx.db
      .selectFrom('audit_events')
      .select(['action', 'target_type'])
      .where('patient_id', '=', jean.id)
      .execute();
    expect(audit.filter((a) => a.action === 'message-reply')).toHaveLength(1);
    expect(audit.filter((a) => a.action === 'message-read').length).toBeGreaterThanOrEqual(4);
  });

  it('closes on [FIN] or X-MSS-MES: FIN only, shows who, and then refuses the reply', async () => {
    const marie = people.marie!;
    for (const [id, extra] of [
      ['f1', { subject: 'Re: [FIN]' }],
      ['f2', { subject: 'Suivi', headers: { 'X-MSS-MES': 'FIN' } }],
      ['f3', { subject: ' [FIN] ' }],
    ] as const) {
      const open = await professionalMessage({ messageId: `<${id}-open@cabinet>`, subject: 'Suivi' });
      await deliver(open, [to(marie)]);
      await deliver(
        await professionalMessage({
          messageId: `<${id}@cabinet>`,
          inReplyTo: `<${id}-open@cabinet>`,
          ...extra,
        }),
        [to(marie)],
      );
    }
    const threads = await listInbox(ctx, patient(marie), marie.id);
    expect(threads.map((t) => t.closed).sort()).toEqual([false, true, true]);
    const closed = threads.find((t) => t.closed)!;
    const view = await readThread(ctx, patient(marie), marie.id, closed.threadId);
    expect(view.canReply).toBe(false);
    expect(view.closed).toMatchObject({ by: { address: MARTIN, name: 'Dr Claire Martin' } });
    await expect(
      replyInThread(ctx, patient(marie), marie.id, closed.threadId, {
        text: 'Encore une question',
        attachments: [],
      }),
    ).rejects.toMatchObject({ status: 403, code: 'thread-closed' });
  });

  // Security review regression: fails on 027241f, before the fix.
  it('refuses a header From other than the envelope sender: replies go to the authenticated sender only', async () => {
    const jean = people.jean!;
    const before = await counts(jean);
    const spoofed = await professionalMessage({
      from: 'Dr Faux <attacker@gmail.example>',
      messageId: '<spoofed@cabinet.mssante.fr>',
    });
    await expect(deliver(spoofed, [to(jean)])).rejects.toMatchObject({
      status: 403,
      code: 'sender-mismatch',
    });
    await expect(deliver(spoofed, [to(jean)], '')).rejects.toMatchObject({ code: 'sender-mismatch' });
    expect(await counts(jean)).toEqual(before);
    // Case aside, the same address is the same sender.
    const shouted = await professionalMessage({
      from: 'Dr Martin <Dr.Martin@CABINET.mssante.fr>',
      messageId: '<shouted@cabinet.mssante.fr>',
    });
    await expect(deliver(shouted, [to(jean)])).resolves.toMatchObject({ stored: [{ duplicate: false }] });
  });

  // Security review regression: fails on 027241f, before the fix.
  it('sends no reply in a conversation stored with a sender outside the operators, once they are listed', async () => {
    const jean = people.jean!;
    const raw = await professionalMessage({
      messageId: '<legacy-sender@cabinet.mssante.fr>',
      subject: 'Ancien',
    });
    await deliver(raw, [to(jean)]);
    const thread = (await listInbox(ctx, patient(jean), jean.id)).find((t) => t.subject === 'Ancien')!;
    // As a conversation opened before the gateway bound the header From to the envelope could be.
    await ctx.db
      .updateTable('mss_threads')
      .set({ professional_address: 'attacker@gmail.example' })
      .where('id', '=', thread.threadId)
      .execute();
    const listed = {
      ...ctx,
      config: { ...ctx.config, smtpGateway: { ...ctx.config.smtpGateway, operatorDomains: ['mssante.fr'] } },
    };
    await expect(
      replyInThread(listed, patient(jean), jean.id, thread.threadId, { text: 'Merci', attachments: [] }),
    ).rejects.toMatchObject({ status: 403, code: 'reply-not-operator' });
    expect(await outbox('attacker@gmail.example')).toEqual([]);
  });

  // Security review regression: fails on 027241f, before the fix.
  it('keeps subjects sealed at rest, shows them in the mailbox, and seals those stored in clear', async () => {
    const jean = people.jean!;
    const raw = await professionalMessage({
      messageId: '<subject-1@cabinet.mssante.fr>',
      subject: 'Résultat de votre biopsie',
    });
    await deliver(raw, [to(jean)]);
    const summary = (await listInbox(ctx, patient(jean), jean.id)).find(
      (t) => t.subject === 'Résultat de votre biopsie',
    )!;
    expect(summary).toBeDefined();
    const thread = await readThread(ctx, patient(jean), jean.id, summary.threadId);
    expect(thread.subject).toBe('Résultat de votre biopsie');
    expect(thread.messages[0]!.subject).toBe('Résultat de votre biopsie');
    const reply = await replyInThread(ctx, patient(jean), jean.id, thread.threadId, {
      text: 'Merci',
      attachments: [],
    });
    expect(reply.subject).toBe('Re: Résultat de votre biopsie');
    const atRest = async () =>
      JSON.stringify([
        await ctx.db.selectFrom('mss_threads').select('subject').execute(),
        await ctx.db.selectFrom('mss_messages').select('subject').execute(),
      ]);
    expect(await atRest()).not.toMatch(/biopsie/);

    // Rows an older version wrote in clear: sealed by migration 012, then read as before.
    await ctx.db
      .updateTable('mss_threads')
      .set({ subject: 'Ancien objet : chimiothérapie' })
      .where('id', '=', thread.threadId)
      .execute();
    await ctx.db
      .updateTable('mss_messages')
      .set({ subject: 'Ancien objet : chimiothérapie' })
      .where('id', '=', thread.messages[0]!.id)
      .execute();
    expect(await atRest()).toMatch(/chimioth/);
    await sealSubjectsMigration(ctx.db as unknown as Kysely<unknown>, ctx.config);
    expect(await atRest()).not.toMatch(/chimioth/);
    await sealSubjectsMigration(ctx.db as unknown as Kysely<unknown>, ctx.config); // idempotent
    const sealed = await readThread(ctx, patient(jean), jean.id, thread.threadId);
    expect([sealed.subject, sealed.messages[0]!.subject]).toEqual([
      'Ancien objet : chimiothérapie',
      'Ancien objet : chimiothérapie',
    ]);
  });

  it('never lets a patient address open a conversation, nor read another mailbox', async () => {
    const jean = people.jean!;
    const fromPatient = await professionalMessage({ from: to(people.marie!), messageId: '<p1@patient>' });
    await expect(deliver(fromPatient, [to(jean)], 'relay@operator.fr')).rejects.toMatchObject({
      code: 'patient-cannot-open',
    });
    await expect(listInbox(ctx, patient(people.marie!), jean.id)).rejects.toMatchObject({ status: 403 });
    await expect(
      replyInThread(ctx, patient(people.marie!), jean.id, 'whatever', { text: 'x', attachments: [] }),
    ).rejects.toMatchObject({ status: 403 });
    const denied = await ctx.db
      .selectFrom('audit_events')
      .select('action')
      .where('patient_id', '=', jean.id)
      .where('outcome', '=', 'denied')
      .execute();
    expect(denied.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses malformed MIME and stores nothing', async () => {
    const before = await counts(people.jean!);
    const broken = Buffer.from(
      `From: ${MARTIN}\r\nTo: ${to(people.jean!)}\r\nContent-Type: multipart/mixed; boundary="zz"\r\n\r\nno parts here\r\n`,
    );
    await expect(deliver(broken, [to(people.jean!)])).rejects.toMatchObject({
      code: 'mime-malformed',
      status: 400,
    });
    await expect(deliver(Buffer.from('\x00\x01garbage'), [to(people.jean!)])).rejects.toMatchObject({
      code: 'mime-malformed',
    });
    await expect(
      deliver(Buffer.from('Subject: x\r\n\r\nno sender'), [to(people.jean!)]),
    ).rejects.toMatchObject({
      code: 'mime-malformed',
    });
    expect(await counts(people.jean!)).toEqual(before);
  });

  it('keeps a message for a created profile, invites once, and sends a DSN for a recipient opposed since RCPT', async () => {
    const pierre = people.pierre!;
    const alain = people.alain!;
    const raw = await professionalMessage({ messageId: '<c1@cabinet>', subject: 'Bienvenue' });
    const result = await deliver(raw, [to(pierre), to(alain)]);
    expect(result.stored).toEqual([{ patientId: pierre.id, messageId: 'c1@cabinet', duplicate: false }]);
    expect(result.dsnSent).toEqual([to(alain)]);
    await deliver(await professionalMessage({ messageId: '<c2@cabinet>' }), [to(pierre)]);
    const invitations = (await outbox(pierre.email!)).filter((r) => r.subject === INVITATION_SUBJECT);
    expect(invitations).toHaveLength(1);
    expect(invitations[0]!.subject).toMatch(/activez/);
    expect(invitations[0]!.body_text).toContain('/activation');
    const dsn = (await outbox(MARTIN)).find((r) => r.raw_mime?.includes('delivery-status'))!;
    expect(dsn.envelope_from).toBe('');
    expect(dsn.raw_mime).toContain(`Final-Recipient: rfc822; ${to(alain)}`);
    expect(dsn.raw_mime).toContain('Status: 5.1.1');
    await expect(listInbox(ctx, patient(pierre), pierre.id)).rejects.toMatchObject({ status: 403 });
    await ctx.db
      .updateTable('patients')
      .set({ profile_state: 'activated' })
      .where('id', '=', pierre.id)
      .execute();
    const threads = await listInbox(ctx, patient(pierre), pierre.id);
    expect(threads.reduce((n, t) => n + t.unreadCount, 0)).toBe(2);
  });

  it('dates a filed attachment from its message, but never later than the message arrived', async () => {
    const karim = people.karim!;
    await ctx.db
      .updateTable('patients')
      .set({ profile_state: 'activated' })
      .where('id', '=', karim.id)
      .execute();
    // A sender's clock a week ahead: the Date: header says next week.
    const ahead = new Date(ctx.clock.now().getTime() + 7 * 86_400_000);
    const raw = await professionalMessage({
      messageId: '<ahead@cabinet>',
      subject: 'Compte rendu daté de demain',
      date: ahead,
      attachments: [{ filename: 'cr.pdf', content: Buffer.from(await makePdf('CR')) }],
    });
    await deliver(raw, [to(karim)]);
    const [summary] = await listInbox(ctx, patient(karim), karim.id);
    const [message] = (await readThread(ctx, patient(karim), karim.id, summary!.threadId)).messages;
    const filed = await fileAttachmentIntoRecord(
      ctx,
      patient(karim),
      karim.id,
      message!.id,
      message!.attachments[0]!.id,
    );
    expect(filed.title).toBe('Compte rendu daté de demain');
    expect(Date.parse(filed.createdAt)).toBeLessThanOrEqual(ctx.clock.now().getTime());
  });

  it('unpacks IHE_XDM.ZIP, records X-MSS-* and files the CDA as the professional’s document', async () => {
    const sandrine = people.sandrine!;
    await ctx.db
      .updateTable('patients')
      .set({ profile_state: 'activated' })
      .where('id', '=', sandrine.id)
      .execute();
    const raw = await professionalMessage({
      messageId: '<x1@cabinet>',
      subject: 'Lettre de liaison',
      headers: { 'X-MSS-CODECDA': '11490-0', 'X-MSS-INS': 'O', 'X-MSS-NIL': '2' },
      attachments: [
        { filename: 'IHE_XDM.ZIP', content: xdmPackage(exampleCda()), contentType: 'application/zip' },
      ],
    });
    await deliver(raw, [to(sandrine)]);
    const [summary] = await listInbox(ctx, patient(sandrine), sandrine.id);
    const [message] = (await readThread(ctx, patient(sandrine), sandrine.id, summary!.threadId)).messages;
    expect(message!.mssHeaders).toMatchObject({ 'x-mss-codecda': '11490-0', 'x-mss-ins': 'O' });
    expect(message!.attachments.map((a) => [a.filename, a.kind, a.fromXdm])).toEqual([
      ['IHE_XDM.ZIP', 'other', undefined],
      ['METADATA.XML', 'xdm-metadata', 'IHE_XDM.ZIP'],
      ['DOC0001.XML', 'cda', 'IHE_XDM.ZIP'],
    ]);
    const cda = message!.attachments[2]!;
    await expect(
      fileAttachmentIntoRecord(ctx, patient(sandrine), sandrine.id, message!.id, message!.attachments[0]!.id),
    ).rejects.toMatchObject({ code: 'attachment-not-fileable' });
    const doc = await fileAttachmentIntoRecord(ctx, patient(sandrine), sandrine.id, message!.id, cda.id);
    // Titled from the message's subject (not the file's name), dated from the CDA's own header.
    expect(doc).toMatchObject({ typeCode: '11490-0', contentType: 'text/xml', title: 'Lettre de liaison' });
    expect(doc.title).not.toBe('DOC0001');
    const header = parseCda(exampleCda().toString());
    if (header instanceof Error) throw header;
    expect(doc.createdAt).toBe(new Date(header.header.effectiveTime!).toISOString());
    expect(doc.author).toMatchObject({
      kind: 'professional',
      name: 'Dr Claire MARTIN',
      nationalId: '810001000115',
    });
    expect((await readDocument(ctx, patient(sandrine), doc.id)).author.name).toBe('Dr Claire MARTIN');
    await expect(
      fileAttachmentIntoRecord(ctx, patient(sandrine), sandrine.id, message!.id, cda.id),
    ).rejects.toMatchObject({ status: 409 });
    const deposit = await ctx.db
      .selectFrom('audit_events')
      .select(['actor_kind', 'detail'])
      .where('patient_id', '=', sandrine.id)
      .where('action', '=', 'deposit')
      .execute();
    expect(deposit).toEqual([expect.objectContaining({ actor_kind: 'patient' })]);
    expect(deposit[0]!.detail).toContain('filedFromMessage');
    const page = await listCommunications(ctx, patient(sandrine), sandrine.id, { offset: 0, count: 10 });
    expect(page.total).toBe(1);
  });

  it('files an attachment in one transaction: when marking it filed fails, no document is left either', async () => {
    const karim = people.karim!;
    await ctx.db
      .updateTable('patients')
      .set({ profile_state: 'activated' })
      .where('id', '=', karim.id)
      .execute();
    const raw = await professionalMessage({
      messageId: '<one-transaction@cabinet>',
      subject: 'Compte rendu à classer',
      attachments: [{ filename: 'cr.pdf', content: Buffer.from(await makePdf('CR')) }],
    });
    await deliver(raw, [to(karim)]);
    const summary = (await listInbox(ctx, patient(karim), karim.id)).find(
      (t) => t.subject === 'Compte rendu à classer',
    );
    const [message] = (await readThread(ctx, patient(karim), karim.id, summary!.threadId)).messages;
    const attachment = message!.attachments[0]!;
    const documents = async () =>
      (
        await ctx.db
          .selectFrom('documents')
          .select('id')
          .where('patient_id', '=', karim.id)
          .where('filed_from_message', '=', message!.id)
          .execute()
      ).length;
    // The database refuses the "filed" mark: the second half of filing fails after the document is written.
    if (dialect === 'sqlite') {
      await sql`create trigger refuse_filed_mark before update of filed_document_id on mss_attachments
        begin select raise(abort, 'filed mark refused'); end`.execute(ctx.db);
    } else {
      await sql`create function refuse_filed_mark() returns trigger language plpgsql
        as $$ begin raise exception 'filed mark refused'; end $$`.execute(ctx.db);
      await sql`create trigger refuse_filed_mark before update of filed_document_id on mss_attachments
        for each row execute function refuse_filed_mark()`.execute(ctx.db);
    }
    try {
      await expect(
        fileAttachmentIntoRecord(ctx, patient(karim), karim.id, message!.id, attachment.id),
      ).rejects.toThrow(/filed mark refused/);
    } finally {
      await (
        dialect === 'sqlite'
          ? sql`drop trigger refuse_filed_mark`
          : sql`drop trigger refuse_filed_mark on mss_attachments`
      ).execute(ctx.db);
    }
    expect(await documents()).toBe(0);
    const mark = await ctx.db
      .selectFrom('mss_attachments')
      .select('filed_document_id')
      .where('patient_id', '=', karim.id)
      .where('id', '=', attachment.id)
      .executeTakeFirstOrThrow();
    expect(mark.filed_document_id).toBeNull();
    // Once the failure is gone, filing works and both halves are there.
    const doc = await fileAttachmentIntoRecord(ctx, patient(karim), karim.id, message!.id, attachment.id);
    expect(await documents()).toBe(1);
    const filed = await ctx.db
      .selectFrom('mss_attachments')
      .select('filed_document_id')
      .where('patient_id', '=', karim.id)
      .where('id', '=', attachment.id)
      .executeTakeFirstOrThrow();
    expect(filed.filed_document_id).toBe(doc.id);
  });
});
