import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProfessionalPrincipal } from '../../src/access/principal.ts';
import { DEMO_PASSWORD } from '../../src/demo/patients.ts';
import { demoProfessionals } from '../../src/demo/professionals.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { nationalIdOfRpps, type Ins, type PatientId } from '../../src/identity/index.ts';
import { findInsuredByIns } from '../../src/insured/index.ts';
import { receiveInbound } from '../../src/messaging/index.ts';
import { findProfessionalByNationalId } from '../../src/professionals/index.ts';
import { depositDocuments } from '../../src/record/index.ts';
import { startTestCarnet, type TestCarnet } from '../../src/server/test-server.ts';
import {
  desktop,
  expectNoAccessibilityViolations,
  launchBrowser,
  newContext,
  pageErrors,
  phone,
  requireWebBuild,
  screenshot,
  signInPatient,
} from './browser.ts';

/** Jean Michel DUPONT, an activated demo patient; Dr Claire MARTIN writes to him and deposits in his record. */
const patient = { ins: '168047505611243', login: 'jean.dupont', email: 'jean.dupont@mail.example' };
const martinAddress = 'dr.martin@cabinet.mssante.fr';
const report = 'Compte rendu d’hospitalisation en cardiologie';

/** A PDF of `pages` pages, each with a title and a line of text, as a hospital's software makes one. */
async function pdf(title: string, pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= pages; n++) {
    const page = doc.addPage([595, 842]);
    page.drawText(title, { x: 60, y: 760, size: 18, font });
    page.drawText(`Page ${n}: examen clinique, traitement de sortie, suivi.`, {
      x: 60,
      y: 720,
      size: 12,
      font,
    });
    page.drawRectangle({ x: 60, y: 400, width: 300, height: 200, borderWidth: 2 });
  }
  return Buffer.from(await doc.save());
}

/** How many of a canvas's pixels are drawn (not blank white or transparent), read in the page. */
function drawnPixels(page: Page, pageNumber: number): Promise<number> {
  return page.locator(`canvas[data-page="${pageNumber}"]`).evaluate((canvas: HTMLCanvasElement) => {
    const context = canvas.getContext('2d');
    if (!context || canvas.width === 0 || canvas.height === 0) return 0;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let drawn = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3]! > 0 && (data[i]! < 200 || data[i + 1]! < 200 || data[i + 2]! < 200)) drawn++;
    }
    return drawn;
  });
}

/** The messages Dr Martin sends: one per screen size, each filed once. */
const letters = [
  {
    viewport: phone,
    subject: 'RE: Résultats de votre échographie',
    title: 'Résultats de votre échographie',
    date: '2026-11-20T09:30:00Z',
    shown: '20/11/2026',
  },
  {
    viewport: desktop,
    subject: 'Ordonnance de kinésithérapie',
    title: 'Ordonnance de kinésithérapie',
    date: '2026-10-05T14:00:00Z',
    shown: '05/10/2026',
  },
] as const;

describe('documents in the browser: PDF viewer, dated uploads, filed attachments', () => {
  let carnet: TestCarnet;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[][] = [];

  beforeAll(async () => {
    requireWebBuild();
    carnet = await startTestCarnet('sqlite');
    await seedDemo(carnet.ctx);
    const jean = (await findInsuredByIns(carnet.ctx.db, patient.ins as Ins))!.id as PatientId;
    // Dr Martin deposits a three-page hospital report in Jean's record.
    const demo = demoProfessionals.find((p) => p.mssanteAddress === martinAddress)!;
    const known = (await findProfessionalByNationalId(carnet.ctx.db, nationalIdOfRpps(demo.rpps)))!;
    const martin: ProfessionalPrincipal = {
      kind: 'professional',
      professionalId: known.id,
      nationalId: known.nationalId,
      rpps: demo.rpps,
      professionCode: demo.professionCode,
      specialtyCode: demo.specialtyCode,
      givenName: demo.givenName,
      familyName: demo.familyName,
      signIn: { regulator: false, declaredEmergency: undefined },
      structure: undefined,
    };
    await depositDocuments(carnet.ctx, martin, [
      {
        patientId: jean,
        typeCode: '11488-4',
        title: report,
        createdAt: '2026-09-12',
        content: await pdf(report, 3),
        declaredContentType: 'application/pdf',
      },
    ]);
    // And writes to him, a PDF named after its template.
    for (const letter of letters) {
      const raw = await new MailComposer({
        from: `Dr Claire Martin <${martinAddress}>`,
        to: `${patient.ins}@patient.mssante.fr`,
        subject: letter.subject,
        date: new Date(letter.date),
        text: 'Bonjour,\nvous trouverez le document ci-joint.\nDr Martin',
        attachments: [
          {
            filename: 'compte-rendu.pdf',
            content: await pdf(letter.title, 1),
            contentType: 'application/pdf',
          },
        ],
      })
        .compile()
        .build();
      await receiveInbound(carnet.ctx, {
        envelopeFrom: martinAddress,
        recipients: [`${patient.ins}@patient.mssante.fr`],
        raw,
      });
    }
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await carnet?.stop();
  });

  async function open(viewport: { width: number; height: number }): Promise<Page> {
    const context = await newContext(browser, carnet.url, viewport);
    contexts.push(context);
    errors.push(pageErrors(context));
    return context.newPage();
  }

  async function patientSignsIn(viewport: { width: number; height: number }): Promise<Page> {
    const page = await open(viewport);
    await page.goto('/connexion');
    await signInPatient(page, carnet.config.dataDir, patient, DEMO_PASSWORD);
    await page.getByRole('heading', { name: 'Bonjour Jean DUPONT' }).waitFor();
    return page;
  }

  /** The viewer has drawn page 1 of N: its caption, and a canvas with something on it. */
  async function expectPdfShown(page: Page, pages: number): Promise<void> {
    await page.getByText(`Page 1 sur ${pages}`, { exact: true }).waitFor();
    await page.getByText(pages === 1 ? 'Document d’une page.' : `Document de ${pages} pages.`).waitFor();
    expect(await drawnPixels(page, 1)).toBeGreaterThan(1000);
    // Fitted to the width: the page is as wide as the card it is in, never wider than the screen.
    const box = await page.locator('canvas[data-page="1"]').boundingBox();
    const width = page.viewportSize()!.width;
    expect(box!.width).toBeGreaterThan(Math.min(width, 800) * 0.6);
    expect(box!.x + box!.width).toBeLessThanOrEqual(width);
    await page.getByRole('link', { name: /^Ouvrir le document/ }).waitFor();
    await page.getByRole('link', { name: 'Télécharger le document' }).waitFor();
  }

  for (const letter of letters) {
    const size = letter.viewport.width;

    it(`at ${size} px the patient reads a PDF, adds a dated document and files a message’s attachment`, async () => {
      const page = await patientSignsIn(letter.viewport);

      // 1. The three-page report, drawn in the page, page 1 first.
      await page.goto('/dossier-medical');
      await page.getByRole('link', { name: report }).click();
      await page.getByRole('heading', { name: report, level: 1 }).waitFor();
      await expectPdfShown(page, 3);
      await page.getByText('Page 3 sur 3', { exact: true }).waitFor();
      await expect.poll(() => drawnPixels(page, 3)).toBeGreaterThan(1000);
      await screenshot(page, `issue14-pdf-viewer-${size}`);
      await expectNoAccessibilityViolations(page);

      // 2. A document of his own, dated: a date in the future is refused in plain French, then corrected.
      const own = `Carnet de vaccination (${size})`;
      await page.goto('/dossier-medical/ajouter');
      await page.getByRole('heading', { name: 'Ajouter un document', level: 1 }).waitFor();
      await page.getByLabel('Titre du document').fill(own);
      await page.getByLabel('Date du document (facultatif)').fill('2099-01-01');
      await page.getByLabel('Fichier').setInputFiles({
        name: 'vaccins.pdf',
        mimeType: 'application/pdf',
        buffer: await pdf('Carnet de vaccination', 1),
      });
      await page.getByRole('button', { name: 'Ajouter à mon dossier' }).click();
      await page
        .getByRole('alert')
        .getByText('La date du document ne peut pas être dans le futur.')
        .waitFor();
      expect(await page.getByLabel('Date du document (facultatif)').getAttribute('aria-invalid')).toBe(
        'true',
      );
      await screenshot(page, `issue14-upload-date-refused-${size}`);
      await expectNoAccessibilityViolations(page);
      await page.getByLabel('Date du document (facultatif)').fill('2019-05-14');
      await page.getByRole('button', { name: 'Ajouter à mon dossier' }).click();
      await page.getByRole('heading', { name: own, level: 1 }).waitFor();
      await page.getByRole('definition').filter({ hasText: '14/05/2019' }).waitFor();
      await expectPdfShown(page, 1);
      await page.getByRole('link', { name: '← Tous mes documents' }).click();
      const item = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: own }) });
      await item.getByText(/14\/05\/2019/).waitFor();
      await screenshot(page, `issue14-upload-dated-list-${size}`);
      await expectNoAccessibilityViolations(page);

      // 3. The doctor's attachment, filed under the message's subject (checked, editable) and dated from it.
      await page.goto('/messagerie');
      await page.getByRole('link', { name: new RegExp(letter.title) }).click();
      await page.getByRole('heading', { name: letter.subject, level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Classer dans mon dossier : compte-rendu.pdf' }).click();
      const titleField = page.getByLabel('Titre du document');
      expect(await titleField.inputValue()).toBe(letter.title);
      await page.getByText(`Date du document : ${letter.shown} (date du message)`).waitFor();
      await screenshot(page, `issue14-filing-form-${size}`);
      await expectNoAccessibilityViolations(page);
      await titleField.fill('');
      await page.getByRole('button', { name: 'Classer dans mon dossier', exact: true }).click();
      await page.getByRole('alert').getByText('Indiquez un titre pour le document.').waitFor();
      await titleField.fill(letter.title);
      await page.getByRole('button', { name: 'Classer dans mon dossier', exact: true }).click();
      await page
        .getByText(`Classé dans votre dossier médical : « ${letter.title} », daté du ${letter.shown}.`)
        .waitFor();
      await screenshot(page, `issue14-filed-${size}`);
      await page.goto('/dossier-medical');
      const filed = page
        .getByRole('listitem')
        .filter({ has: page.getByRole('link', { name: letter.title }) });
      await filed.getByText(new RegExp(letter.shown)).waitFor();
      expect(await page.getByRole('link', { name: 'compte-rendu' }).count()).toBe(0);
      await screenshot(page, `issue14-filed-list-${size}`);

      // 4. A damaged PDF, added without a date: the list says the date is unknown, the page says it cannot be drawn.
      const damaged = `Scan abîmé (${size})`;
      await page.getByRole('link', { name: 'Ajouter un document' }).click();
      await page.getByLabel('Titre du document').fill(damaged);
      await page.getByLabel('Fichier').setInputFiles({
        name: 'scan.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.7\nce fichier a été coupé pendant l’envoi'),
      });
      await page.getByRole('button', { name: 'Ajouter à mon dossier' }).click();
      await page.getByRole('heading', { name: damaged, level: 1 }).waitFor();
      await page.getByRole('definition').filter({ hasText: 'Non indiquée' }).waitFor();
      await page
        .getByRole('alert')
        .getByText('Le document n’a pas pu être affiché dans la page. Ouvrez-le ou téléchargez-le')
        .waitFor();
      await page.getByRole('link', { name: 'Télécharger le document' }).waitFor();
      await screenshot(page, `issue14-pdf-damaged-${size}`);
      await expectNoAccessibilityViolations(page);
      await page.getByRole('link', { name: '← Tous mes documents' }).click();
      const undated = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: damaged }) });
      await undated.getByText(/date inconnue, ajouté le \d{2}\/\d{2}\/\d{4}/).waitFor();
      expect(errors.flat()).toEqual([]);
    }, 120_000);
  }

  for (const viewport of [phone, desktop]) {
    it(`at ${viewport.width} px the portal shows a PDF document in the page`, async () => {
      const page = await open(viewport);
      await page.goto('/pro/');
      await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
      await page.getByRole('button', { name: /carte e-CPS de Dr Claire MARTIN/ }).click();
      await page.getByLabel('Matricule INS du patient').fill(patient.ins);
      await page.getByRole('button', { name: 'Rechercher' }).click();
      await page.getByRole('link', { name: 'Ouvrir le dossier médical partagé' }).click();
      const consent = page.getByRole('button', { name: 'Le patient m’a donné son accord' });
      const documents = page.getByRole('heading', { name: /^Documents \(\d+\)$/ });
      await consent.or(documents).first().waitFor();
      if (await consent.isVisible()) await consent.click();
      await documents.waitFor();
      await page.getByRole('link', { name: report }).click();
      await page.getByRole('heading', { name: report, level: 1 }).waitFor();
      await expectPdfShown(page, 3);
      await screenshot(page, `issue14-portal-pdf-${viewport.width}`);
      if (viewport === phone) {
        // Turned sideways, the phone's pages are drawn again at the new width.
        const before = Number(await page.locator('canvas[data-page="1"]').getAttribute('width'));
        await page.setViewportSize({ width: phone.height, height: phone.width });
        await expect
          .poll(async () => Number(await page.locator('canvas[data-page="1"]').getAttribute('width')))
          .toBeGreaterThan(before * 1.5);
        // Resizing a canvas clears it; its page is drawn again a moment later.
        await expect.poll(() => drawnPixels(page, 1)).toBeGreaterThan(1000);
      }
      await expectNoAccessibilityViolations(page);
      expect(errors.flat()).toEqual([]);
    }, 60_000);
  }
});
