import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/patients.ts';
import { demoPerson, demoProfessional } from '../../src/demo/principals.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { demoVsms } from '../../src/demo/vsm-seed.ts';
import type { InsuredPerson } from '../../src/insured/index.ts';
import { makePdf } from '../../src/record/content/test-files.ts';
import { depositDocuments, searchDocuments } from '../../src/record/index.ts';
import { startTestCarnet, type TestCarnet } from '../../src/server/test-server.ts';
import { VSM_TITLE } from '../../src/vsm/index.ts';
import { writeVsm } from '../../src/vsm/services.ts';
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

/**
 * The professionals' portal: a record names its patient on every page, even opened by its link; a CDA
 * reads section by section; a deposit carries its date and may wait, invisible to the patient, for the
 * announcement consultation; the emergency form waits behind its button; a dentist is told how many documents the
 * habilitation matrix hides from their profession.
 */
describe('the portal’s record pages in the browser', () => {
  let carnet: TestCarnet;
  let browser: Browser;
  let marie: InsuredPerson;
  const contexts: BrowserContext[] = [];
  const errors: string[][] = [];
  const marieLogin = { login: 'marie.morel', email: 'marie.morel@mail.example' };

  beforeAll(async () => {
    requireWebBuild();
    carnet = await startTestCarnet('sqlite');
    await seedDemo(carnet.ctx);
    marie = await demoPerson(carnet.ctx, 'marie');
    const martin = await demoProfessional(carnet.ctx, '10001000115');
    // A VSM (CDA R2) by Dr Martin, and a psychiatric synthesis the matrix hides from a dentist.
    await writeVsm(carnet.ctx, martin, marie.id, { sections: demoVsms[1]!.content });
    await depositDocuments(carnet.ctx, martin, [
      {
        patientId: marie.id,
        typeCode: '68599-0',
        title: 'Synthèse psychiatrique',
        content: await makePdf('Synthese'),
        declaredContentType: 'application/pdf',
      },
    ]);
    browser = await launchBrowser();
  }, 120_000);
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

  async function proSignsIn(viewport: { width: number; height: number }, name: RegExp): Promise<Page> {
    const page = await open(viewport);
    await page.goto('/pro/');
    await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
    await page.getByRole('button', { name }).click();
    await page.getByRole('heading', { name: 'Rechercher un patient par INS' }).waitFor();
    return page;
  }

  const recordHeading = () => 'Dossier médical partagé de Marie MOREL';
  const yesterday = () => {
    const d = new Date(Date.now() - 24 * 3600 * 1000);
    return d.toISOString().slice(0, 10);
  };
  const inAWeek = () => new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString().slice(0, 10);

  /** The banner every record page shows: her name, birth date and INS. */
  async function expectBanner(page: Page) {
    const banner = page.getByRole('region', { name: 'Patient concerné' });
    await banner.waitFor();
    const text = await banner.innerText();
    expect(text).toContain('Marie MOREL');
    const [y, m, d] = marie.birthDate.split('-');
    expect(text).toContain(`${d}/${m}/${y}`);
    expect(text.replace(/\s/g, '')).toContain(marie.ins);
  }

  async function opensRecordByLink(page: Page) {
    // A link carrying the record's id only (as in an e-mail or a bookmark): no INS to look the patient up by.
    await page.goto(`/pro/dossier?patient=${encodeURIComponent(marie.id)}`);
    await page.getByRole('heading', { name: recordHeading(), level: 1 }).waitFor();
    await expectBanner(page);
    const consent = page.getByRole('button', { name: 'Le patient m’a donné son accord' });
    const documents = page.getByRole('heading', { name: /^Documents \(\d+\)$/ });
    await Promise.race([consent.waitFor(), documents.waitFor()]);
    if (await consent.isVisible()) await consent.click();
    await documents.waitFor();
  }

  it.each([
    ['390', phone],
    ['1280', desktop],
  ])(
    'at %s px, Dr Martin reads her record by its link, a CDA section by section, deposits a dated document hidden from her until announced',
    async (width, viewport) => {
      const martin = await proSignsIn(viewport, /carte e-CPS de Dr Claire MARTIN/);
      await opensRecordByLink(martin);

      // The emergency form is behind its button.
      const reason = martin.getByLabel('Motif (obligatoire pour le bris de glace)');
      expect(await reason.isVisible()).toBe(false);
      const emergency = martin.getByRole('button', { name: 'Accès en urgence (bris de glace)' });
      expect(await emergency.getAttribute('aria-expanded')).toBe('false');
      await expectNoAccessibilityViolations(martin);
      await screenshot(martin, `issue14-portal-dossier-${width}`);
      await emergency.click();
      await reason.waitFor();
      expect(await martin.getByRole('button', { name: 'Activer l’accès en urgence' }).isVisible()).toBe(true);
      await expectNoAccessibilityViolations(martin);
      await screenshot(martin, `issue14-portal-urgence-${width}`);
      await martin.getByRole('button', { name: 'Annuler' }).click();
      await emergency.waitFor();
      expect(await reason.isVisible()).toBe(false);

      // Every page of the record names her: profile, care history, VSM.
      const recordNav = martin.getByRole('navigation', { name: 'Dossier du patient' });
      for (const [link, heading, shot] of [
        ['Profil médical', 'Profil médical de Marie MOREL', 'profil'],
        ['Histoire de santé', 'Histoire de santé de Marie MOREL', 'histoire'],
        ['Volet de synthèse médicale', 'Volet de synthèse médicale de Marie MOREL', 'vsm'],
      ] as const) {
        await recordNav.getByRole('link', { name: link, exact: true }).click();
        await martin.getByRole('heading', { name: heading, level: 1 }).waitFor();
        await expectBanner(martin);
        await martin.getByRole('status').filter({ hasText: 'Chargement' }).waitFor({ state: 'detached' });
        await expectNoAccessibilityViolations(martin);
        await screenshot(martin, `issue14-portal-${shot}-${width}`);
        await martin.goBack();
        await martin.getByRole('heading', { name: recordHeading(), level: 1 }).waitFor();
      }

      // The VSM, a CDA R2, reads in the page: its header, a table of contents, each section.
      await martin
        .locator('.document-cards, .document-table')
        .getByRole('link', { name: VSM_TITLE })
        .first()
        .click();
      await martin.getByRole('heading', { name: VSM_TITLE, level: 1 }).waitFor();
      await expectBanner(martin);
      const toc = martin.getByRole('navigation', { name: 'Sommaire du document' });
      await toc.waitFor();
      const entries = await toc.getByRole('link').allInnerTexts();
      expect(entries.length).toBeGreaterThanOrEqual(2);
      const header = await martin.locator('.cda-header').innerText();
      expect(header).toContain('MOREL');
      expect(header).toContain('Claire Martin');
      expect(header).toContain('née le');
      for (const title of entries) {
        await martin.getByRole('heading', { name: title, level: 3, exact: true }).waitFor();
      }
      const first = martin.locator('details.cda-fold').first();
      // Folded at first on a phone, open on a desktop; the table of contents opens the section it names.
      expect(await first.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(width === '1280');
      await toc.getByRole('link', { name: entries[0]!, exact: true }).click();
      await expect.poll(() => first.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
      expect(await first.locator(':scope > .cda-section-body').innerText()).not.toBe('');
      await expectNoAccessibilityViolations(martin);
      await screenshot(martin, `issue14-portal-cda-${width}`);
      await martin.goBack();
      await martin.getByRole('heading', { name: recordHeading(), level: 1 }).waitFor();

      // A deposit: its date (not in the future), hidden from the patient until the announcement.
      const title = `Résultat d’anatomopathologie ${width}`;
      await martin.getByLabel('Titre du document').fill(title);
      await martin.getByLabel('Type de document').selectOption('11488-4');
      await martin.getByLabel('Date du document').fill(inAWeek());
      await martin.getByLabel('Invisible au patient').check();
      await martin.getByLabel('Fichier PDF').setInputFiles({
        name: 'anapath.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from(await makePdf('Anatomopathologie')),
      });
      await martin.getByRole('button', { name: 'Déposer le document' }).click();
      await expect
        .poll(() => martin.locator('#deposit-title ~ form [role="alert"]').innerText())
        .toContain('La date du document ne peut pas être dans le futur.');
      await martin.getByLabel('Date du document').fill(yesterday());
      await expectNoAccessibilityViolations(martin);
      await screenshot(martin, `issue14-portal-depot-${width}`);
      await martin.getByRole('button', { name: 'Déposer le document' }).click();
      await martin.getByText(`Le document « ${title} » a été déposé dans le dossier.`).waitFor();

      // Marie does not see it.
      const patientPage = await open(viewport);
      await patientPage.goto('/dossier-medical');
      await signInPatient(patientPage, carnet.config.dataDir, marieLogin, DEMO_PASSWORD);
      await patientPage.getByRole('heading', { name: 'Dossier médical', level: 1 }).waitFor();
      await patientPage.locator('.document-list').first().waitFor();
      expect(await patientPage.getByRole('link', { name: title }).count()).toBe(0);

      // Dr Martin opens it: its date, « Invisible au patient », then « Rendre visible au patient ».
      await martin.getByRole('link', { name: title }).click();
      await martin.getByRole('heading', { name: title, level: 1 }).waitFor();
      await expectBanner(martin);
      const [y, m, d] = yesterday().split('-');
      expect(await martin.locator('dl.facts').first().innerText()).toContain(`${d}/${m}/${y}`);
      await martin.getByRole('heading', { name: 'Invisible au patient', level: 2 }).waitFor();
      await expectNoAccessibilityViolations(martin);
      await screenshot(martin, `issue14-portal-invisible-${width}`);
      await martin.getByRole('button', { name: 'Rendre visible au patient' }).click();
      await martin.getByText('Le document est maintenant visible par le patient').waitFor();

      await patientPage.reload();
      await patientPage.getByRole('link', { name: title }).waitFor();
      await screenshot(patientPage, `issue14-portal-patient-voit-${width}`);

      for (const list of errors) expect(list).toEqual([]);
    },
    240_000,
  );

  it.each([
    ['390', phone],
    ['1280', desktop],
  ])(
    'at %s px, Dr Leroy (dentist) is told how many documents his profession may not see',
    async (width, viewport) => {
      const leroy = await proSignsIn(viewport, /carte e-CPS de Dr Thomas LEROY/);
      await opensRecordByLink(leroy);
      const dentist = await demoProfessional(carnet.ctx, '10001000511');
      const { hiddenByMatrix } = await searchDocuments(carnet.ctx, dentist, {
        patientId: marie.id,
        count: 10,
        offset: 0,
      });
      expect(hiddenByMatrix).toBeGreaterThanOrEqual(1);
      const expected =
        hiddenByMatrix === 1
          ? '1 document de ce dossier ne vous est pas accessible en tant que chirurgien-dentiste.'
          : `${hiddenByMatrix} documents de ce dossier ne vous sont pas accessibles en tant que chirurgien-dentiste.`;
      await leroy.getByText(expected).waitFor();
      expect(await leroy.getByRole('link', { name: 'Synthèse psychiatrique' }).count()).toBe(0);
      await expectNoAccessibilityViolations(leroy);
      await screenshot(leroy, `issue14-portal-dentiste-${width}`);
      for (const list of errors) expect(list).toEqual([]);
    },
    120_000,
  );
});
