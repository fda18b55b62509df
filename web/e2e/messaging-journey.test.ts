import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/patients.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { startSmtpSink, type SmtpSink, type SunkMail } from '../../src/mail/test-smtp-sink.ts';
import { startTestCarnet, type TestCarnet } from '../../src/server/test-server.ts';
import {
  launchBrowser,
  newContext,
  pageErrors,
  requireWebBuild,
  screenshot,
  expectNoAccessibilityViolations,
} from './browser.ts';

/** Jean Michel DUPONT, an activated demo patient, and Dr Claire MARTIN's MSSanté mailbox. */
const patient = { ins: '168047505611243', login: 'jean.dupont', email: 'jean.dupont@mail.example' };
const patientAddress = `${patient.ins}@patient.mssante.fr`;
const martin = 'dr.martin@cabinet.mssante.fr';
const subject = 'Compte rendu de votre consultation';
const firstMessageId = '<cr-consultation-0001@cabinet.mssante.fr>';
const bare = (id: string | undefined) => (id ?? '').trim().replace(/^<|>$/g, '');

async function pdf(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText(text, { x: 60, y: 760, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await doc.save());
}

async function waitFor<T>(find: () => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('MSSanté messaging in the browser', () => {
  let sink: SmtpSink;
  let carnet: TestCarnet;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[][] = [];

  beforeAll(async () => {
    requireWebBuild();
    // The professional's operator: every e-mail Carnet sends (codes, notifications, replies) reaches this sink.
    sink = await startSmtpSink();
    carnet = await startTestCarnet('sqlite', { env: { CARNET_SMTP_RELAY: `127.0.0.1:${sink.port}` } });
    await seedDemo(carnet.ctx);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await carnet?.stop();
    await sink?.stop();
  });

  /** Dr Martin's mail client: nodemailer over SMTP to Carnet's gateway. */
  async function martinSends(message: SMTPTransport.MailOptions): Promise<string> {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: carnet.config.smtpPort,
      secure: false,
      ignoreTLS: true,
    });
    try {
      const info = await transport.sendMail({
        from: `Dr Claire Martin <${martin}>`,
        to: patientAddress,
        ...message,
      });
      return info.response;
    } finally {
      transport.close();
    }
  }

  async function open(): Promise<Page> {
    const context = await newContext(browser, carnet.url);
    contexts.push(context);
    errors.push(pageErrors(context));
    return context.newPage();
  }

  const mailsTo = (address: string) => sink.received.filter((m) => m.to.includes(address));

  /** Jean signs in; his one-time code arrives at the sink (CARNET_SMTP_RELAY sends every e-mail there). */
  async function patientSignsIn(): Promise<Page> {
    const page = await open();
    const before = mailsTo(patient.email).length;
    await page.goto('/connexion');
    await page.getByRole('textbox', { name: 'Identifiant' }).fill(patient.login);
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Code de connexion' }).waitFor();
    const codeMail = await waitFor(
      () =>
        mailsTo(patient.email)
          .slice(before)
          .find((m) => m.subject === 'Votre code de connexion Mon espace santé'),
      'the sign-in code',
    );
    const otp = /code de connexion à Mon espace santé est : (\d{6})/.exec(codeMail.text)?.[1];
    await page.getByLabel('Code reçu par e-mail').fill(otp ?? '');
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByRole('heading', { name: 'Bonjour Jean DUPONT' }).waitFor();
    return page;
  }

  const threadLink = (page: Page) => page.getByRole('link', { name: new RegExp(subject) });

  it('a doctor writes, the patient reads and replies with a file, the doctor ends the exchange, the patient files the PDF', async () => {
    // 1. Dr Martin's client sends a letter with a PDF to the patient's MSSanté address.
    const accepted = await martinSends({
      subject,
      messageId: firstMessageId,
      headers: { 'X-MSS-NIL': 'dmp' },
      text: 'Bonjour,\n\nVous trouverez ci-joint le compte rendu de votre consultation.\n\nDr Claire Martin',
      attachments: [
        {
          filename: 'compte-rendu.pdf',
          content: await pdf('Compte rendu de consultation'),
          contentType: 'application/pdf',
        },
      ],
    });
    expect(accepted).toMatch(/^250/);
    // The notification at the patient's personal address never carries the content.
    const notice = await waitFor(() => mailsTo(patient.email)[0], 'the new-message notification');
    expect(notice.text).not.toContain('compte rendu de votre consultation');

    // 2. Jean finds his address at the top of the messaging section and the unread conversation.
    const jean = await patientSignsIn();
    await jean
      .getByRole('list', { name: 'Services de Mon espace santé' })
      .getByRole('link', { name: /^Messagerie/ })
      .click();
    await jean.getByRole('heading', { name: 'Messagerie', level: 1 }).waitFor();
    await jean.getByText(`Votre adresse de messagerie sécurisée : ${patientAddress}`).waitFor();
    await jean.getByText('Seuls les professionnels de santé peuvent engager une conversation').waitFor();
    await jean.getByRole('link', { name: `Non lu : ${subject}` }).waitFor();
    await jean.getByText('non lu', { exact: true }).waitFor();
    await jean.getByText('Vous avez 1 message non lu.').waitFor();
    await screenshot(jean, 'messaging-01-boite-non-lu');

    // 3. He reads it: the text, the sender and the attachment.
    await threadLink(jean).click();
    await jean.getByRole('heading', { name: subject, level: 1 }).waitFor();
    await jean.getByText('Vous trouverez ci-joint le compte rendu de votre consultation.').waitFor();
    await jean.locator('strong', { hasText: 'compte-rendu.pdf' }).waitFor();
    await screenshot(jean, 'messaging-02-conversation');
    await jean.getByRole('link', { name: 'Ouvrir compte-rendu.pdf' }).click();
    await jean.getByRole('heading', { name: 'compte-rendu.pdf', level: 1 }).waitFor();
    await jean.getByText('Page 1 sur 1', { exact: true }).waitFor();
    await jean.getByRole('link', { name: '← Retour à la conversation' }).click();

    // 4. He replies with a file.
    await jean.getByLabel('Votre réponse').fill('Merci docteur. Je vous joins mes résultats de laboratoire.');
    await jean.getByLabel('Pièces jointes (facultatif)').setInputFiles({
      name: 'resultats-labo.pdf',
      mimeType: 'application/pdf',
      buffer: await pdf('Resultats de laboratoire'),
    });
    await jean.getByRole('button', { name: 'Envoyer ma réponse' }).click();
    await jean.getByText('Votre réponse a été envoyée.').waitFor();
    await jean.locator('strong', { hasText: 'resultats-labo.pdf' }).waitFor();
    await screenshot(jean, 'messaging-03-reponse-envoyee');
    await expectNoAccessibilityViolations(jean);

    // 5. The reply reaches the doctor's operator, threaded, with X-MSS-NIL and the attachment.
    const sunk = await waitFor(() => mailsTo(martin)[0], 'the reply at the operator');
    const reply = await parsedReply(sunk);
    expect(bare(reply.inReplyTo)).toBe(bare(firstMessageId));
    expect(reply.from?.value[0]?.address).toBe(patientAddress);
    expect(reply.headers.has('x-mss-nil')).toBe(true);
    expect(reply.attachments.map((a) => a.filename)).toContain('resultats-labo.pdf');
    expect(reply.text).toContain('Je vous joins mes résultats de laboratoire.');

    // 6. Dr Martin ends the exchange, answering the patient's reply with the subject exactly [FIN].
    const replyId = reply.messageId ?? '';
    expect(
      await martinSends({
        subject: '[FIN]',
        inReplyTo: replyId,
        references: [firstMessageId, replyId],
        text: 'Bonne continuation.',
      }),
    ).toMatch(/^250/);

    // 7. The patient sees who closed it and when, and no reply form; the API refuses a reply too.
    await jean.reload();
    await jean
      .getByText(
        /^Dr Claire Martin a clos cet échange le \d{2}\/\d{2}\/\d{4} à \d{2}:\d{2} : vous ne pouvez plus répondre\.$/,
      )
      .waitFor();
    expect(await jean.getByRole('button', { name: 'Envoyer ma réponse' }).count()).toBe(0);
    expect(await jean.getByLabel('Votre réponse').count()).toBe(0);
    expect(await jean.locator('.message-text').allInnerTexts()).toEqual([
      expect.stringContaining('Vous trouverez ci-joint'),
      'Merci docteur. Je vous joins mes résultats de laboratoire.',
      'Bonne continuation.',
    ]);
    await screenshot(jean, 'messaging-04-echange-clos');
    await expectNoAccessibilityViolations(jean);
    const threadId = new URL(jean.url()).searchParams.get('id') ?? '';
    const me = (await (await jean.request.get('/api/patient/me')).json()) as { self: { id: string } };
    const refused = await jean.request.post(`/api/patient/messages/${me.self.id}/threads/${threadId}/reply`, {
      multipart: { text: 'Une dernière question, docteur ?' },
    });
    expect(refused.status()).toBeGreaterThanOrEqual(400);
    expect(refused.status()).toBeLessThan(500);
    const refusal = (await refused.json()) as { error: { code: string; message: string } };
    expect(refusal.error.message).toMatch(/a clôturé cet échange : vous ne pouvez plus/);
    expect(mailsTo(martin)).toHaveLength(1);

    // 8. He files the doctor's PDF into his record and finds it there, from Dr Martin.
    await jean.getByRole('button', { name: 'Classer dans mon dossier : compte-rendu.pdf' }).click();
    expect(await jean.getByLabel('Titre du document').inputValue()).toBe(subject);
    await jean.getByRole('button', { name: 'Classer dans mon dossier', exact: true }).click();
    await jean.getByText(`Classé dans votre dossier médical : « ${subject} »`).waitFor();
    await screenshot(jean, 'messaging-05-classe-dans-le-dossier');
    await expectNoAccessibilityViolations(jean);
    await jean.getByRole('link', { name: 'Voir le document dans mon dossier' }).click();
    await jean.getByRole('term').filter({ hasText: 'Auteur' }).waitFor();
    expect(await jean.getByRole('main').innerText()).toMatch(/MARTIN/i);
    await jean.getByText('Page 1 sur 1', { exact: true }).waitFor();
    await screenshot(jean, 'messaging-06-document-dans-le-dossier');

    // 9. Back in the inbox the conversation is read and marked as ended.
    await jean.goto('/messagerie');
    await threadLink(jean).waitFor();
    expect(await jean.getByRole('link', { name: /^Non lu/ }).count()).toBe(0);
    await jean.getByText('Échange clos').waitFor();
    expect(errors.flat()).toEqual([]);
  }, 180_000);
});

/** The reply as the operator received it (headers and attachments included). */
async function parsedReply(mail: SunkMail): Promise<ParsedMail> {
  return simpleParser(mail.raw);
}
