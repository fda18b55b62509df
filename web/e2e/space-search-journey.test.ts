import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPerson, demoProfessional } from '../../src/demo/index.ts';
import { DEMO_PASSWORD } from '../../src/demo/patients.ts';
import { seedDemo, seedDemoContent } from '../../src/demo/seed.ts';
import { makePdf } from '../../src/record/content/test-files.ts';
import { depositDocuments } from '../../src/record/index.ts';
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
  typeSearchTimed,
} from './browser.ts';

/** Six ultrasound reports and a blood test in Marie Morel's record, one more than the page shows of a kind. */
const echographies = [
  'Échographie abdominale',
  'Échographie thyroïdienne',
  'Échographie rénale',
  'Échographie cardiaque',
  'Échographie hépatique',
  'Échographie pelvienne',
];

/**
 * Marie Morel (the demo's diabetic patient: her GP's unread message about her HbA1c, her penicillin allergy, her
 * metformin) searches her whole space from her phone: a word of the message opens the conversation, her allergy
 * leads to the profile's section, a report's title opens the report, « Voir les 6 documents » leads to the record
 * page searching the same word. The time from the last key to the results is printed, not asserted.
 */
describe('the patient searches across her documents, messages and profile on a phone', () => {
  let carnet: TestCarnet;
  let browser: Browser;
  let context: BrowserContext;
  let errors: string[];

  beforeAll(async () => {
    requireWebBuild();
    carnet = await startTestCarnet('sqlite');
    await seedDemo(carnet.ctx);
    // Her profile and her GP's message through the gateway's own path (src/demo/messaging-seed.ts).
    await seedDemoContent(carnet.ctx);
    const marie = await demoPerson(carnet.ctx, 'marie');
    const martin = await demoProfessional(carnet.ctx);
    const pdf = await makePdf('Compte rendu');
    for (const title of [...echographies, 'Bilan sanguin trimestriel'])
      await depositDocuments(carnet.ctx, martin, [
        {
          patientId: marie.id,
          typeCode: '11488-4',
          title,
          content: pdf,
          declaredContentType: 'application/pdf',
        },
      ]);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await carnet?.stop();
  });

  const noSideways = (page: Page) =>
    page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  /** The results' line once the page has the answer to what is in the box. */
  async function summary(page: Page): Promise<string> {
    await page.locator('.space-search-results [role="status"][aria-busy="false"]').waitFor();
    return (await page.locator('.space-search-results [role="status"]').innerText()).trim();
  }

  /** Types a search and times it in the page, from the last key to these words' results (the pause included). */
  const typesSearch = async (page: Page, text: string) =>
    (
      await typeSearchTimed(
        page,
        {
          label: 'Rechercher dans mes documents, mes messages et mon profil médical',
          input: '#space-q',
          done: '.space-search-results [role="status"][aria-busy="false"]',
        },
        text,
      )
    ).total;

  const heading = (page: Page, name: string) => page.getByRole('heading', { name, level: 2 });
  const marks = (page: Page) => page.locator('.space-search-results mark').allInnerTexts();

  it('at 390 px Marie finds a message, her allergy and a report from one search box', async () => {
    context = await newContext(browser, carnet.url, phone);
    errors = pageErrors(context);
    const page = await context.newPage();
    await page.goto('/connexion');
    await signInPatient(
      page,
      carnet.config.dataDir,
      { login: 'marie.morel', email: 'marie.morel@mail.example' },
      DEMO_PASSWORD,
    );
    await page.getByRole('heading', { name: 'Bonjour Marie MOREL' }).waitFor();

    // 1. From the home's search landmark, with the keyboard: a word of her GP's message.
    const box = page.getByRole('search', { name: 'Mon espace' }).getByLabel('Rechercher dans mon espace');
    expect(await noSideways(page)).toBe(true);
    await screenshot(page, 'issue16-space-search-home-390');
    await box.fill('hba1c');
    await box.press('Enter');
    await page.getByRole('heading', { name: 'Rechercher dans mon espace', level: 1 }).waitFor();
    expect(new URL(page.url()).searchParams.get('q')).toBe('hba1c');
    expect(await summary(page)).toMatch(/^\d+ résultats? pour « hba1c »$/);
    const message = await typesSearch(page, 'hba1c stable');
    expect(await summary(page)).toBe('1 résultat pour « hba1c stable »');
    await heading(page, 'Documents (0)').waitFor();
    await heading(page, 'Messages (1)').waitFor();
    await heading(page, 'Mon profil médical (0)').waitFor();
    expect(await marks(page)).toEqual(expect.arrayContaining(['HbA1c', 'stable']));
    expect(await page.locator('.space-search-excerpt').innerText()).toContain(
      'Votre dernière HbA1c est stable.',
    );
    await page.getByRole('link', { name: 'Votre prochain bilan de suivi' }).click();
    await page.getByRole('heading', { name: 'Votre prochain bilan de suivi', level: 1 }).waitFor();
    await page.getByText('Votre dernière HbA1c est stable.').waitFor();

    // 2. Back to her results; her allergy, accents and case as she types them.
    await page.goBack();
    expect(await summary(page)).toBe('1 résultat pour « hba1c stable »');
    const allergy = await typesSearch(page, 'Pénicilline');
    expect(await summary(page)).toBe('1 résultat pour « Pénicilline »');
    await heading(page, 'Mon profil médical (1)').waitFor();
    await heading(page, 'Messages (0)').waitFor();
    const entry = page.getByRole('list', { name: 'Informations trouvées dans mon profil médical' });
    await entry.getByText('Allergies').waitFor();
    await entry.getByRole('link', { name: /^Pénicilline/ }).click();
    await page.getByRole('heading', { name: 'Profil médical : Allergies', level: 1 }).waitFor();
    expect(page.url()).toContain('/dossier-medical/profil?section=allergies');
    await page.goBack();

    // 3. A word in all three: the documents, the message's subject, nothing in the profile.
    const bilan = await typesSearch(page, 'bilan');
    await heading(page, 'Messages (1)').waitFor();
    expect(await page.getByRole('link', { name: 'Bilan sanguin trimestriel' }).count()).toBe(1);
    expect(await noSideways(page)).toBe(true);

    // 4. A report's title: five of six shown, the sixth behind « Voir les 6 documents », the same words.
    const report = await typesSearch(page, 'échographie');
    expect(await summary(page)).toBe('6 résultats pour « échographie »');
    await heading(page, 'Documents (6)').waitFor();
    const found = page.getByRole('list', { name: 'Documents trouvés, du plus récent au plus ancien' });
    expect(await found.getByRole('link').count()).toBe(5);
    expect(await found.locator('mark').first().innerText()).toBe('Échographie');
    expect(await noSideways(page)).toBe(true);
    await screenshot(page, 'issue16-space-search-390');
    await expectNoAccessibilityViolations(page);
    await page.getByRole('link', { name: 'Voir les 6 documents' }).click();
    await page.getByRole('heading', { name: 'Résultats de la recherche', level: 2 }).waitFor();
    await page.locator('.record-count[aria-busy="false"]').waitFor();
    expect(await page.locator('.record-count').innerText()).toMatch(/^6 documents sur \d+$/);
    expect(await page.getByLabel('Rechercher dans mes documents').inputValue()).toBe('échographie');
    await screenshot(page, 'issue16-space-search-documents-390');
    // And back from the record page, its own link carries the words to the space search.
    await page
      .getByRole('link', { name: 'Rechercher aussi dans mes messages et mon profil médical' })
      .click();
    expect(await summary(page)).toBe('6 résultats pour « échographie »');
    const newest = found.getByRole('link').first();
    const title = await newest.innerText();
    expect(echographies).toContain(title);
    await newest.click();
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();
    await page.goBack();

    // 5. Nothing found: said in words, the groups step aside.
    await typesSearch(page, 'radiographie');
    expect(await summary(page)).toBe('Aucun résultat pour « radiographie »');
    expect(await heading(page, 'Documents (0)').count()).toBe(0);
    expect(await noSideways(page)).toBe(true);
    await expectNoAccessibilityViolations(page);

    console.log(
      `[issue16 space search 390 px] from the last key to the results: « hba1c stable » ${message.toFixed(0)} ms, ` +
        `« Pénicilline » ${allergy.toFixed(0)} ms, « bilan » ${bilan.toFixed(0)} ms, ` +
        `« échographie » ${report.toFixed(0)} ms`,
    );
    expect(errors).toEqual([]);
  }, 180_000);

  it('says the messaging is not open yet, rather than « 0 », when the answer has no mailbox', async () => {
    // No profile a patient can open in the demo lacks a mailbox (a child not activated yet is not offered): the
    // server's answer is altered on its way, as for a profile whose messaging is closed.
    const page = await context.newPage();
    await page.route('**/search?*', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), messages: null } });
    });
    await page.goto('/recherche?q=bilan');
    await heading(page, 'Documents (1)').waitFor();
    expect(await summary(page)).toBe('1 résultat pour « bilan »');
    await page.getByRole('heading', { name: 'Messages', exact: true, level: 2 }).waitFor();
    await page.getByText('La messagerie de ce profil n’est pas encore ouverte').waitFor();
    await page.goto('/recherche?q=radiographie');
    expect(await summary(page)).toBe('Aucun résultat pour « radiographie »');
    await page.getByText('La messagerie de ce profil n’est pas encore ouverte').waitFor();
    expect(errors).toEqual([]);
  }, 60_000);
});
