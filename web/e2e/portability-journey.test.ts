import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/patients.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import type { Ins } from '../../src/identity/index.ts';
import { findInsuredByIns } from '../../src/insured/index.ts';
import { addProfileEntry, profileAreaLabels, profileSections } from '../../src/medical-profile/index.ts';
import { pdfTextLines } from '../../src/portability/test-pdf-text.ts';
import { unzip } from '../../src/portability/test-unzip.ts';
import { startTestCarnet, type TestCarnet } from '../../src/server/test-server.ts';
import { readFile } from 'node:fs/promises';
import {
  codeFromMailbox,
  launchBrowser,
  newContext,
  pageErrors,
  requireWebBuild,
  screenshot,
} from './browser.ts';

/** Jean Michel DUPONT, an activated demo patient. */
const patient = { ins: '168047505611243', login: 'jean.dupont', email: 'jean.dupont@mail.example' };

describe('portability in the browser', () => {
  let carnet: TestCarnet;
  let browser: Browser;
  let context: BrowserContext;
  let errors: string[];

  beforeAll(async () => {
    requireWebBuild();
    carnet = await startTestCarnet('sqlite');
    await seedDemo(carnet.ctx);
    const jean = (await findInsuredByIns(carnet.ctx.db, patient.ins as Ins))!;
    const me = { kind: 'patient', patientId: jean.id, ins: jean.ins, actsFor: [jean.id] } as const;
    await addProfileEntry(carnet.ctx, me, jean.id, 'allergies', {
      substance: 'Pénicilline',
      category: 'medication',
    });
    await addProfileEntry(carnet.ctx, me, jean.id, 'measurements', {
      kind: 'weight',
      value: 82.5,
      at: '2026-01-05T08:00:00Z',
    });
    browser = await launchBrowser();
    context = await newContext(browser, carnet.url);
    errors = pageErrors(context);
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await carnet?.stop();
  });

  async function patientSignsIn(): Promise<Page> {
    const page = await context.newPage();
    await page.goto('/connexion');
    await page.getByRole('textbox', { name: 'Identifiant' }).fill(patient.login);
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Code de connexion' }).waitFor();
    const otp = await codeFromMailbox(
      await context.newPage(),
      carnet.config.dataDir,
      { to: patient.email, subject: 'Votre code de connexion Mon espace santé' },
      /code de connexion à Mon espace santé est : (\d{6})/,
    );
    await page.getByLabel('Code reçu par e-mail').fill(otp);
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByRole('heading', { name: 'Bonjour Jean DUPONT' }).waitFor();
    return page;
  }

  /** Clicks a download link and returns the file's name and bytes as the browser saved them. */
  async function download(page: Page, link: string): Promise<{ name: string; bytes: Buffer }> {
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: link }).click(),
    ]);
    return { name: file.suggestedFilename(), bytes: await readFile((await file.path())!) };
  }

  it('downloads the PDF synthesis and the record archive before closing the profile', async () => {
    const page = await patientSignsIn();
    await page.goto('/parametres');
    const block = page.getByRole('group', { name: 'Télécharger mes données' });
    await block.waitFor();
    await screenshot(page, 'portability-close-profile');

    const pdf = await download(page, 'Synthèse du profil médical (PDF)');
    expect(pdf.name).toMatch(/^synthese-profil-medical-\d{4}-\d{2}-\d{2}\.pdf$/);
    const text = (await pdfTextLines(pdf.bytes)).flat();
    for (const section of profileSections) expect(text).toContain(profileAreaLabels[section]);
    expect(text).toContain('• Pénicilline');
    expect(text).toContain('Dernière valeur : 82,5 kg le 05/01/2026');

    const zip = await download(page, 'Tout le dossier médical (archive ZIP)');
    expect(zip.name).toMatch(/^dossier-medical-\d{4}-\d{2}-\d{2}\.zip$/);
    const files = await unzip(zip.bytes);
    expect(files.get('README.txt')!.toString('utf8')).toContain('EXPORT DE MON DOSSIER MÉDICAL');
    expect(JSON.parse(files.get('bundle.json')!.toString('utf8'))).toMatchObject({ type: 'collection' });
    expect(errors).toEqual([]);
  }, 60_000);
});
