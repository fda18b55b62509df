import { fileURLToPath } from 'node:url';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoPerson, demoProfessional, patientPrincipal } from '../../src/demo/principals.ts';
import { DEMO_PASSWORD } from '../../src/demo/patients.ts';
import type { Ins } from '../../src/identity/index.ts';
import { findInsuredByIns } from '../../src/insured/index.ts';
import { seedDemo, seedDemoContent } from '../../src/demo/seed.ts';
import { patientOverview, type PatientOverview } from '../../src/overview/index.ts';
import { declareConsent, readDocument, searchDocuments } from '../../src/record/index.ts';
import { decidePreventionItem, listPreventionItems } from '../../src/agenda/index.ts';
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

const screenshotPath = (name: string) =>
  fileURLToPath(new URL(`../../test-artifacts/screenshots/${name}.png`, import.meta.url));

const marie = { login: 'marie.morel', email: 'marie.morel@mail.example' };

/**
 * The home says first what needs the patient (her GP's unread message, her overdue screenings, a new
 * document, a pharmacist's first look at her record), on a phone without scrolling, and the tab bar's badges say
 * the same counts; opening the new document takes its « Nouveau » and its badge away.
 */
describe('the home shows what needs the patient', () => {
  let browser: Browser;
  let carnet: TestCarnet | undefined;

  beforeAll(async () => {
    requireWebBuild();
    browser = await launchBrowser();
  }, 60_000);
  afterEach(async () => {
    await carnet?.stop();
    carnet = undefined;
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** What `npm start` shows (seedDemo + seedDemoContent), and a pharmacist who opened Marie's record yesterday. */
  async function demo(): Promise<{ carnet: TestCarnet; expected: PatientOverview }> {
    const started = await startTestCarnet('sqlite');
    carnet = started;
    await seedDemo(started.ctx);
    await seedDemoContent(started.ctx);
    const person = await demoPerson(started.ctx, 'marie');
    const pharmacist = await demoProfessional(started.ctx, '10001000313');
    await declareConsent(started.ctx, pharmacist, person.id);
    await searchDocuments(started.ctx, pharmacist, { patientId: person.id, count: 10, offset: 0 });
    // The counts the page must show, from the services themselves (the prevention rules decide the screenings).
    const expected = await patientOverview(started.ctx, patientPrincipal(person), person.id);
    // The demo's promise: her GP's unread message, the insurer's vaccination attestation, an overdue screening.
    expect(expected.unreadMessages).toBe(1);
    expect(expected.newDocuments).toBe(1);
    expect(expected.prevention.overdue.filter((i) => i.kind === 'screening').length).toBeGreaterThan(0);
    return { carnet: started, expected };
  }

  const bottomOf = async (locator: Locator) => {
    const box = await locator.boundingBox();
    if (!box) throw new Error('not shown');
    return box.y + box.height;
  };

  for (const viewport of [phone, desktop]) {
    it(`at ${viewport.width} px: counts, badges, first viewport, « Nouveau » until opened`, async () => {
      const { carnet: app, expected } = await demo();
      const context = await newContext(browser, app.url, viewport);
      const errors = pageErrors(context);
      const page = await context.newPage();
      await page.goto('/connexion');
      await signInPatient(page, app.config.dataDir, marie, DEMO_PASSWORD);
      await page.getByRole('heading', { name: 'Bonjour Marie MOREL' }).waitFor();

      // 1. « À voir »: each count in words, each a link to its page.
      const attention = page.getByRole('region', { name: 'À voir' });
      const overdue = expected.prevention.overdue.length;
      const unread = attention.getByRole('link', { name: '1 message non lu', exact: true });
      const late = attention.getByRole('link', {
        name: new RegExp(`^${overdue} (dépistages?|vaccinations?|dépistages? ou vaccinations?) en retard$`),
      });
      const newDocument = attention.getByRole('link', { name: '1 nouveau document', exact: true });
      const firstAccess = attention.getByRole('link', {
        name: '1 professionnel a consulté votre dossier pour la première fois',
        exact: true,
      });
      await unread.waitFor();
      for (const item of [late, newDocument, firstAccess]) await item.waitFor();
      expect(await attention.innerText()).toMatch(/Dépistage organisé du cancer du sein/);
      expect(await attention.innerText()).toMatch(/Sophie PETIT, Pharmacien/i);
      expect(await unread.getAttribute('href')).toBe('/messagerie');
      expect(await late.getAttribute('href')).toBe('/agenda');
      expect(await newDocument.getAttribute('href')).toBe('/dossier-medical');

      // 2. The tab bar (the header's navigation on a wide screen) says the same counts.
      const tabs = page.getByRole('navigation', { name: 'Navigation principale' });
      const tab = (name: string) => tabs.getByRole('link', { name, exact: true });
      await tab('Messagerie 1 non lu').waitFor();
      await tab('Documents 1 nouveau').waitFor();
      await tab(`Agenda ${overdue} en retard`).waitFor();
      expect(await tab('Accueil').getAttribute('aria-current')).toBe('page');
      expect(await tab('Profil').getAttribute('href')).toBe('/dossier-medical/profil');
      const header = page.locator('header.site-header');
      const tabBarBox = (await tabs.boundingBox())!;
      if (viewport === phone) {
        // A compact header; the tab bar fixed at the bottom of the screen; the urgent items above it, unscrolled.
        expect((await header.boundingBox())!.height).toBeLessThanOrEqual(56);
        expect(tabBarBox.y + tabBarBox.height).toBe(phone.height);
        expect(await page.evaluate(() => window.scrollY)).toBe(0);
        for (const item of [unread, late, newDocument])
          expect(await bottomOf(item)).toBeLessThanOrEqual(phone.height - tabBarBox.height);
        // Nothing sideways: the header's links fit the screen.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          phone.width,
        );
        const signOut = (await page.getByRole('button', { name: 'Se déconnecter' }).boundingBox())!;
        expect(signOut.x + signOut.width).toBeLessThanOrEqual(phone.width);
        // What Marie sees as the page opens, without scrolling.
        await page.screenshot({ path: screenshotPath('issue14-home-390-premier-ecran') });
      } else {
        // The sections are the header's navigation, under the brand.
        expect(await bottomOf(tabs)).toBeLessThanOrEqual(await bottomOf(header));
        for (const item of [unread, late, newDocument])
          expect(await bottomOf(item)).toBeLessThanOrEqual(viewport.height);
      }
      await screenshot(page, `issue14-home-${viewport.width}`);
      await expectNoAccessibilityViolations(page);

      // 3. The end of the page is not hidden behind the tab bar.
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      const footer = page.locator('footer.site-footer p');
      if (viewport === phone)
        expect(await bottomOf(footer)).toBeLessThanOrEqual(phone.height - tabBarBox.height);

      // 4. The new document is marked « Nouveau » in the list until Marie opens it.
      await tab('Documents 1 nouveau').click();
      await page.getByRole('heading', { name: 'Dossier médical', level: 1 }).waitFor();
      const marked = page.locator('li.document-card', { has: page.getByText('Nouveau', { exact: true }) });
      await marked.waitFor();
      expect(await marked.count()).toBe(1);
      expect(await tab('Documents 1 nouveau').getAttribute('aria-current')).toBe('page');
      await screenshot(page, `issue14-documents-nouveau-${viewport.width}`);
      await expectNoAccessibilityViolations(page);
      const title = await marked.getByRole('link').innerText();
      await marked.getByRole('link').click();
      await page.getByRole('heading', { name: title, level: 1 }).waitFor();
      // Opened: the badge goes at once, and the list no longer marks it.
      await tab('Documents').waitFor();
      await tab('Documents').click();
      await page.getByRole('heading', { name: 'Dossier médical', level: 1 }).waitFor();
      await page.locator('li.document-card').first().waitFor();
      expect(await marked.count()).toBe(0);

      // 5. Reading the message takes the Messagerie badge away; the home then counts one thing less.
      await tab('Messagerie 1 non lu').click();
      await page.getByRole('link', { name: 'Non lu : Votre prochain bilan de suivi' }).click();
      await page.getByRole('heading', { name: 'Votre prochain bilan de suivi', level: 1 }).waitFor();
      await tab('Messagerie').waitFor();
      await tab('Accueil').click();
      await page.getByRole('heading', { name: 'Bonjour Marie MOREL' }).waitFor();
      await late.waitFor();
      expect(await unread.count()).toBe(0);
      expect(await newDocument.count()).toBe(0);
      await screenshot(page, `issue14-home-after-${viewport.width}`);
      expect(errors).toEqual([]);
      await context.close();
    }, 120_000);
  }

  it('says plainly when nothing needs the patient', async () => {
    const { carnet: app } = await demo();
    // Karim has read everything and declined the prevention items proposed to him.
    const karim = (await findInsuredByIns(app.ctx.db, '185121305523150' as Ins))!;
    const asKarim = patientPrincipal(karim);
    for (const item of await listPreventionItems(app.ctx, asKarim, karim.id))
      if (item.status === 'to-plan')
        await decidePreventionItem(app.ctx, asKarim, karim.id, item.itemId, item.occurrence, 'not-done');
    const found = await searchDocuments(app.ctx, asKarim, { patientId: karim.id, count: 100, offset: 0 });
    for (const doc of found.documents) await readDocument(app.ctx, asKarim, doc.id, karim.id);
    expect(await patientOverview(app.ctx, asKarim, karim.id)).toMatchObject({
      newDocuments: 0,
      unreadMessages: 0,
      prevention: { overdue: [], dueSoon: [] },
      firstAccesses: [],
    });

    const context = await newContext(browser, app.url, phone);
    const page = await context.newPage();
    await page.goto('/connexion');
    await signInPatient(
      page,
      app.config.dataDir,
      { login: 'karim.benali', email: 'karim.benali@mail.example' },
      DEMO_PASSWORD,
    );
    await page.getByRole('heading', { name: /^Bonjour Karim/ }).waitFor();
    const attention = page.getByRole('region', { name: 'À voir' });
    await attention
      .getByText(
        'Rien de nouveau : aucun message non lu, aucun nouveau document et aucun dépistage ni vaccin en retard.',
      )
      .waitFor();
    expect(await attention.getByRole('link').count()).toBe(0);
    // No badge on any tab.
    const tabs = page.getByRole('navigation', { name: 'Navigation principale' });
    for (const name of ['Accueil', 'Documents', 'Messagerie', 'Agenda', 'Profil'])
      await tabs.getByRole('link', { name, exact: true }).waitFor();
    await screenshot(page, 'issue14-home-rien-390');
    await expectNoAccessibilityViolations(page);
    await context.close();
  }, 120_000);
});
