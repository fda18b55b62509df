import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/seed.ts';
import { buildIndicatorMonth, shiftMonth } from '../../src/indicators/test-month.ts';
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
} from './browser.ts';

/** "2026-10" → "octobre 2026", as the page writes it. */
const monthLabel = (month: string) =>
  new Date(`${month}-15T12:00:00Z`).toLocaleDateString('fr-FR', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

/**
 * What a month shows, as the doctor reads it (French spaces made plain): the cells of its row of the table from
 * 40rem, the values of its card on a phone (or the card's one sentence for a month with nothing).
 */
async function monthFigures(page: Page, month: string, narrow: boolean): Promise<string[]> {
  const name = new RegExp(`^${monthLabel(month)}`);
  const texts = narrow
    ? await page
        .locator('.indicator-cards > li')
        .filter({ has: page.getByRole('heading', { name }) })
        .locator('dd, p')
        .allInnerTexts()
    : await page
        .locator('table.indicators tbody tr')
        .filter({ has: page.getByRole('rowheader', { name }) })
        .getByRole('cell')
        .allInnerTexts();
  return texts.map((c) => c.replace(/\s+/g, ' ').trim());
}

/**
 * Dr Martin's indicators for a constructed month (src/indicators/test-month.ts), two months back from today so
 * that the feed has arrived and every deposit and message is in the past: 4 reimbursed consultations, 2 followed
 * by a deposit of his within 30 days, 1 by a message, a VSM for a patient in ALD and one for a patient whose ALD
 * has ended, and a report the patient filed herself, which is not his deposit.
 */
describe('indicators of the professional portal in the browser', () => {
  let carnet: TestCarnet;
  let browser: Browser;
  let override: string | undefined;
  const month = shiftMonth(new Date().toISOString().slice(0, 7), -2);

  beforeAll(async () => {
    requireWebBuild();
    carnet = await startTestCarnet('sqlite', {
      clock: { now: () => (override ? new Date(override) : new Date()) },
    });
    await seedDemo(carnet.ctx);
    await buildIndicatorMonth(carnet.ctx, (instant) => (override = instant), month);
    override = undefined;
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await carnet?.stop();
  });

  for (const [size, viewport] of [
    ['390', phone],
    ['1280', desktop],
  ] as const) {
    it(`shows the month's consultations, shares and VSMs, and explains them (${size} px)`, async () => {
      const context = await newContext(browser, carnet.url, viewport);
      const errors = pageErrors(context);
      const page = await context.newPage();
      await page.goto('/pro/');
      await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
      await page.getByRole('button', { name: /carte e-CPS de Dr Claire MARTIN/ }).click();
      await page.getByRole('heading', { name: 'Rechercher un patient par INS' }).waitFor();

      await page.getByRole('link', { name: 'Mes indicateurs' }).click();
      await page.getByRole('heading', { name: 'Mes indicateurs Mon espace santé' }).waitFor();
      const narrow = viewport === phone;
      if (narrow) await page.getByRole('heading', { name: 'Vos indicateurs des 12 derniers mois' }).waitFor();
      else await page.getByRole('table', { name: 'Vos indicateurs des 12 derniers mois' }).waitFor();
      expect(await monthFigures(page, month, narrow)).toEqual([
        '4',
        '50 % (2 sur 4) Objectif atteint',
        '25 % (1 sur 4) Objectif atteint',
        '1',
        '1',
      ]);
      // The month before: Karim's consultation, followed by a deposit, no message.
      expect(await monthFigures(page, shiftMonth(month, -1), narrow)).toEqual([
        '1',
        '100 % (1 sur 1) Objectif atteint',
        '0 % (0 sur 1) Sous l’objectif de 5 %',
        '0',
        '0',
      ]);
      // The month after: no consultation, so no share.
      expect(await monthFigures(page, shiftMonth(month, 1), narrow)).toEqual(
        narrow ? ['Aucune consultation remboursée, aucun VSM déposé.'] : ['0', '—', '—', '0', '0'],
      );
      const main = await page.getByRole('main').innerText();
      expect(main).toContain('dans les 30 jours qui suivent');
      expect(main).toMatch(/classé dans son dossier depuis un de vos messages ne compte pas/);
      expect(main).toMatch(/affection de longue durée \(ALD\)/);
      await page.getByRole('heading', { name: 'Comment ces chiffres sont calculés' }).waitFor();
      await screenshot(page, `issue14-indicators-${size}`);
      await expectNoAccessibilityViolations(page);

      // « Mes dépôts »: 4 documents in the month; Émilie's filing of his report is not one of them.
      await page.getByRole('link', { name: 'Mes dépôts par mois' }).click();
      await page.getByRole('heading', { name: 'Mes dépôts par mois' }).waitFor();
      const deposits = page.locator('table tbody tr').filter({ hasText: monthLabel(month) });
      await deposits.waitFor();
      expect((await deposits.getByRole('cell').allInnerTexts()).map((c) => c.trim())).toEqual([
        monthLabel(month),
        '4',
      ]);
      await screenshot(page, `issue14-deposits-${size}`);
      await expectNoAccessibilityViolations(page);
      expect(errors).toEqual([]);
      await context.close();
    }, 90_000);
  }
});
