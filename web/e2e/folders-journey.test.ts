import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProfessionalPrincipal } from '../../src/access/principal.ts';
import { DEMO_PASSWORD } from '../../src/demo/patients.ts';
import { demoProfessionals } from '../../src/demo/professionals.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { nationalIdOfRpps, type Ins, type PatientId } from '../../src/identity/index.ts';
import { findInsuredByIns } from '../../src/insured/index.ts';
import { findProfessionalByNationalId } from '../../src/professionals/index.ts';
import { depositDocuments } from '../../src/record/index.ts';
import { solidPng } from '../../src/record/photo-pdf.fixtures.ts';
import { startTestCarnet, type TestCarnet } from '../../src/server/test-server.ts';
import {
  expectNoAccessibilityViolations,
  launchBrowser,
  newContext,
  pageErrors,
  phone,
  requireWebBuild,
  screenshot,
  signInPatient,
} from './browser.ts';

/** Jean Michel DUPONT, an activated demo patient; Dr Claire MARTIN deposits two documents in his record. */
const patient = { ins: '168047505611243', login: 'jean.dupont', email: 'jean.dupont@mail.example' };
const martinAddress = 'dr.martin@cabinet.mssante.fr';
const echo = 'Échographie cardiaque de contrôle';
const prescription = 'Ordonnance de bêtabloquant';

async function pdf(title: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText(title, { x: 60, y: 760, size: 18, font: await doc.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await doc.save());
}

describe('personal folders and pins in the browser, on a phone', () => {
  let carnet: TestCarnet;
  let browser: Browser;
  let context: BrowserContext;
  let errors: string[];

  beforeAll(async () => {
    requireWebBuild();
    carnet = await startTestCarnet('sqlite');
    await seedDemo(carnet.ctx);
    const jean = (await findInsuredByIns(carnet.ctx.db, patient.ins as Ins))!.id as PatientId;
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
    for (const [title, createdAt] of [
      [echo, '2026-09-12'],
      [prescription, '2026-10-02'],
    ] as const)
      await depositDocuments(carnet.ctx, martin, [
        {
          patientId: jean,
          typeCode: '11488-4',
          title,
          createdAt,
          content: await pdf(title),
          declaredContentType: 'application/pdf',
        },
      ]);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await carnet?.stop();
  });

  const noSideways = (page: Page) =>
    page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  it('at 390 px the patient creates a folder, files a document, pins another and finds the first in the folder', async () => {
    context = await newContext(browser, carnet.url, phone);
    errors = pageErrors(context);
    const page = await context.newPage();
    await page.goto('/connexion');
    await signInPatient(page, carnet.config.dataDir, patient, DEMO_PASSWORD);
    await page.getByRole('heading', { name: 'Bonjour Jean DUPONT' }).waitFor();

    // 1. A folder of his own, from the documents page; a name already used is refused in plain French.
    await page.goto('/dossier-medical');
    await page.getByRole('heading', { name: 'Mes dossiers' }).waitFor();
    await page.getByLabel('Nom du nouveau dossier').fill('Suivi cardiologie');
    await page.getByRole('button', { name: 'Créer le dossier' }).click();
    await page.getByRole('link', { name: 'Suivi cardiologie' }).waitFor();
    await page.getByLabel('Nom du nouveau dossier').fill('suivi Cardiologie');
    await page.getByRole('button', { name: 'Créer le dossier' }).click();
    await page.getByRole('alert').getByText('Vous avez déjà un dossier portant ce nom.').waitFor();
    expect(await page.getByLabel('Nom du nouveau dossier').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'issue16-folders-shelf-390');
    await expectNoAccessibilityViolations(page);

    // 2. The echo, filed in the folder from its page (a checkbox, as the keyboard reaches it).
    await page.getByRole('link', { name: echo }).click();
    await page.getByRole('heading', { name: echo, level: 1 }).waitFor();
    const box = page.getByRole('checkbox', { name: 'Suivi cardiologie' });
    await box.focus();
    await page.keyboard.press('Space');
    await page.getByText('Rangé dans « Suivi cardiologie ».').waitFor();
    expect(await box.isChecked()).toBe(true);
    await screenshot(page, 'issue16-document-filed-390');
    await expectNoAccessibilityViolations(page);

    // 3. The prescription, pinned: it comes first on the documents page.
    await page.getByRole('link', { name: '← Tous mes documents' }).click();
    await page.getByRole('link', { name: prescription }).first().click();
    await page.getByRole('heading', { name: prescription, level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Épingler en tête de mes documents' }).click();
    await page.getByRole('button', { name: 'Désépingler' }).waitFor();
    expect(await page.getByRole('button', { name: 'Désépingler' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('link', { name: '← Tous mes documents' }).click();
    const pinned = page.getByRole('region', { name: /Documents épinglés/ });
    await pinned.getByRole('link', { name: prescription }).waitFor();
    // The pinned shelf comes before the list of all documents, where the prescription is one card, « Épinglé ».
    const firstDocument = page.locator('main a[href^="/dossier-medical/document"]').first();
    expect(await firstDocument.textContent()).toBe(prescription);
    const card = page.locator('.document-card', { has: page.getByRole('link', { name: prescription }) });
    expect(await card.count()).toBe(1);
    await card.getByText('Épinglé', { exact: true }).waitFor();
    expect(await noSideways(page)).toBe(true);
    await screenshot(page, 'issue16-pinned-first-390');
    await expectNoAccessibilityViolations(page);

    // 4. The folder lists the echo, and only it; taking it out leaves it in the record.
    await page.getByRole('link', { name: 'Suivi cardiologie' }).click();
    await page.getByRole('heading', { name: 'Suivi cardiologie', level: 1 }).waitFor();
    const inFolder = page.getByRole('region', { name: /Documents du dossier/ });
    await inFolder.getByRole('link', { name: echo }).waitFor();
    expect(await inFolder.getByRole('link', { name: prescription }).count()).toBe(0);
    expect(await noSideways(page)).toBe(true);
    await screenshot(page, 'issue16-folder-view-390');
    await expectNoAccessibilityViolations(page);

    // 5. Deleting the folder asks first, then leaves the documents where they were.
    await page.getByRole('button', { name: 'Supprimer ce dossier' }).click();
    await page.getByText('Ses documents restent dans votre dossier médical.').waitFor();
    await page.getByRole('button', { name: 'Oui, supprimer le dossier' }).click();
    await page.getByRole('heading', { name: 'Mes dossiers' }).waitFor();
    expect(await page.getByRole('link', { name: 'Suivi cardiologie' }).count()).toBe(0);
    await page.getByRole('link', { name: echo }).first().waitFor();
    expect(errors).toEqual([]);
  });

  it('at 390 px the patient photographs a two-page paper letter, crops a page with the keyboard, and gets one PDF', async () => {
    const page = await context.newPage();
    await page.goto('/dossier-medical/ajouter');
    await page.getByRole('link', { name: 'Photographiez-le page par page' }).click();
    await page.getByRole('heading', { name: 'Photographier un document', level: 1 }).waitFor();
    await page.getByLabel('Titre du document').fill('Courrier du cardiologue (papier)');
    await page.getByLabel('Photos des pages').setInputFiles([
      { name: 'page-1.png', mimeType: 'image/png', buffer: solidPng(600, 800, [250, 250, 245]) },
      { name: 'page-2.png', mimeType: 'image/png', buffer: solidPng(600, 800, [240, 240, 250]) },
    ]);
    await page.getByRole('heading', { name: 'Page 2' }).waitFor();
    // The keyboard crops: the left margin of page 1, ten steps.
    const left = page.getByRole('slider', { name: /Rogner à gauche/ }).first();
    await left.focus();
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
    await page.getByText('Rogner à gauche : 10 %').waitFor();
    await page.getByRole('img', { name: /Photo de la page 1 .*recadrée : 90 % de la largeur/ }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, 'issue16-photos-crop-390');
    await expectNoAccessibilityViolations(page);
    await page.getByRole('button', { name: 'Ajouter le document de 2 pages' }).click();
    await page.getByRole('heading', { name: 'Courrier du cardiologue (papier)', level: 1 }).waitFor();
    await page.getByText('Document de 2 pages.').waitFor();
    await screenshot(page, 'issue16-photos-pdf-390');
    expect(errors).toEqual([]);
  });
});
