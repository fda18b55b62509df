import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/patients.ts';
import { readDevMailbox, waitForEmail } from '../../src/mail/dev-mailbox.ts';
import { seedDemo, seedDemoContent } from '../../src/demo/seed.ts';
import { profileAreaLabels, profileSections } from '../../src/medical-profile/index.ts';
import { startTestCarnet, type TestCarnet } from '../../src/server/test-server.ts';
import {
  desktop,
  expectNoAccessibilityViolations,
  launchBrowser,
  newContext,
  pageErrors,
  phone,
  requireWebBuild,
  signInPatient,
} from './browser.ts';

/** Marie MOREL, the demo patient with the fullest record: documents, messages, profile, agenda, care history. */
const marie = { ins: '271096912304585', login: 'marie.morel', email: 'marie.morel@mail.example' };

/** A screen to check: reached by its address, or by following a link from the page before it. */
type Screen =
  | { readonly name: string; readonly path: string }
  | { readonly name: string; readonly follow: (page: Page) => Promise<void> };

const patientPublicScreens: readonly Screen[] = [
  { name: 'accueil public', path: '/' },
  { name: 'activation', path: '/activation' },
  { name: 'nouveau code d’activation', path: '/activation/nouveau-code' },
  { name: 'connexion', path: '/connexion' },
  { name: 'opposition', path: '/opposition' },
  { name: 'mot de passe oublié', path: '/mot-de-passe-oublie' },
];

const firstLinkIn = (selector: string) => async (page: Page) => {
  await page.locator(selector).first().click();
};

const patientScreens: readonly Screen[] = [
  { name: 'accueil', path: '/accueil' },
  { name: 'dossier médical', path: '/dossier-medical' },
  { name: 'un document', follow: firstLinkIn('main a[href^="/dossier-medical/document"]') },
  { name: 'ajouter un document', path: '/dossier-medical/ajouter' },
  { name: 'profil médical', path: '/dossier-medical/profil' },
  ...profileSections.map((area) => ({
    name: `profil médical : ${profileAreaLabels[area]}`,
    path: `/dossier-medical/profil?section=${area}`,
  })),
  { name: 'histoire de santé', path: '/dossier-medical/histoire-de-sante' },
  { name: 'historique des accès', path: '/dossier-medical/historique' },
  { name: 'gestion des accès', path: '/dossier-medical/acces' },
  { name: 'messagerie', path: '/messagerie' },
  { name: 'une conversation', follow: firstLinkIn('main a[href^="/messagerie/conversation"]') },
  { name: 'agenda', path: '/agenda' },
  { name: 'nouvel événement', path: '/agenda/nouveau' },
  { name: 'catalogue', path: '/catalogue' },
  { name: 'un service du catalogue', follow: firstLinkIn('main a[href^="/catalogue/service"]') },
  { name: 'services connectés', path: '/services-connectes' },
  { name: 'paramètres du compte', path: '/parametres' },
];

const proScreens: readonly Screen[] = [
  { name: 'recherche de patient', path: '/pro/' },
  { name: 'indicateurs', path: '/pro/indicateurs' },
  { name: 'mes dépôts', path: '/pro/mes-depots' },
];

/** Waits for the screen's heading and for its data: no "Chargement…" left in the page. */
async function settled(page: Page): Promise<void> {
  await page.locator('main h1').first().waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.loading').length === 0);
}

/** Every screen at 390 px and at 1280 px: each violation is listed with its screen, none may be left. */
async function checkScreens(page: Page, screens: readonly Screen[]): Promise<string[]> {
  const failures: string[] = [];
  for (const screen of screens) {
    await page.setViewportSize(phone);
    if ('path' in screen) await page.goto(screen.path);
    else await screen.follow(page);
    await settled(page);
    for (const viewport of [phone, desktop]) {
      await page.setViewportSize(viewport);
      await expectNoAccessibilityViolations(page).catch((error: Error) =>
        failures.push(`${screen.name} (${viewport.width} px): ${error.message}`),
      );
    }
  }
  return failures;
}

describe('accessibility of every page of both apps (axe-core, WCAG 2.1 AA)', () => {
  let carnet: TestCarnet;
  let browser: Browser;

  beforeAll(async () => {
    requireWebBuild();
    carnet = await startTestCarnet('sqlite');
    await seedDemo(carnet.ctx);
    await seedDemoContent(carnet.ctx);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await carnet?.stop();
  });

  it('the patient space: public pages, then every page of a signed-in patient', async () => {
    const context = await newContext(browser, carnet.url);
    // Thirty-odd screens in a row on a loaded machine: a slow one is not an accessibility failure.
    context.setDefaultTimeout(20_000);
    const errors = pageErrors(context);
    const page = await context.newPage();
    const failures = await checkScreens(page, patientPublicScreens);
    // The one-time code step, checked on its own before the code is typed.
    await page.goto('/connexion');
    await page.getByRole('textbox', { name: 'Identifiant' }).fill(marie.login);
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    const before = (await readDevMailbox(carnet.config.dataDir))[0]?.id;
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Code de connexion' }).waitFor();
    failures.push(
      ...(await checkScreens(page, [{ name: 'code de connexion', follow: async () => undefined }])),
    );
    // This code's e-mail must be in before signing in again: arriving late, on a loaded machine, it would pass for
    // the next sign-in's code, which replaces it.
    await waitForEmail(
      carnet.config.dataDir,
      (m) =>
        m.to.includes(marie.email) && m.subject.includes('code de connexion') && (!before || m.id > before),
      20_000,
    );
    await page.goto('/connexion');
    await signInPatient(page, carnet.config.dataDir, marie, DEMO_PASSWORD);
    await page.getByRole('heading', { name: 'Bonjour Marie MOREL' }).waitFor();
    failures.push(...(await checkScreens(page, patientScreens)));
    expect(failures).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);

  it('the professionals’ portal: sign-in, search, and every page of a patient’s record', async () => {
    const context = await newContext(browser, carnet.url);
    // Thirty-odd screens in a row on a loaded machine: a slow one is not an accessibility failure.
    context.setDefaultTimeout(20_000);
    const errors = pageErrors(context);
    const page = await context.newPage();
    await page.goto('/pro/');
    await settled(page);
    const failures: string[] = [];
    await expectNoAccessibilityViolations(page).catch((error: Error) =>
      failures.push(`connexion: ${error.message}`),
    );
    await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
    await page.getByRole('button', { name: /carte e-CPS de Dr Claire MARTIN/ }).click();
    await page.getByLabel('Matricule INS du patient').fill(marie.ins);
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.locator('.patient-card').waitFor();
    failures.push(...(await checkScreens(page, [{ name: 'fiche patient', follow: async () => undefined }])));
    await page.getByRole('link', { name: 'Ouvrir le dossier médical partagé' }).click();
    await page.getByRole('heading', { name: /Dossier médical partagé de Marie MOREL/ }).waitFor();
    failures.push(
      ...(await checkScreens(page, [{ name: 'dossier avant accord', follow: async () => undefined }])),
    );
    await page.getByRole('button', { name: 'Le patient m’a donné son accord' }).click();
    await page.getByRole('heading', { name: /^Documents \(\d+\)$/ }).waitFor();
    const record = page.url();
    failures.push(
      ...(await checkScreens(page, [
        { name: 'dossier', path: record },
        { name: 'un document', follow: firstLinkIn('main a[href^="/pro/dossier/document"]') },
        { name: 'profil médical', path: record.replace('/pro/dossier?', '/pro/dossier/profil?') },
        {
          name: 'histoire de santé',
          path: record.replace('/pro/dossier?', '/pro/dossier/histoire-de-sante?'),
        },
        { name: 'volet de synthèse médicale', path: record.replace('/pro/dossier?', '/pro/dossier/vsm?') },
        ...proScreens,
      ])),
    );
    expect(failures).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);
});
