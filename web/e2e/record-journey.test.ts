import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/patients.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import type { Ins } from '../../src/identity/index.ts';
import { findInsuredByIns } from '../../src/insured/index.ts';
import { startTestCarnet, type TestCarnet } from '../../src/server/test-server.ts';
import {
  codeFromMailbox,
  desktop,
  launchBrowser,
  newContext,
  pageErrors,
  patientDocumentsOfClass,
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
    await page.getByRole('button', { name: 'Le patient m’a donné son accord' }).click();
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
  /** The professional opens the document from the list (a consultation the patient's history must show). */
  async function proOpensDocument(page: Page): Promise<string> {
    await documentLink(page).click();
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();
    await page.getByRole('term').filter({ hasText: 'Type' }).waitFor();
    const url = page.url();
    await page.goBack();
    await page.getByRole('heading', { name: /Dossier médical partagé de/ }).waitFor();
    return url;
  }
  const accessEntry = (page: Page, name: string) => page.getByRole('listitem', { name, exact: true });

  it('doctor deposits, patient masks, nurse and non-administrator doctor lose it, administrator keeps it, blocked nurse gets nothing', async () => {
    // Dr Martin (the author) declares the patient's consent, deposits a PDF and sees it in the list.
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
    await proOpensDocument(martin);

    // A second doctor, the hospital cardiologist, and the nurse declare consent and open the unmasked document.
    const girard = await proOpensRecord(/carte e-CPS de Dr Nicolas GIRARD/);
    await declareConsent(girard);
    const documentUrl = await proOpensDocument(girard);
    const nurse = await proOpensRecord(/carte e-CPS de Julien BERNARD/);
    await declareConsent(nurse);
    await proOpensDocument(nurse);

    // The patient finds it in its category, opens it, masks it.
    const jean = await patientSignsIn();
    await jean.getByRole('link', { name: /Dossier médical/ }).click();
    const category = await patientDocumentsOfClass(jean, '10');
    await category.getByRole('link', { name: title }).click();
    await jean.getByRole('heading', { name: title, level: 1 }).waitFor();
    // The PDF is drawn in the page (pdf.js), its file one link away.
    await jean.getByText('Page 1 sur 1', { exact: true }).waitFor();
    const src = (await jean.getByRole('link', { name: /^Ouvrir le document/ }).getAttribute('href')) ?? '';
    const content = await jean.request.get(src);
    expect(content.headers()['content-type']).toBe('application/pdf');
    expect((await content.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await screenshot(jean, 'record-03-patient-document');
    await jean.getByRole('button', { name: 'Masquer aux professionnels' }).click();
    await jean.getByRole('status').getByText('Masqué aux professionnels').waitFor();
    await jean.getByRole('button', { name: 'Rendre visible aux professionnels' }).waitFor();
    await screenshot(jean, 'record-04-patient-masque');

    // Masked: the nurse and Dr Girard (neither author nor administrateur) no longer see it, not even by its address.
    const noDocument = 'Aucun document de ce dossier ne vous est accessible.';
    await reloadRecord(nurse);
    await nurse.getByText(noDocument).waitFor();
    expect(await documentLink(nurse).count()).toBe(0);
    await reloadRecord(girard);
    await girard.getByText(noDocument).waitFor();
    expect(await documentLink(girard).count()).toBe(0);
    await screenshot(girard, 'record-05-cardiologue-masque');
    await girard.goto(documentUrl);
    // Not found rather than "masked": a masked document's existence is not revealed.
    await expect.poll(() => girard.locator('main [role="alert"]').innerText()).toBe('Document introuvable.');
    expect(await girard.getByRole('heading', { name: title, level: 1 }).count()).toBe(0);
    await girard.goBack();
    // The author keeps it whatever the mask.
    await reloadRecord(martin);
    await documentLink(martin).waitFor();

    // The patient names Dr Girard administrateur: he sees it again, marked as masked, and can open it.
    await jean.goto('/dossier-medical/acces');
    await jean.getByRole('button', { name: /Nommer Dr Nicolas GIRARD administrateur/ }).click();
    await accessEntry(jean, 'Dr Nicolas GIRARD').getByText('Administrateur', { exact: true }).waitFor();
    await reloadRecord(girard);
    await documentLink(girard).waitFor();
    // The document's row (a table on a wide screen, a card on a phone) carries the badge.
    const row = girard.locator('.document-table tr:visible, .document-card:visible', { hasText: title });
    expect(await row.innerText()).toContain('Masqué aux professionnels');
    await documentLink(girard).click();
    await girard
      .getByText('Vous le voyez parce que vous en êtes l’auteur, ou parce que le patient vous a')
      .waitFor();
    await screenshot(girard, 'record-06-cardiologue-administrateur');
    // Naming someone else administrateur changes nothing for the nurse.
    await reloadRecord(nurse);
    await nurse.getByText(noDocument).waitFor();

    // The patient blocks the nurse: he gets nothing at all, not even the deposit form.
    await jean.getByRole('button', { name: /Bloquer Julien BERNARD/ }).click();
    await accessEntry(jean, 'Julien BERNARD').getByText('Bloqué', { exact: true }).waitFor();
    await screenshot(jean, 'record-07-patient-acces');
    await reloadRecord(nurse);
    await expect
      .poll(() => nurse.locator('main [role="alert"]').innerText())
      .toContain('Le patient a bloqué votre accès à son dossier.');
    expect(await nurse.getByRole('button', { name: 'Déposer le document' }).count()).toBe(0);
    expect(await nurse.getByRole('heading', { name: /^Documents/ }).count()).toBe(0);
    expect(await nurse.getByRole('button', { name: 'Activer l’accès en urgence' }).count()).toBe(0);
    await screenshot(nurse, 'record-08-infirmier-bloque');

    // The access history shows the deposit, each professional's consultations, the mask, the naming and the block.
    await jean.goto('/dossier-medical/historique');
    await jean.setViewportSize(desktop);
    const table = jean.getByRole('table');
    await table.waitFor();
    // The patient's own actions are shown on request.
    await jean.getByLabel('Afficher aussi mes propres actions').check();
    await table.locator('tbody tr', { hasText: 'Vous' }).first().waitFor();
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())));
    // Everything fits on the first page, so an absent row is a missing trace, not a paging artefact.
    expect(await table.locator('caption').innerText()).toMatch(new RegExp(`^${rows.length} action`));
    await screenshot(jean, 'record-09-patient-historique');
    const matching = (action: string, who: RegExp, outcome = 'Autorisé', document = '') =>
      rows.filter((r) => {
        const [, actor = '', label, doc = '', , result] = r;
        return who.test(actor) && label === action && doc.includes(document) && result === outcome;
      });
    const has = (action: string, who: RegExp, outcome?: string, document?: string) =>
      matching(action, who, outcome, document).length > 0;
    const [martinName, girardName, bernardName] = [/Claire Martin/i, /Nicolas Girard/i, /Julien Bernard/i];
    expect(has('Dépôt d’un document', martinName, 'Autorisé', title)).toBe(true);
    for (const who of [martinName, girardName, bernardName]) {
      expect(has('Déclaration de votre consentement', who)).toBe(true);
      expect(has('Recherche dans le dossier', who)).toBe(true);
      expect(has('Consultation d’un document', who, 'Autorisé', title)).toBe(true);
    }
    // Dr Girard: read before the mask and after his naming, refused in between.
    expect(matching('Consultation d’un document', girardName, 'Autorisé', title)).toHaveLength(2);
    expect(has('Consultation d’un document', girardName, 'Refusé', title)).toBe(true);
    expect(has('Masquage d’un document', /^Vous$/, 'Autorisé', title)).toBe(true);
    expect(has('Désignation d’un médecin administrateur', /^Vous$/)).toBe(true);
    expect(has('Blocage d’un professionnel', /^Vous$/)).toBe(true);
    expect(has('Recherche dans le dossier', bernardName, 'Refusé')).toBe(true);

    // Emergency access: a red banner on this patient's pages only, until it is ended.
    // Security review regression: fails on 027241f, before the fix (the banner followed the whole session).
    // The form waits behind its button.
    await martin.getByRole('button', { name: 'Accès en urgence (bris de glace)' }).click();
    await martin.getByLabel('Motif (obligatoire pour le bris de glace)').fill('');
    await martin.getByRole('button', { name: 'Activer l’accès en urgence' }).click();
    await expect
      .poll(() => martin.locator('.emergency-control [role="alert"]').innerText())
      .toContain('motif');
    // Dr Martin is no SAMU regulator: the portal does not offer her that mode.
    expect(await martin.getByLabel(/centre de régulation/).count()).toBe(0);
    await martin
      .getByLabel('Motif (obligatoire pour le bris de glace)')
      .fill('Malaise au cabinet, patient inconscient');
    await martin.getByRole('button', { name: 'Activer l’accès en urgence' }).click();
    const banner = martin.locator('.emergency-banner');
    await expect.poll(() => banner.innerText()).toContain('bris de glace');
    await martin.getByRole('link', { name: 'Mes dépôts par mois' }).click();
    await martin.getByRole('heading', { name: 'Mes dépôts par mois' }).waitFor();
    expect(await martin.getByRole('table').innerText()).toMatch(/\t1$/m);
    expect(await banner.count()).toBe(0);
    const marie = await findInsuredByIns(carnet.ctx.db, '271096912304585' as Ins);
    await martin.goto(`/pro/dossier?patient=${marie!.id}&ins=271096912304585`);
    await martin.getByRole('heading', { name: /Dossier médical partagé de Marie/ }).waitFor();
    await martin.getByRole('heading', { name: 'Accès en urgence' }).waitFor();
    expect(await banner.count()).toBe(0);
    await martin.goBack();
    await martin.goBack();
    await expect.poll(() => banner.innerText()).toContain('Malaise au cabinet');
    await martin.reload();
    await expect.poll(() => banner.innerText()).toContain('Malaise au cabinet');
    await screenshot(martin, 'record-08-portail-urgence');
    await martin.getByRole('button', { name: 'Mettre fin à l’accès en urgence' }).click();
    await expect.poll(() => banner.count()).toBe(0);

    expect(errors.flat()).toEqual([]);
  }, 180_000);
});
