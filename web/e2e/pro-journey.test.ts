import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importInsured } from '../../src/profile/import/index.ts';
import { startTestCarnet, type TestCarnet } from '../../src/server/test-server.ts';
import { desktop, launchBrowser, newContext, pageErrors, requireWebBuild, screenshot } from './browser.ts';
import { camille, importCsv } from './people.ts';

describe('professional portal in the browser', () => {
  let carnet: TestCarnet;
  let browser: Browser;

  beforeAll(async () => {
    requireWebBuild();
    carnet = await startTestCarnet('sqlite');
    await importInsured(carnet.ctx, importCsv([camille]), 'assures.csv');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await carnet?.stop();
  });

  it('signs a doctor in through the identity provider and finds a patient by INS', async () => {
    const context = await newContext(browser, carnet.url);
    const errors = pageErrors(context);
    const page = await context.newPage();
    await page.goto('/pro/');
    await page.getByRole('heading', { name: 'Connexion au portail professionnel' }).waitFor();
    await screenshot(page, 'pro-01-connexion');

    await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
    await page.getByRole('button', { name: 'Se connecter avec la carte e-CPS de Dr Claire MARTIN' }).click();
    await page.getByRole('heading', { name: 'Rechercher un patient par INS' }).waitFor();
    const header = await page.locator('header').innerText();
    expect(header).toContain('Dr Claire MARTIN');
    expect(header).toContain('Médecin');
    await screenshot(page, 'pro-02-accueil');

    const insField = page.getByLabel('Matricule INS du patient');
    await insField.fill('1234');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await expect.poll(() => page.locator('main [role="alert"]').innerText()).toContain('15 caractères');
    expect(await insField.getAttribute('aria-invalid')).toBe('true');

    await insField.fill(`${camille.ins.slice(0, 7)} ${camille.ins.slice(7)}`);
    await page.getByRole('button', { name: 'Rechercher' }).click();
    const card = page.locator('.patient-card');
    await card.waitFor();
    const text = await card.innerText();
    expect(text).toContain('LEFÈVRE');
    expect(text).toContain('12/04/1985');
    expect(text).toContain('Féminin');
    expect(text).toContain('Profil créé, non activé');
    expect(new URL(page.url()).pathname).toBe('/pro/patient');
    await screenshot(page, 'pro-03-patient-telephone');
    await page.setViewportSize(desktop);
    await screenshot(page, 'pro-04-patient-ordinateur');

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
