import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parisDay } from '../../src/shared/paris-time.ts';
import { DEMO_PASSWORD } from '../../src/demo/patients.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { pdfTextLines } from '../../src/portability/test-pdf-text.ts';
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

/** Marie MOREL, the demo diabetic patient, and her GP Dr Claire MARTIN. */
const marie = { ins: '271096912304585', login: 'marie.morel', email: 'marie.morel@mail.example' };

/** Codes the history once showed as is (found by a walk-through of the page). */
const rawCodes = ['agenda-read', 'message-read', 'profile-read', 'app-connect', 'history-read', 'search'];

describe('access history in the browser', () => {
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

  async function open(viewport: { width: number; height: number }): Promise<Page> {
    const context = await newContext(browser, carnet.url, viewport);
    contexts.push(context);
    errors.push(pageErrors(context));
    return context.newPage();
  }

  /** Dr Martin signs in with the development e-CPS and opens Marie's record: her first access to it. */
  async function martinReadsMariesRecord(): Promise<void> {
    const page = await open(desktop);
    await page.goto('/pro/');
    await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
    await page.getByRole('button', { name: 'Se connecter avec la carte e-CPS de Dr Claire MARTIN' }).click();
    await page.getByLabel('Matricule INS du patient').fill(marie.ins);
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByRole('link', { name: 'Ouvrir le dossier médical partagé' }).click();
    await page.getByRole('heading', { name: /Dossier médical partagé de Marie/ }).waitFor();
    const consent = page.getByRole('heading', { name: 'Accord du patient nécessaire' });
    const documents = page.getByRole('heading', { name: /^Documents \(\d+\)$/ });
    await consent.or(documents).waitFor();
    if (await consent.isVisible())
      await page.getByRole('button', { name: 'Le patient m’a donné son accord' }).click();
    await documents.waitFor();
    await screenshot(page, 'issue14-history-pro-reads-1280');
  }

  async function marieOpensHistory(viewport: { width: number; height: number }): Promise<Page> {
    const page = await open(viewport);
    await page.goto('/connexion');
    await signInPatient(page, carnet.config.dataDir, marie, DEMO_PASSWORD);
    await page.getByRole('heading', { name: /Bonjour/ }).waitFor();
    await page.goto('/dossier-medical/historique');
    await page.getByRole('heading', { name: 'Historique des accès', level: 1 }).waitFor();
    await page
      .locator('.history-count')
      .filter({ hasText: /action/ })
      .waitFor();
    return page;
  }

  const count = async (page: Page) => (await page.locator('.history-count').innerText()).trim();
  /** Waits for the list to answer a filter change (the count line changes). */
  async function afterChange(page: Page, change: () => Promise<unknown>): Promise<void> {
    const before = await count(page);
    await change();
    await expect.poll(() => count(page)).not.toBe(before);
  }

  it('shows Marie Dr Martin’s first access, in French, filters it, adds her own actions and downloads the PDF', async () => {
    await martinReadsMariesRecord();
    const today = parisDay(new Date());

    // On a phone: cards, not a clipped table; Dr Martin's first access set apart; nothing of Marie's own.
    const page = await marieOpensHistory(phone);
    const cards = page.getByRole('list', { name: 'Actions enregistrées' }).getByRole('listitem');
    const martin = cards.filter({ hasText: 'Dr Claire MARTIN' });
    const first = martin.filter({ has: page.getByText('Premier accès', { exact: true }) });
    await first.first().waitFor();
    expect(await first.count()).toBe(1);
    expect(await first.innerText()).toContain('Recherche dans le dossier');
    expect(await first.evaluate((li) => getComputedStyle(li).backgroundColor)).not.toBe('rgb(255, 255, 255)');
    expect(await page.getByRole('table').count()).toBe(0);
    expect(await cards.filter({ hasText: /^Vous$/m }).count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.width);
    const text = await page.locator('main').innerText();
    for (const code of rawCodes) expect(text).not.toMatch(new RegExp(`(^|\\s)${code}(\\s|$)`));
    await screenshot(page, 'issue14-history-390');
    await expectNoAccessibilityViolations(page);

    // Filters: a kind of action, then a period (today has Dr Martin's access, tomorrow nothing).
    await afterChange(page, () =>
      page.getByLabel('Type d’action').selectOption({ label: 'Consultation de documents' }),
    );
    await first.waitFor();
    expect(await cards.filter({ hasText: 'Déclaration de votre consentement' }).count()).toBe(0);
    await page.getByLabel('Du (facultatif)').fill(today);
    await page.getByLabel('Au (facultatif)').fill(today);
    await first.waitFor();
    await screenshot(page, 'issue14-history-filtered-390');
    const tomorrow = parisDay(new Date(Date.now() + 86_400_000));
    await page.getByLabel('Au (facultatif)').fill('');
    await afterChange(page, () => page.getByLabel('Du (facultatif)').fill(tomorrow));
    await page.getByText('Aucune action ne correspond à ces critères.').waitFor();
    await page.getByRole('button', { name: 'Effacer les filtres' }).click();
    await first.waitFor();

    // Her own actions, on request.
    await afterChange(page, () => page.getByLabel('Afficher aussi mes propres actions').check());
    const mine = cards.filter({ hasText: 'Consultation de l’historique des accès' });
    await mine.first().waitFor();
    expect(await mine.first().innerText()).toMatch(/^Vous$/m);
    await screenshot(page, 'issue14-history-own-390');
    await expectNoAccessibilityViolations(page);

    // The PDF: the list as filtered, with Dr Martin's first access.
    await page.getByLabel('Afficher aussi mes propres actions').uncheck();
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Télécharger en PDF' }).click(),
    ]);
    expect(file.suggestedFilename()).toMatch(/^historique-des-acces-\d{4}-\d{2}-\d{2}\.pdf$/);
    const pdf = (await pdfTextLines(await readFile((await file.path())!))).flat();
    expect(pdf).toContain('Historique des accès à mon dossier');
    expect(pdf).toContain('Premier accès à votre dossier');
    expect(pdf.some((line) => line.includes('Dr Claire MARTIN'))).toBe(true);
    expect(pdf).toContain('Recherche dans le dossier');

    // The download itself is in the history, as Marie's own action.
    await page.reload();
    await page.getByLabel('Afficher aussi mes propres actions').check();
    await cards.filter({ hasText: 'Téléchargement de l’historique des accès (PDF)' }).first().waitFor();
    expect(errors.flat()).toEqual([]);
  }, 120_000);

  it('shows the same history as a table on a wide screen', async () => {
    const page = await marieOpensHistory(desktop);
    const table = page.getByRole('table');
    await table.waitFor();
    expect(await page.getByRole('list', { name: 'Actions enregistrées' }).count()).toBe(0);
    const row = table
      .locator('tbody tr', { hasText: 'Dr Claire MARTIN' })
      .filter({ hasText: 'Premier accès' });
    expect(await row.count()).toBe(1);
    expect(await row.locator('td').nth(2).innerText()).toBe('Recherche dans le dossier');
    await screenshot(page, 'issue14-history-1280');
    await expectNoAccessibilityViolations(page);
    expect(errors.flat()).toEqual([]);
  }, 120_000);
});
