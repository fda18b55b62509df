import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/patients.ts';
import { seedDemo, seedDemoContent } from '../../src/demo/seed.ts';
import { parseCda } from '../../src/record/cda/index.ts';
import { startTestCarnet, type TestCarnet } from '../../src/server/test-server.ts';
import {
  launchBrowser,
  newContext,
  pageErrors,
  requireWebBuild,
  screenshot,
  signInPatient,
} from './browser.ts';

/** Marie MOREL, the demo's diabetic patient: a profile with treatments, measurements and vaccinations. */
const marie = { ins: '271096912304585', login: 'marie.morel', email: 'marie.morel@mail.example' };

describe('the international patient summary (IPS-FR) in the browser', () => {
  let carnet: TestCarnet;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[][] = [];

  beforeAll(async () => {
    requireWebBuild();
    carnet = await startTestCarnet('sqlite');
    await seedDemo(carnet.ctx);
    await seedDemoContent(carnet.ctx);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await carnet?.stop();
  });

  async function open(): Promise<Page> {
    const context = await newContext(browser, carnet.url);
    contexts.push(context);
    errors.push(pageErrors(context));
    return context.newPage();
  }

  /** Clicks a download link; the file's name and text as the browser saved it. */
  async function download(page: Page, link: string): Promise<{ name: string; text: string }> {
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: link }).click(),
    ]);
    return { name: file.suggestedFilename(), text: await readFile((await file.path())!, 'utf8') };
  }

  it('Marie downloads her summary from her profile; her GP downloads it from her record', async () => {
    const page = await open();
    await page.goto('/connexion');
    await signInPatient(page, carnet.config.dataDir, marie, DEMO_PASSWORD);
    await page.getByRole('heading', { name: 'Bonjour Marie MOREL' }).waitFor();
    await page.goto('/dossier-medical/profil');
    await page.getByRole('heading', { name: 'Synthèse médicale internationale' }).waitFor();
    await screenshot(page, 'ips-patient-profile');
    // She is told the file is for her doctor's software, not a page she reads on her phone.
    expect(await page.getByRole('main').innerText()).toContain('fichier pour le logiciel du médecin');
    const own = await download(page, 'Télécharger ma synthèse médicale (IPS)');
    expect(own.name).toBe('synthese-patient-ips.xml');
    const cda = parseCda(own.text);
    if (cda instanceof Error) throw cda;
    expect(cda.header.type.code).toBe('60591-5');
    expect(own.text).toContain('<templateId root="1.2.250.1.213.1.1.1.51" extension="2024.01"/>');
    expect(own.text).toContain('Metformine 1000 mg');

    const pro = await open();
    await pro.goto('/pro/');
    await pro.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
    await pro.getByRole('button', { name: /carte e-CPS de Dr Claire MARTIN/ }).click();
    await pro.getByLabel('Matricule INS du patient').fill(marie.ins);
    await pro.getByRole('button', { name: 'Rechercher' }).click();
    await pro.getByRole('link', { name: 'Ouvrir le dossier médical partagé' }).click();
    await pro.getByRole('heading', { name: /Dossier médical partagé de Marie MOREL/ }).waitFor();
    await pro.getByRole('button', { name: 'Le patient m’a donné son accord' }).click();
    await pro.getByRole('heading', { name: /^Documents \(\d+\)$/ }).waitFor();
    const portal = await download(pro, 'Synthèse patient (IPS-FR) · fichier CDA');
    expect(portal.name).toBe('synthese-patient-ips.xml');
    expect(portal.text).toMatch(/<code code="60591-5"/);
    expect(portal.text).toContain('Metformine 1000 mg');
    expect(errors.flat()).toEqual([]);
  }, 120_000);
});
