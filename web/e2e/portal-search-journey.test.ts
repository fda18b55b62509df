import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LONG_TERM_INS } from '../../src/demo/long-term-record.ts';
import { seedDemoLongTermRecord } from '../../src/demo/long-term-seed.ts';
import { demoProfessional } from '../../src/demo/principals.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import type { Ins } from '../../src/identity/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../../src/insured/index.ts';
import { episodeIdOf, parseEpisodeId, searchDocuments, type DocumentBrowse } from '../../src/record/index.ts';
import { startTestCarnet, type TestCarnet } from '../../src/server/test-server.ts';
import { findDocumentType } from '../../src/terminology/index.ts';
import { TYPING_DELAY_MS } from '../shared/record-search.tsx';
import {
  desktop,
  expectNoAccessibilityViolations,
  launchBrowser,
  newContext,
  pageErrors,
  phone,
  requireWebBuild,
  screenshot,
  typeSearchTimed,
} from './browser.ts';

/**
 * A long-term patient's record in the portal: Hélène Brunet's ten years, about a thousand documents (the demo's
 * generator, seeded in seconds), read as a paged table; her GP finds last year's discharge letter by typing two words and
 * narrows to the biology of the last six months with the filters; a dentist's same search shows fewer documents and
 * says why. The figures printed are the browser's own (performance.now), not asserted.
 */
describe('searching a long record in the portal', () => {
  let carnet: TestCarnet;
  let browser: Browser;
  let helene: InsuredPerson;
  const contexts: BrowserContext[] = [];
  const errors: string[][] = [];
  const lastYear = String(new Date().getFullYear() - 1);
  const biology = findDocumentType('11502-2')!;
  const pageHeights: string[] = [];

  beforeAll(async () => {
    requireWebBuild();
    carnet = await startTestCarnet('sqlite');
    await seedDemo(carnet.ctx);
    await seedDemoLongTermRecord(carnet.ctx);
    helene = (await findInsuredByIns(carnet.ctx.db, LONG_TERM_INS as Ins))!;
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await carnet?.stop();
  });

  /** What the server answers this professional for a search (the same policy as the page's). */
  async function expected(rpps: string, browse: DocumentBrowse) {
    const principal = await demoProfessional(carnet.ctx, rpps);
    const found = await searchDocuments(carnet.ctx, principal, {
      patientId: helene.id,
      browse,
      count: 500,
      offset: 0,
      episodes: true,
    });
    if (!('documents' in found)) throw new Error('refused');
    return found;
  }

  async function proSignsIn(viewport: { width: number; height: number }, name: RegExp): Promise<Page> {
    const context = await newContext(browser, carnet.url, viewport);
    contexts.push(context);
    errors.push(pageErrors(context));
    const page = await context.newPage();
    await page.goto('/pro/');
    await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
    await page.getByRole('button', { name }).click();
    await page.getByLabel('Matricule INS du patient').fill(helene.ins);
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByRole('link', { name: 'Ouvrir le dossier médical partagé' }).waitFor();
    return page;
  }

  /** Opens the record from the patient's card and times it in the page, until the first rows are drawn. */
  async function opensRecord(page: Page): Promise<number> {
    return page.evaluate(async () => {
      const link = [...document.querySelectorAll('a')].find(
        (a) => a.textContent === 'Ouvrir le dossier médical partagé',
      )!;
      const start = performance.now();
      link.click();
      for (;;) {
        const shown = document.querySelector('.record-count, #consent-title');
        if (shown && !document.querySelector('.record-count[aria-busy="true"]')) break;
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
      return performance.now() - start;
    });
  }

  /** The count line under the filters once the page has its answer (spaces as the French digits group them). */
  async function countLine(page: Page): Promise<string> {
    await page.locator('.record-count[aria-busy="false"]').waitFor();
    return (await page.locator('.record-count').innerText()).replace(/\s/g, ' ');
  }

  /**
   * Types a search and times it in the page from the last key to the new rows (the box's pause included), and from
   * its request to the rows.
   */
  const typesSearch = async (page: Page, text: string) => {
    const { total, afterRequest } = await typeSearchTimed(
      page,
      {
        label: 'Rechercher dans le dossier',
        input: '#record-q',
        done: '.record-count[aria-busy="false"]',
        request: '/documents?',
      },
      text,
    );
    return { total, afterPause: afterRequest };
  };

  /** Documents a page shows: twenty cards on a phone, a table of fifty on a wide screen. */
  const pageSizeAt = (width: string) => (width === '390' ? 20 : 50);

  /** The count line a person reads for `total` documents on the first page of `size`. */
  const countText = (total: number, size: number) =>
    total <= 1
      ? `${total} document`
      : total <= size
        ? `${total} documents`
        : `${total.toLocaleString('fr-FR').replace(/\s/g, ' ')} documents, 1 à ${size} affichés`;

  const rowsShown = (page: Page) =>
    page.locator('.document-table tbody tr:visible, .document-card:visible').count();
  const titlesShown = (page: Page) =>
    page
      .locator('.document-table tbody tr:visible td:nth-child(3) a, .document-card:visible a')
      .allInnerTexts();

  /** Opens « Filtres » when a phone folds them. */
  async function openFilters(page: Page) {
    const details = page.locator('details.record-more-filters');
    if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open)))
      await details.locator('summary').click();
  }

  it.each([
    ['390', phone],
    ['1280', desktop],
  ])(
    'at %s px, Dr Martin pages through the record, finds last year’s discharge letter and narrows to recent biology',
    async (width, viewport) => {
      const size = pageSizeAt(width);
      const all = await expected('10001000115', {});
      const martin = await proSignsIn(viewport, /carte e-CPS de Dr Claire MARTIN/);
      const firstRender = await opensRecord(martin);
      await martin
        .getByRole('heading', { name: 'Dossier médical partagé de Hélène BRUNET', level: 1 })
        .waitFor();
      const banner = await martin.getByRole('region', { name: 'Patient concerné' }).innerText();
      expect(banner.replace(/\s/g, '')).toContain(LONG_TERM_INS);

      // Newest first, a few screens to a page, the total said in words a person reads.
      const total = all.total.toLocaleString('fr-FR').replace(/\s/g, ' ');
      expect(await countLine(martin)).toBe(`${total} documents, 1 à ${size} affichés`);
      expect(await rowsShown(martin)).toBe(size);
      expect(await titlesShown(martin)).toEqual(all.documents.slice(0, size).map((d) => d.title));
      // A few screens, not tens of thousands of pixels.
      const height = await martin.evaluate(() => document.documentElement.scrollHeight);
      expect(height).toBeLessThan(8_000);
      pageHeights.push(`${width} px: ${height} px`);
      await expectNoAccessibilityViolations(martin);
      await screenshot(martin, `issue16-portal-liste-${width}`);
      await martin.getByRole('button', { name: 'Page suivante' }).click();
      expect(await countLine(martin)).toBe(`${total} documents, ${size + 1} à ${2 * size} affichés`);
      expect(await titlesShown(martin)).toEqual(all.documents.slice(size, 2 * size).map((d) => d.title));
      await martin.getByRole('button', { name: 'Page précédente' }).click();
      expect(await countLine(martin)).toBe(`${total} documents, 1 à ${size} affichés`);

      // Two words: last year's discharge letter, the words highlighted.
      const letters = await expected('10001000115', { text: `liaison ${lastYear}` });
      expect(letters.total).toBeGreaterThanOrEqual(1);
      const search = await typesSearch(martin, `liaison ${lastYear}`);
      expect(await countLine(martin)).toBe(countText(letters.total, size));
      const found = await titlesShown(martin);
      expect(found).toEqual(letters.documents.slice(0, size).map((d) => d.title));
      for (const title of found) expect(title).toMatch(/^Lettre de liaison à la sortie/);
      const marks = await martin.locator('mark:visible').allInnerTexts();
      expect(marks).toContain('liaison');
      expect(marks).toContain(lastYear);
      expect(martin.url()).toContain(`q=liaison+${lastYear}`);
      await expectNoAccessibilityViolations(martin);
      await screenshot(martin, `issue16-portal-recherche-${width}`);

      // Biology of the last six months, with the filters; the address keeps them.
      await martin.getByRole('button', { name: 'Réinitialiser' }).click();
      expect(await countLine(martin)).toBe(`${total} documents, 1 à ${size} affichés`);
      expect(await martin.getByLabel('Rechercher dans le dossier').inputValue()).toBe('');
      await openFilters(martin);
      // The practice setting alone first: what was written in hospital.
      const hospital = await expected('10001000115', { settingCodes: ['ETABLISSEMENT'] });
      expect(hospital.total).toBeLessThan(all.total);
      // Offered with its count, as the other filters are.
      const hospitalOption = martin.getByLabel('Cadre d’exercice').locator('option[value="ETABLISSEMENT"]');
      expect((await hospitalOption.innerText()).trim()).toMatch(new RegExp(` \\(${hospital.total}\\)$`));
      await martin.getByLabel('Cadre d’exercice').selectOption('ETABLISSEMENT');
      expect(await countLine(martin)).toBe(countText(hospital.total, size));
      expect(await titlesShown(martin)).toEqual(hospital.documents.slice(0, size).map((d) => d.title));
      expect(new URL(martin.url()).searchParams.get('setting')).toBe('ETABLISSEMENT');
      await martin.getByRole('button', { name: 'Réinitialiser' }).click();
      expect(await countLine(martin)).toBe(`${total} documents, 1 à ${size} affichés`);
      const type = martin.getByLabel('Type', { exact: true });
      const biologyOption = (await type.locator(`option[value="${biology.code}"]`).innerText()).trim();
      expect(biologyOption).toMatch(/ \(\d+\)$/);
      expect(biologyOption.startsWith(`${biology.display} (`)).toBe(true);
      await type.selectOption(biology.code);
      await countLine(martin);
      await martin.getByRole('button', { name: '6 derniers mois' }).click();
      await expect.poll(() => new URL(martin.url()).searchParams.get('from')).toBeTruthy();
      const from = new URL(martin.url()).searchParams.get('from')!;
      expect(new URL(martin.url()).searchParams.get('type')).toBe(biology.code);
      const recent = await expected('10001000115', { typeCodes: [biology.code], dateFrom: from });
      expect(recent.total).toBeGreaterThanOrEqual(1);
      expect(await countLine(martin)).toBe(countText(recent.total, size));
      expect(await titlesShown(martin)).toEqual(recent.documents.slice(0, size).map((d) => d.title));
      expect(await martin.getByRole('button', { name: '6 derniers mois' }).getAttribute('aria-pressed')).toBe(
        'true',
      );
      await expectNoAccessibilityViolations(martin);
      await screenshot(martin, `issue16-portal-biologie-${width}`);

      // Back: the type alone; forward: the six months again. A shared link opens the same list.
      await martin.goBack();
      await expect.poll(() => new URL(martin.url()).searchParams.get('from')).toBeNull();
      expect(await type.inputValue()).toBe(biology.code);
      await martin.goForward();
      expect(await countLine(martin)).toBe(countText(recent.total, size));
      const shared = martin.url();
      await martin.goto(shared);
      expect(await countLine(martin)).toBe(countText(recent.total, size));

      // The document's own page from the list.
      await martin.getByRole('link', { name: recent.documents[0]!.title }).first().click();
      await martin.getByRole('heading', { name: recent.documents[0]!.title, level: 1 }).waitFor();

      // Back to the list, laid out as a timeline by month: the same documents, under their months.
      await martin.goBack();
      expect(await countLine(martin)).toBe(countText(recent.total, size));
      await martin.getByRole('button', { name: 'Chronologie' }).click();
      await expect.poll(() => new URL(martin.url()).searchParams.get('vue')).toBe('chronologie');
      const months = await martin.locator('.document-timeline h3').allInnerTexts();
      const first = new Date(recent.documents[0]!.createdAt);
      expect(months[0]!.toLowerCase()).toBe(
        first.toLocaleDateString('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' }),
      );
      // A stay's documents sit together under it, so the order may differ from the table's: the same documents.
      expect((await titlesShown(martin)).sort()).toEqual(
        recent.documents
          .slice(0, size)
          .map((d) => d.title)
          .sort(),
      );

      // Last year's discharge letter in the timeline: under its hospital stay, whose whole size is said.
      await martin.getByRole('button', { name: 'Réinitialiser' }).click();
      await martin.getByRole('button', { name: 'Chronologie' }).click();
      await typesSearch(martin, `liaison ${lastYear}`);
      const letter = letters.documents[0]!;
      const stay = letters.episodes!.find((e) => e.id === episodeIdOf(letter))!;
      expect(stay.kind).toBe('encounter');
      expect(stay.documentCount).toBeGreaterThan(1);
      const stayShown = martin
        .locator('.document-timeline .episode')
        .filter({ has: martin.getByRole('heading', { name: `Séjour — ${stay.structure}`, level: 4 }) })
        .filter({ hasText: letter.title });
      const onPage = letters.documents.filter((d) => episodeIdOf(d) === stay.id).length;
      expect(await stayShown.locator('.episode-detail').innerText()).toContain(
        `${stay.documentCount} documents, dont ${onPage} sur cette page`,
      );
      // The whole stay at one click, its documents only, the way back to the record beside them.
      await stayShown
        .getByRole('button', { name: `Voir tout le séjour (${stay.documentCount} documents)` })
        .click();
      await expect.poll(() => new URL(martin.url()).searchParams.get('episode')).toBe(stay.id);
      const wholeStay = await expected('10001000115', { episode: parseEpisodeId(stay.id)! });
      expect(wholeStay.total).toBe(stay.documentCount);
      expect(await countLine(martin)).toBe(countText(stay.documentCount, size));
      expect((await titlesShown(martin)).sort()).toEqual(wholeStay.documents.map((d) => d.title).sort());
      expect(await martin.locator('.episode-shown').innerText()).toContain(`Séjour — ${stay.structure}`);
      expect(new URL(martin.url()).searchParams.get('q')).toBeNull();
      await expectNoAccessibilityViolations(martin);
      await screenshot(martin, `issue16-portal-sejour-${width}`);
      await martin.getByRole('button', { name: 'Revenir à tout le dossier' }).click();
      expect(await countLine(martin)).toBe(`${total} documents, 1 à ${size} affichés`);
      await expectNoAccessibilityViolations(martin);
      await screenshot(martin, `issue16-portal-chronologie-${width}`);

      console.log(
        `[issue16 portal ${width} px] ${all.total} documents, page ${pageHeights.at(-1)} tall; first page drawn ${firstRender.toFixed(0)} ms after ` +
          `opening the record; search « liaison ${lastYear} » ${search.total.toFixed(0)} ms from the last key ` +
          `(${search.afterPause.toFixed(0)} ms from its request, after the box’s ${TYPING_DELAY_MS} ms pause)`,
      );
      for (const list of errors) expect(list).toEqual([]);
    },
    240_000,
  );

  it.each([
    ['390', phone],
    ['1280', desktop],
  ])(
    'at %s px, the dentist’s same search shows fewer documents and says how many his profession may not see',
    async (width, viewport) => {
      const size = pageSizeAt(width);
      const words = 'insuffisance cardiaque';
      const gp = await expected('10001000115', { text: words });
      const leroy = await proSignsIn(viewport, /carte e-CPS de Dr Thomas LEROY/);
      await opensRecord(leroy);
      const consent = leroy.getByRole('button', { name: 'Le patient m’a donné son accord' });
      if (await consent.isVisible()) await consent.click();
      await leroy.getByRole('heading', { name: /^Documents \(\d+\)$/ }).waitFor();
      const search = await typesSearch(leroy, words);
      const dentist = await expected('10001000511', { text: words });
      expect(dentist.total).toBeLessThan(gp.total);
      expect(await countLine(leroy)).toBe(countText(dentist.total, size));
      expect(await titlesShown(leroy)).toEqual(dentist.documents.slice(0, size).map((d) => d.title));
      expect(
        await leroy.getByRole('link', { name: /^Télésurveillance de l’insuffisance cardiaque/ }).count(),
      ).toBe(0);
      const hidden = dentist.hiddenByMatrix;
      expect(hidden).toBeGreaterThanOrEqual(1);
      await leroy
        .getByText(
          hidden === 1
            ? '1 document de ce dossier ne vous est pas accessible en tant que chirurgien-dentiste.'
            : `${hidden} documents de ce dossier ne vous sont pas accessibles en tant que chirurgien-dentiste.`,
        )
        .waitFor();
      await expectNoAccessibilityViolations(leroy);
      await screenshot(leroy, `issue16-portal-dentiste-${width}`);
      console.log(
        `[issue16 portal ${width} px] « ${words} »: ${gp.total} documents for the GP, ${dentist.total} for the ` +
          `dentist (${hidden} hidden by the matrix); search ${search.total.toFixed(0)} ms from the last key`,
      );
      for (const list of errors) expect(list).toEqual([]);
    },
    120_000,
  );
});
