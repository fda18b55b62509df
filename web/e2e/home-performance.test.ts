import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/patients.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { startTestCarnet, type TestCarnet } from '../../src/server/test-server.ts';
import { launchBrowser, newContext, pageErrors, phone, requireWebBuild, signInPatient } from './browser.ts';

const artifact = fileURLToPath(new URL('../../test-artifacts/fcp.json', import.meta.url));

const marie = { login: 'marie.morel', email: 'marie.morel@mail.example' };

/**
 * Lighthouse's mobile profile as DevTools throttling applies it: "slow 4G" is 150 ms RTT, 1.6 Mbit/s down and
 * 750 kbit/s up; throttling each request rather than packets, Lighthouse turns that into 562.5 ms of request
 * latency (× 3.75) and 90 % of the throughputs, with a 4× slower CPU.
 */
const cpuThrottlingRate = 4;
const slow4g = {
  offline: false,
  latency: 150 * 3.75,
  downloadThroughput: Math.floor((1.6 * 1024 * 0.9 * 1024) / 8),
  uploadThroughput: Math.floor((750 * 0.9 * 1024) / 8),
};

interface Script {
  readonly name: string;
  readonly transferSize: number;
  readonly encodedBodySize: number;
  readonly decodedBodySize: number;
  /** When its last byte arrived, in ms from the start of the navigation. */
  readonly responseEnd: number;
}

describe('patient home under phone emulation', () => {
  let carnet: TestCarnet;
  let browser: Browser;

  beforeAll(async () => {
    requireWebBuild();
    carnet = await startTestCarnet('sqlite');
    await seedDemo(carnet.ctx);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await carnet?.stop();
  });

  it('paints the signed-in home on a throttled phone and records its first contentful paint', async () => {
    // Sign in at full speed, then open the home in a fresh context (empty HTTP cache) with the session cookie:
    // the load measured is a patient's first visit of the day, assets included.
    const signIn = await newContext(browser, carnet.url);
    const signInPage = await signIn.newPage();
    await signInPage.goto('/connexion');
    await signInPatient(signInPage, carnet.config.dataDir, marie, DEMO_PASSWORD);
    await signInPage.getByRole('heading', { name: 'Bonjour Marie MOREL' }).waitFor();
    // The page as sent paints on its own, before any script: its styles and a loading state are in it.
    const sent = await (
      await signInPage.request.get('/accueil', { headers: { 'accept-encoding': 'br' } })
    ).text();
    expect(sent).toContain('<style>');
    expect(sent).not.toContain('rel="stylesheet"');
    expect(sent).toMatch(/<p class="loading" role="status">Chargement…<\/p>/);
    const storageState = await signIn.storageState();
    await signIn.close();

    const context = await browser.newContext({
      baseURL: carnet.url,
      viewport: phone,
      deviceScaleFactor: 3,
      isMobile: true,
      hasTouch: true,
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
      storageState,
    });
    context.setDefaultTimeout(60_000);
    const errors = pageErrors(context);
    const page = await context.newPage();
    const encodings = new Map<string, string>();
    page.on('response', (response) => {
      if (response.url().endsWith('.js'))
        encodings.set(new URL(response.url()).pathname, response.headers()['content-encoding'] ?? 'identity');
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuThrottlingRate });
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', slow4g);

    await page.goto('/accueil');
    await page.getByRole('heading', { name: 'Bonjour Marie MOREL' }).waitFor();
    // Until here the page shows its loading state: the home itself needs the scripts and the patient's profile.
    const homeShownBy = await page.evaluate(() => Math.round(performance.now()));
    const services = page.getByRole('list', { name: 'Services de Mon espace santé' }).getByRole('link');
    expect(await services.count()).toBe(4);

    const fcp = await page.evaluate(
      () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
    );
    expect(fcp).toBeGreaterThan(0);
    const documentEnd = await page.evaluate(() =>
      Math.round((performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).responseEnd),
    );
    const scripts: Script[] = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((entry) => entry.name.endsWith('.js'))
        .map((entry) => {
          const { name, transferSize, encodedBodySize, decodedBodySize, responseEnd } =
            entry as PerformanceResourceTiming;
          return {
            name: new URL(name).pathname,
            transferSize,
            encodedBodySize,
            decodedBodySize,
            responseEnd: Math.round(responseEnd),
          };
        }),
    );
    expect(scripts.length).toBeGreaterThan(0);
    expect(errors).toEqual([]);

    const sum = (pick: (script: Script) => number) => scripts.reduce((total, s) => total + pick(s), 0);
    const report = {
      page: '/accueil',
      firstContentfulPaintMs: Math.round(fcp ?? 0),
      documentResponseEndMs: documentEnd,
      /** An upper bound: when the test saw the home's heading. */
      homeHeadingShownByMs: homeShownBy,
      viewport: phone,
      cpuThrottlingRate,
      network: { profile: 'Lighthouse slow 4G (DevTools throttling)', ...slow4g },
      javascript: {
        encodedBytes: sum((s) => s.encodedBodySize),
        decodedBytes: sum((s) => s.decodedBodySize),
        files: scripts.map((s) => ({ ...s, contentEncoding: encodings.get(s.name) })),
      },
    };
    mkdirSync(dirname(artifact), { recursive: true });
    writeFileSync(artifact, `${JSON.stringify(report, null, 2)}\n`);
    console.log(
      `patient home first contentful paint: ${report.firstContentfulPaintMs} ms (4× CPU, slow 4G, 390 px); ` +
        `home heading by ${homeShownBy} ms; JavaScript ${report.javascript.decodedBytes} bytes, ${report.javascript.encodedBytes} on the wire`,
    );
    await context.close();
  }, 120_000);
});
