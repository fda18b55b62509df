import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/patients.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { documentClasses } from '../../src/record/document-types.ts';
import { startTestCarnet, type TestCarnet } from '../../src/server/test-server.ts';
import {
  codeFromMailbox,
  desktop,
  launchBrowser,
  newContext,
  pageErrors,
  requireWebBuild,
  screenshot,
} from './browser.ts';

/** Jean Michel DUPONT, an activated demo patient. */
const patient = { ins: '168047505611243', login: 'jean.dupont', email: 'jean.dupont@mail.example' };
const title = 'Compte rendu de consultation du 2 mars';

async function consultationPdf(): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  page.drawText('Compte rendu de consultation', { x: 60, y: 760, size: 16, font });
  page.drawText('Examen clinique sans particularite.', { x: 60, y: 730, size: 12, font });
  return Buffer.from(await pdf.save());
}

describe('shared medical record in the browser', () => {
  let carnet: TestCarnet;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[][] = [];

  beforeAll(async () => {
    requireWebBuild();
    carnet = await startTestCarnet('sqlite');
    await seedDemo(carnet.ctx);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await carnet?.stop();
  });

  async function open(viewport?: { width: number; height: number }): Promise<Page> {
    const context = await newContext(browser, carnet.url, viewport);
    contexts.push(context);
    errors.push(pageErrors(context));
    return context.newPage();
  }

  /** A professional signs in with the development e-CPS and opens the patient's record from the INS search. */
  async function proOpensRecord(name: RegExp): Promise<Page> {
    const page = await open();
    await page.goto('/pro/');
    await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
    await page.getByRole('button', { name }).click();
    await page.getByLabel('Matricule INS du patient').fill(patient.ins);
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByRole('link', { name: 'Ouvrir le dossier médical partagé' }).click();
    await page.getByRole('heading', { name: /Dossier médical partagé de Jean DUPONT/ }).waitFor();
    return page;
  }

  async function declareConsent(page: Page) {
    await page.getByRole('heading', { name: 'Accord du patient nécessaire' }).waitFor();
    await page.getByRole('button', { name: "Le patient m'a donné son accord" }).click();
    await page.getByRole('heading', { name: /^Documents \(\d+\)$/ }).waitFor();
  }

  async function patientSignsIn(): Promise<Page> {
    const page = await open();
    await page.goto('/connexion');
    await page.getByRole('textbox', { name: 'Identifiant' }).fill(patient.login);
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Code de connexion' }).waitFor();
    const otp = await codeFromMailbox(
      await page.context().newPage(),
      carnet.config.dataDir,
      { to: patient.email, subject: 'Votre code de connexion Mon espace santé' },
      /code de connexion à Mon espace santé est : (\d{6})/,
    );
    await page.getByLabel('Code reçu par e-mail').fill(otp);
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByRole('heading', { name: 'Bonjour Jean DUPONT' }).waitFor();
    return page;
  }

  const documentLink = (page: Page) => page.getByRole('link', { name: title });
  const reloadRecord = async (page: Page) => {
    await page.reload();
    await page.getByRole('heading', { name: /Dossier médical partagé de/ }).waitFor();
  };

  it('doctor deposits, patient sees and masks, nurse loses it, administrator keeps it, blocked nurse gets nothing', async () => {
    // Dr Martin declares the patient's consent, deposits a PDF and sees it in the list.
    const martin = await proOpensRecord(/carte e-CPS de Dr Claire MARTIN/);
    await screenshot(martin, 'record-01-portail-accord');
    await declareConsent(martin);
    await martin.getByLabel('Titre du document').fill(title);
    await martin.getByLabel('Type de document').selectOption('11488-4');
    await martin
      .getByLabel('Fichier PDF')
      .setInputFiles({ name: 'cr.pdf', mimeType: 'application/pdf', buffer: await consultationPdf() });
    await martin.getByRole('button', { name: 'Déposer le document' }).click();
    await documentLink(martin).waitFor();
    await martin.getByText(`Le document « ${title} » a été déposé dans le dossier.`).waitFor();
    await screenshot(martin, 'record-02-portail-depot');

    // The nurse declares consent too and sees the document while it is not masked.
    const nurse = await proOpensRecord(/carte e-CPS de Julien BERNARD/);
    await declareConsent(nurse);
    await documentLink(nurse).waitFor();

    // The patient finds it under its category, opens it, masks it.
    const jean = await patientSignsIn();
    await jean.getByRole('link', { name: /Dossier médical/ }).click();
    const category = jean.locator('section.document-group', {
      has: jean.getByRole('heading', { name: documentClasses['10'] }),
    });
    await category.getByRole('link', { name: title }).click();
    await jean.getByRole('heading', { name: title, level: 1 }).waitFor();
    const frame = jean.locator('iframe.document-frame');
    const src = (await frame.getAttribute('src')) ?? '';
    const content = await jean.request.get(src);
    expect(content.headers()['content-type']).toBe('application/pdf');
    expect((await content.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await screenshot(jean, 'record-03-patient-document');
    await jean.getByRole('button', { name: 'Masquer aux professionnels' }).click();
    await jean.getByRole('status').getByText('Masqué aux professionnels').waitFor();
    await jean.getByRole('button', { name: 'Rendre visible aux professionnels' }).waitFor();
    await screenshot(jean, 'record-04-patient-masque');

    // The patient names Dr Martin administrateur.
    await jean.goto('/dossier-medical/acces');
    await jean.getByRole('button', { name: /Nommer Dr Claire MARTIN administrateur/ }).click();
    await jean
      .getByRole('listitem', { name: 'Dr Claire MARTIN' })
      .getByText('Administrateur', { exact: true })
      .waitFor();

    // The nurse no longer sees it; Dr Martin (administrateur) still does, marked as masked.
    await reloadRecord(nurse);
    await nurse.getByText('Aucun document de ce dossier ne vous est accessible.').waitFor();
    expect(await documentLink(nurse).count()).toBe(0);
    await reloadRecord(martin);
    await documentLink(martin).waitFor();
    expect(await martin.locator('.document-item', { hasText: title }).innerText()).toContain(
      'Masqué aux professionnels',
    );

    // The patient blocks the nurse: she gets nothing at all, not even the deposit form.
    await jean.getByRole('button', { name: /Bloquer Julien BERNARD/ }).click();
    await jean
      .getByRole('listitem', { name: 'Julien BERNARD' })
      .getByText('Bloqué', { exact: true })
      .waitFor();
    await screenshot(jean, 'record-05-patient-acces');
    await reloadRecord(nurse);
    await expect
      .poll(() => nurse.locator('main [role="alert"]').innerText())
      .toContain('Le patient a bloqué votre accès à son dossier.');
    expect(await nurse.getByRole('button', { name: 'Déposer le document' }).count()).toBe(0);
    expect(await nurse.getByRole('heading', { name: /^Documents/ }).count()).toBe(0);
    await screenshot(nurse, 'record-06-infirmier-bloque');

    // The access history shows the deposit, the consultations, the mask, the administrator and the block.
    await jean.goto('/dossier-medical/historique');
    await jean.setViewportSize(desktop);
    const table = jean.getByRole('table');
    await table.waitFor();
    const rows = await table.locator('tbody tr').allInnerTexts();
    await screenshot(jean, 'record-07-patient-historique');
    const has = (action: string, who: RegExp) => rows.some((r) => r.includes(action) && who.test(r));
    expect(has('Dépôt d’un document', /Martin/i)).toBe(true);
    expect(has('Recherche dans le dossier', /Bernard/i)).toBe(true);
    expect(has('Recherche dans le dossier', /Martin/i)).toBe(true);
    expect(rows.some((r) => r.includes('Masquage d’un document'))).toBe(true);
    expect(rows.some((r) => r.includes('Désignation d’un administrateur'))).toBe(true);
    expect(rows.some((r) => r.includes('Blocage d’un professionnel'))).toBe(true);
    expect(has('Refusé', /Bernard/i)).toBe(true);

    // Emergency access: a red banner for the whole session, until it is ended.
    await martin.getByLabel('Motif (obligatoire)').fill('');
    await martin.getByRole('button', { name: "Activer l'accès en urgence" }).click();
    await expect
      .poll(() => martin.locator('.emergency-control [role="alert"]').innerText())
      .toContain('motif');
    await martin.getByLabel('Motif (obligatoire)').fill('Malaise au cabinet, patient inconscient');
    await martin.getByRole('button', { name: "Activer l'accès en urgence" }).click();
    const banner = martin.locator('.emergency-banner');
    await expect.poll(() => banner.innerText()).toContain('bris de glace');
    await martin.getByRole('link', { name: 'Mes dépôts par mois' }).click();
    await martin.getByRole('heading', { name: 'Mes dépôts par mois' }).waitFor();
    expect(await martin.getByRole('table').innerText()).toMatch(/\t1$/m);
    await martin.reload();
    await expect.poll(() => banner.innerText()).toContain('Malaise au cabinet');
    await screenshot(martin, 'record-08-portail-urgence');
    await martin.goBack();
    await martin.getByRole('button', { name: "Mettre fin à l'accès en urgence" }).click();
    await expect.poll(() => banner.count()).toBe(0);

    expect(errors.flat()).toEqual([]);
  }, 180_000);
});
