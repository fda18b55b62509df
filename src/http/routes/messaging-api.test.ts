import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPatientSession, PATIENT_SESSION_COOKIE, issuePatientAccessToken } from '../../auth/index.ts';
import { seedDemo } from '../../demo/index.ts';
import type { Ins, PatientId } from '../../identity/index.ts';
import { issueDevAccessToken } from '../../idp/index.ts';
import { findInsuredByIns } from '../../insured/index.ts';
import { receiveInbound } from '../../messaging/index.ts';
import { parseCda } from '../../record/index.ts';
import { CDA_EXAMPLES } from '../../record/content/test-files.ts';
import { startTestCarnet, type TestCarnet } from '../../server/test-server.ts';
import { testDialects } from '../../storage/test-databases.ts';

const martin = 'dr.martin@cabinet.mssante.fr';
const jeanIns = '168047505611243';
const jeanAddress = `${jeanIns}@patient.mssante.fr`;
const bare = (id: string | null | undefined) => (id ?? '').replace(/^<|>$/g, '');

async function samplePdf(text: string): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([300, 200]);
  page.drawText(text, { x: 20, y: 150, size: 12, font: await pdf.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await pdf.save());
}

/** An `IHE_XDM.ZIP` as a sender's software makes it: METADATA.XML naming one CDA document (built with Debian's zip). */
async function xdmZip(cda: Buffer): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'carnet-xdm-'));
  try {
    await mkdir(join(dir, 'IHE_XDM', 'SUBSET01'), { recursive: true });
    const metadata = `<?xml version="1.0" encoding="UTF-8"?>
<lcm:SubmitObjectsRequest xmlns:lcm="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0" xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0">
  <rim:RegistryObjectList>
    <rim:ExtrinsicObject id="Document01" mimeType="text/xml" objectType="urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1">
      <rim:Slot name="URI"><rim:ValueList><rim:Value>DOC0001.XML</rim:Value></rim:ValueList></rim:Slot>
    </rim:ExtrinsicObject>
  </rim:RegistryObjectList>
</lcm:SubmitObjectsRequest>`;
    await writeFile(join(dir, 'IHE_XDM', 'SUBSET01', 'METADATA.XML'), metadata);
    await writeFile(join(dir, 'IHE_XDM', 'SUBSET01', 'DOC0001.XML'), cda);
    await promisify(execFile)('zip', ['-qr', 'IHE_XDM.ZIP', 'IHE_XDM'], { cwd: dir });
    return await readFile(join(dir, 'IHE_XDM.ZIP'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const mime = (options: Mail.Options): Promise<Buffer> => new MailComposer(options).compile().build();

/** A multipart body as the reply form sends it: `text` and files named `files`. */
function replyForm(text: string, files: { name: string; type: string; bytes: Buffer }[]) {
  const boundary = '----carnet-reply-boundary';
  const parts = [
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\n${text}\r\n`),
    ...files.flatMap((f) => [
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`,
      ),
      f.bytes,
      Buffer.from('\r\n'),
    ]),
    Buffer.from(`--${boundary}--\r\n`),
  ];
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe.each(testDialects)('patient messaging API and FHIR Communication on %s', (dialect) => {
  let carnet: TestCarnet;
  let jean: PatientId;
  let cookie: string;
  let otherCookie: string;
  const firstId = `<bilan-${dialect}@cabinet.mssante.fr>`;

  beforeAll(async () => {
    carnet = await startTestCarnet(dialect);
    await seedDemo(carnet.ctx);
    jean = (await findInsuredByIns(carnet.ctx.db, jeanIns as Ins))!.id;
    const other = (await findInsuredByIns(carnet.ctx.db, '271096912304585' as Ins))!.id;
    const now = carnet.ctx.clock.now();
    cookie = `${PATIENT_SESSION_COOKIE}=${(await createPatientSession(carnet.ctx.db, jean, now)).token}`;
    otherCookie = `${PATIENT_SESSION_COOKIE}=${(await createPatientSession(carnet.ctx.db, other, now)).token}`;
    const raw = await mime({
      from: `Dr Claire Martin <${martin}>`,
      to: jeanAddress,
      subject: 'Résultats de votre bilan',
      messageId: firstId,
      date: new Date('2026-03-02T09:30:00Z'),
      headers: { 'X-MSS-NIL': 'dmp' },
      text: 'Bonjour,\nvos résultats sont normaux.\nDr Martin',
      attachments: [
        { filename: 'bilan.pdf', content: await samplePdf('Bilan sanguin'), contentType: 'application/pdf' },
      ],
    });
    await receiveInbound(carnet.ctx, { envelopeFrom: martin, recipients: [jeanAddress], raw });
  }, 60_000);
  afterAll(() => carnet?.stop());

  const get = (url: string, as = cookie) =>
    carnet.app.inject({ method: 'GET', url, headers: { cookie: as } });
  const inbox = () => `/api/patient/messages/${jean}`;
  type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  let thread: Json;

  async function sendReply(text: string, files: { name: string; type: string; bytes: Buffer }[] = []) {
    const form = replyForm(text, files);
    return carnet.app.inject({
      method: 'POST',
      url: `${inbox()}/threads/${thread.threadId}/reply`,
      headers: { cookie, 'content-type': form.contentType },
      payload: form.payload,
    });
  }

  it('lists the conversation as unread with the professional and a preview, then reads it', async () => {
    const before = (await get(inbox())).json();
    expect(before).toMatchObject({ address: jeanAddress, unread: 1 });
    expect(before.threads).toHaveLength(1);
    expect(before.threads[0]).toMatchObject({
      subject: 'Résultats de votre bilan',
      professional: { address: martin },
      unreadCount: 1,
      closed: null,
      lastMessage: { direction: 'inbound', attachments: 1 },
    });
    expect(before.threads[0].lastMessage.excerpt).toContain('vos résultats sont normaux.');

    const answer = await get(`${inbox()}/threads/${before.threads[0].threadId}`);
    expect(answer.statusCode).toBe(200);
    thread = answer.json();
    expect(thread).toMatchObject({ canReply: true, closed: null, patientAddress: jeanAddress });
    expect(thread.messages[0]).toMatchObject({
      direction: 'inbound',
      from: { address: martin },
      text: expect.stringContaining('vos résultats sont normaux.'),
      attachments: [{ filename: 'bilan.pdf', kind: 'pdf', contentType: 'application/pdf', canFile: true }],
    });
    expect((await get(inbox())).json()).toMatchObject({ unread: 0, threads: [{ unreadCount: 0 }] });
  });

  it('shows a PDF attachment inline and downloads it on request', async () => {
    const pdf = thread.messages[0].attachments[0];
    const inline = await get(pdf.contentUrl);
    expect(inline.statusCode).toBe(200);
    expect(inline.headers['content-type']).toBe('application/pdf');
    expect(inline.headers['content-disposition']).toMatch(/^inline; filename="bilan.pdf"/);
    expect(inline.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await get(pdf.downloadUrl)).headers['content-disposition']).toMatch(/^attachment/);
  });

  it('keeps another patient out of the mailbox', async () => {
    const answer = await get(inbox(), otherCookie);
    expect(answer.statusCode).toBe(403);
    expect(answer.json().error.code).toBe('not-own-mailbox');
    expect((await get(thread.messages[0].attachments[0].contentUrl, otherCookie)).statusCode).toBe(403);
  });

  it('sends the patient’s reply with its attachment, threaded on the professional’s message', async () => {
    expect((await sendReply('   ')).json().error.code).toBe('reply-empty');
    const sent = await sendReply('Merci docteur, voici mon ordonnance.', [
      { name: 'ordonnance.txt', type: 'text/plain', bytes: Buffer.from('Paracétamol 1 g') },
    ]);
    expect(sent.statusCode).toBe(201);
    expect(bare(sent.json().inReplyTo)).toBe(bare(firstId));
    const again = (await get(`${inbox()}/threads/${thread.threadId}`)).json();
    expect(again.messages.map((m: Json) => m.direction)).toEqual(['inbound', 'outbound']);
    expect(again.messages[1].attachments[0]).toMatchObject({ filename: 'ordonnance.txt' });
  });

  it('after [FIN] shows who closed the exchange and refuses any reply', async () => {
    const raw = await mime({
      from: `Dr Claire Martin <${martin}>`,
      to: jeanAddress,
      subject: '[FIN]',
      inReplyTo: firstId,
      references: [firstId],
      text: 'Bonne continuation.',
    });
    await receiveInbound(carnet.ctx, { envelopeFrom: martin, recipients: [jeanAddress], raw });
    const closed = (await get(`${inbox()}/threads/${thread.threadId}`)).json();
    expect(closed.canReply).toBe(false);
    expect(closed.messages.map((m: Json) => m.subject)).toEqual([
      'Résultats de votre bilan',
      expect.stringMatching(/Résultats de votre bilan$/),
      '[FIN]',
    ]);
    expect(closed.closed.by.address).toBe(martin);
    const listed = (await get(inbox())).json();
    expect(listed.threads).toHaveLength(1);
    expect(listed.threads[0].closed.by.address).toBe(martin);

    const refused = await sendReply('Encore une question');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('thread-closed');
    expect(refused.json().error.message).toMatch(
      /Dr Claire Martin a clôturé cet échange : vous ne pouvez plus/,
    );
  });

  it('files the received PDF into the record as a document from the professional, titled as the patient says and dated from the message', async () => {
    const pdf = thread.messages[0].attachments[0];
    const file = (payload?: object) =>
      carnet.app.inject({
        method: 'POST',
        url: `${inbox()}/messages/${pdf.messageId}/attachments/${pdf.id}/file`,
        headers: { cookie },
        ...(payload ? { payload } : {}),
      });
    // Proposed to the patient: the message's subject, not the file's name.
    expect(pdf.filingTitle).toBe('Résultats de votre bilan');
    const blank = await file({ title: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error).toMatchObject({
      code: 'title-required',
      message: 'Indiquez un titre pour le document.',
    });
    expect((await file({ title: 42 })).json().error.code).toBe('title-invalid');
    const filed = await file({ title: ' Bilan sanguin  de mars ' });
    expect(filed.statusCode).toBe(201);
    const doc = filed.json();
    expect(doc).toMatchObject({
      contentType: 'application/pdf',
      uploadedByPatient: false,
      title: 'Bilan sanguin de mars',
    });
    // The document's date is the message's, not the day it was filed.
    expect(doc.createdAt).toBe('2026-03-02T09:30:00.000Z');
    const record = (await get(`/api/patient/record/${jean}/documents`)).json();
    const ids = record.groups.flatMap((g: Json) => g.documents.map((d: Json) => d.id));
    expect(ids).toContain(doc.id);
    const after = (await get(`${inbox()}/threads/${thread.threadId}`)).json();
    expect(after.messages[0].attachments[0].filedDocumentId).toBe(doc.id);
  });

  it('serves the messages as FHIR Communication to the patient’s token only', async () => {
    const token = await issuePatientAccessToken(carnet.ctx, jean);
    const fhir = (url: string, bearer = token) =>
      carnet.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${bearer}` } });
    const bundle = (await fhir(`/fhir/Communication?patient=Patient/${jean}&_count=2`)).json();
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 3 });
    expect(bundle.entry).toHaveLength(2);
    expect(bundle.link.map((l: Json) => l.relation)).toContain('next');
    const all = (await fhir(`/fhir/Communication?patient=Patient/${jean}`)).json();
    const resources: Json[] = all.entry.map((e: Json) => e.resource);
    const first = resources.find((r) => bare(r.identifier[0].value) === bare(firstId))!;
    const reply = resources.find((r) => r.sender.reference === `Patient/${jean}`)!;
    expect(first).toMatchObject({
      status: 'completed',
      subject: { reference: `Patient/${jean}` },
      sender: { reference: '#sender' },
      contained: [{ resourceType: 'Practitioner', telecom: [{ system: 'email', value: martin }] }],
      topic: { text: 'Résultats de votre bilan' },
    });
    expect(reply.inResponseTo[0].reference).toBe(`Communication/${first.id}`);
    expect(reply.payload[0].contentString).toBe('Merci docteur, voici mon ordonnance.');

    const read = await fhir(`/fhir/Communication/${first.id}`);
    expect(read.statusCode).toBe(200);
    const url = new URL(read.json().payload[1].contentAttachment.url);
    const bytes = await fhir(url.pathname);
    expect(bytes.statusCode).toBe(200);
    expect(bytes.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await carnet.app.inject({ method: 'GET', url: url.pathname })).statusCode).toBe(401);

    const pro = await issueDevAccessToken(carnet.ctx, { rpps: '10001000115' });
    const refused = await fhir(`/fhir/Communication?patient=Patient/${jean}`, pro);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().resourceType).toBe('OperationOutcome');
  });

  it('lists the CDA documents of an IHE_XDM.ZIP with their type and the X-MSS-INS qualification, and shows them', async () => {
    const cda = await readFile(join(CDA_EXAMPLES, 'BIO-CR-BIO_2024.01_TSH_1.xml'));
    const parsed = parseCda(cda.toString('utf8'));
    if (parsed instanceof Error) throw parsed;
    const raw = await mime({
      from: `Dr Claire Martin <${martin}>`,
      to: jeanAddress,
      subject: 'Votre compte rendu de biologie',
      headers: { 'X-MSS-CODECDA': parsed.header.type.code, 'X-MSS-INS': 'O' },
      text: 'Voici vos résultats.',
      attachments: [{ filename: 'IHE_XDM.ZIP', content: await xdmZip(cda), contentType: 'application/zip' }],
    });
    await receiveInbound(carnet.ctx, { envelopeFrom: martin, recipients: [jeanAddress], raw });
    const listed = (await get(inbox())).json();
    const summary = listed.threads.find((t: Json) => t.subject === 'Votre compte rendu de biologie');
    expect(summary).toMatchObject({ unreadCount: 1, closed: null });
    const bio = (await get(`${inbox()}/threads/${summary.threadId}`)).json();
    const message = bio.messages[0];
    expect(message.xdm).toEqual({ codeCda: parsed.header.type.code, insQualified: true });
    const document = message.attachments.find((a: Json) => a.kind === 'cda');
    expect(document).toMatchObject({ fromXdm: 'IHE_XDM.ZIP', cdaType: { code: parsed.header.type.code } });
    const view = await get(document.viewUrl);
    expect(view.statusCode).toBe(200);
    expect(view.json().title).toBe(parsed.header.title);
  });
});
