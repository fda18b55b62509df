import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCatalogue } from '../../src/catalogue/index.ts';
import { DEMO_PASSWORD } from '../../src/demo/patients.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { freePort, startTestCarnet, type TestCarnet } from '../../src/server/test-server.ts';
import {
  launchBrowser,
  newContext,
  pageErrors,
  requireWebBuild,
  screenshot,
  signInPatient,
  expectNoAccessibilityViolations,
} from './browser.ts';

/** Marie MOREL, an activated demo patient followed for type 2 diabetes. */
const marie = { login: 'marie.morel', email: 'marie.morel@mail.example' };
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The demo app runs as the separate process it is meant to be: it knows Carnet only by its URL. Resolves once it
 * prints its address; its stderr is kept to explain a failure.
 */
async function startDemoApp(carnetUrl: string, port: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo-apps/glucosuivi/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, CARNET_URL: carnetUrl, GLUCOSUIVI_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const started = new Promise<void>((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('GlucoSuivi')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`GlucoSuivi exited (${code}): ${stderr}`)));
  });
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`GlucoSuivi did not start: ${stderr}`)), 20_000).unref(),
  );
  await Promise.race([started, timeout]);
  return { child, url: `http://127.0.0.1:${port}` };
}

describe('a connected service in the browser (GlucoSuivi, the demo glucose-meter app)', () => {
  let carnet: TestCarnet;
  let browser: Browser;
  let demo: { child: ChildProcess; url: string } | undefined;
  let context: BrowserContext;
  let errors: string[];

  beforeAll(async () => {
    requireWebBuild();
    const appPort = await freePort();
    carnet = await startTestCarnet('sqlite', {
      // The catalogue must know where this GlucoSuivi listens before the demo seed references it.
      beforeListen: async (ctx) => {
        await seedDemoCatalogue(ctx, { glucoSuiviRedirectUris: [`http://127.0.0.1:${appPort}/callback`] });
        await seedDemo(ctx);
      },
    });
    demo = await startDemoApp(carnet.url, appPort);
    browser = await launchBrowser();
    context = await newContext(browser, carnet.url);
    // Two servers and a browser on a busy machine: one slow page load must not fail the journey.
    context.setDefaultTimeout(15_000);
    errors = pageErrors(context);
  }, 60_000);
  afterAll(async () => {
    // The demo process first: whatever else fails below, it must not outlive the test.
    if (demo && demo.child.exitCode === null) {
      const exited = once(demo.child, 'exit');
      demo.child.kill('SIGTERM');
      await exited;
    }
    await context?.close();
    await browser?.close();
    await carnet?.stop();
  });

  const signIn = (page: Page) => signInPatient(page, carnet.config.dataDir, marie, DEMO_PASSWORD);

  const result = (page: Page) => page.locator('#resultat');

  it('connects with "write measurements" only: the value lands in the profile, documents are refused, revocation cuts it off', async () => {
    const page = await context.newPage();

    // The patient finds GlucoSuivi in the catalogue (signing in first: the catalogue is in the patient space).
    await page.goto('/catalogue?q=glucosuivi');
    await signIn(page);
    await page.getByRole('heading', { name: 'Catalogue de services' }).waitFor();
    await page.getByRole('link', { name: 'GlucoSuivi' }).click();
    await page.getByRole('heading', { name: 'GlucoSuivi', level: 1 }).waitFor();
    expect(await page.getByRole('main').innerText()).toContain('Ajouter des mesures à votre profil médical');
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('heading', { name: 'Bienvenue sur Mon espace santé' }).waitFor();

    // She opens the app and connects it: signed out, Carnet asks her to sign in, then shows the consent page.
    await page.goto(demo!.url);
    await page.getByRole('heading', { name: 'GlucoSuivi' }).waitFor();
    await page.getByRole('link', { name: 'Connecter à Mon espace santé' }).click();
    await signIn(page);
    await page.getByRole('heading', { name: /^Connecter «\s*GlucoSuivi\s*»$/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/autoriser-service');
    const write = page.getByRole('checkbox', { name: 'Ajouter des mesures à votre profil médical' });
    const read = page.getByRole('checkbox', { name: 'Consulter vos mesures de santé' });
    // Nothing is ticked in advance.
    expect(await write.isChecked()).toBe(false);
    expect(await read.isChecked()).toBe(false);
    await write.check();
    await screenshot(page, 'connected-01-consentement');
    await expectNoAccessibilityViolations(page);
    await page.getByRole('button', { name: 'Autoriser' }).click();

    // Back in the app, connected with the create scope only, as it asked for it (never widened to `.write`).
    await page.waitForURL(`${demo!.url}/`);
    await expect.poll(() => result(page).innerText()).toBe('GlucoSuivi est connecté à votre espace santé.');
    const granted = await page.locator('code').innerText();
    expect(granted).toBe('launch/patient patient/Observation.c');

    await page.getByLabel('Glycémie (g/L)').fill('1,87');
    await page.getByRole('button', { name: 'Envoyer la mesure' }).click();
    await expect.poll(() => result(page).innerText()).toBe('Mesure envoyée à Mon espace santé (201).');
    await page.getByRole('button', { name: 'Lire mes documents' }).click();
    await expect.poll(() => result(page).innerText()).toContain('(403)');
    await screenshot(page, 'connected-02-application-403');

    // The measurement is in her profile: in the chart's table and the list, with GlucoSuivi as its source.
    await page.goto(`${carnet.url}/dossier-medical/profil?section=measurements`);
    await page.getByRole('heading', { name: 'Évolution' }).waitFor();
    const chart = page.locator('figure.measurement-chart', { hasText: 'Glycémie' });
    await chart.locator('summary').click();
    const table = chart.getByRole('table');
    await expect.poll(() => table.innerText()).toContain('1,87 g/L');
    const entry = page.locator('li.profile-entry', { hasText: '1,87' });
    expect(await entry.innerText()).toContain('transmis par GlucoSuivi');
    // Written by an app, the patient cannot edit it as hers.
    expect(await entry.getByRole('button', { name: /Modifier/ }).count()).toBe(0);
    await screenshot(page, 'connected-03-profil-mesure');

    // Her connected services: one purpose, its accesses (the write, the refused read), then she disconnects it.
    await page.goto(`${carnet.url}/services-connectes`);
    await page.getByRole('heading', { name: 'Mes services connectés', level: 1 }).waitFor();
    const card = page.getByRole('region', { name: 'GlucoSuivi' });
    await card.waitFor();
    const authorisations = card.locator('h3:text-is("Autorisations") + ul li');
    expect(await authorisations.allInnerTexts()).toEqual(['Ajouter des mesures à votre profil médical']);
    const accesses = await card.locator('h3:text-is("Derniers accès") + ul li').allInnerTexts();
    // Newest first: the refused document search, then the measurement it added.
    expect(accesses).toHaveLength(2);
    expect(accesses[0]).toMatch(/ : Recherche de documents \(refusé\)$/);
    expect(accesses[1]).toMatch(/ : Modification du profil médical$/);
    await screenshot(page, 'connected-04-services-connectes');
    await expectNoAccessibilityViolations(page);
    // Disconnecting asks first: dismissed, nothing changes; accepted, the service is gone.
    page.once('dialog', (dialog) => void dialog.dismiss());
    await card.getByRole('button', { name: 'Déconnecter GlucoSuivi' }).click();
    await page.getByRole('heading', { name: 'GlucoSuivi', level: 2 }).waitFor();
    expect(await page.getByText('« GlucoSuivi » est déconnecté').count()).toBe(0);
    page.once('dialog', (dialog) => {
      expect(dialog.message()).toMatch(/^Déconnecter « GlucoSuivi » \?/);
      void dialog.accept();
    });
    await card.getByRole('button', { name: 'Déconnecter GlucoSuivi' }).click();
    await page.getByText('« GlucoSuivi » est déconnecté').waitFor();
    await page.getByText('Aucun service n’est connecté.').waitFor();

    // The app's next call is refused as unauthenticated at once.
    await page.goto(demo!.url);
    await page.getByLabel('Glycémie (g/L)').fill('1,20');
    await page.getByRole('button', { name: 'Envoyer la mesure' }).click();
    await expect.poll(() => result(page).innerText()).toContain('(401)');
    await screenshot(page, 'connected-05-application-401');

    // The refused value did not reach the profile.
    await page.goto(`${carnet.url}/dossier-medical/profil?section=measurements`);
    await page.locator('li.profile-entry', { hasText: '1,87' }).waitFor();
    expect(await page.locator('li.profile-entry', { hasText: '1,2 g/L' }).count()).toBe(0);
    expect(await page.locator('li.profile-entry', { hasText: '1,20 g/L' }).count()).toBe(0);

    expect(errors).toEqual([]);
  }, 90_000);
});
