import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideServiceStatus } from '../../src/catalogue/index.ts';
import { DEMO_PASSWORD } from '../../src/demo/patients.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { startTestCarnet, type TestCarnet } from '../../src/server/test-server.ts';
import {
  desktop,
  launchBrowser,
  newContext,
  pageErrors,
  requireWebBuild,
  screenshot,
  signInPatient,
} from './browser.ts';

const marie = { login: 'marie.morel', email: 'marie.morel@mail.example' };

describe('the catalogue of connected health services in the browser', () => {
  let carnet: TestCarnet;
  let browser: Browser;
  let context: BrowserContext;
  let errors: string[];

  beforeAll(async () => {
    requireWebBuild();
    carnet = await startTestCarnet('sqlite', { beforeListen: (ctx) => seedDemo(ctx).then(() => undefined) });
    browser = await launchBrowser();
    context = await newContext(browser, carnet.url);
    errors = pageErrors(context);
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await carnet?.stop();
  });

  const signIn = (page: Page) => signInPatient(page, carnet.config.dataDir, marie, DEMO_PASSWORD);

  const results = (page: Page) => page.getByRole('list', { name: 'Résultats' });
  const allServices = (page: Page) => page.getByRole('list', { name: 'Tous les services' });
  const names = (list: ReturnType<Page['getByRole']>) => list.locator('h3').allInnerTexts();
  const card = (page: Page, name: string) =>
    page.locator('li.service-card', { has: page.getByRole('link', { name, exact: true }) });
  const count = (page: Page) => page.getByRole('status').filter({ hasText: /service/ });

  async function search(page: Page, fields: { q?: string; category?: string; purpose?: string }) {
    const form = page.getByRole('search', { name: 'Rechercher un service' });
    await form.getByRole('searchbox', { name: 'Rechercher' }).fill(fields.q ?? '');
    await form.getByLabel('Catégorie').selectOption({ label: fields.category ?? 'Toutes les catégories' });
    await form
      .getByLabel('Ce que le service fait avec vos données')
      .selectOption({ label: fields.purpose ?? 'Toutes les finalités' });
    await form.getByRole('button', { name: 'Rechercher' }).click();
  }

  it('searches without accents, filters by purpose, opens a service, shows unavailable services as such', async () => {
    const page = await context.newPage();
    await page.goto('/catalogue');
    await signIn(page);
    await page.getByRole('heading', { name: 'Catalogue de services', level: 1 }).waitFor();

    // Everything referenced, except the dereferenced service.
    await allServices(page).waitFor();
    const everything = await names(allServices(page));
    expect(everything).toContain('GlucoSuivi');
    expect(everything).toContain('Sommeil Zen');
    expect(everything).not.toContain('Dossier Express');
    expect(await count(page).innerText()).toBe(`${everything.length} services`);
    await screenshot(page, 'catalogue-01-tous');

    // "glycemie" without its accent finds the glucose-meter companion, and the address keeps the search.
    await search(page, { q: 'glycemie' });
    await expect.poll(() => names(results(page))).toEqual(['GlucoSuivi']);
    expect(await count(page).innerText()).toBe('1 service');
    expect(new URL(page.url()).searchParams.get('q')).toBe('glycemie');
    // Upper case and accents on the other side match too.
    await search(page, { q: 'GROSSÈSSE' });
    await expect.poll(() => names(results(page))).toEqual(['Neuf Mois Serein']);
    await search(page, { q: 'xylophone' });
    await page.getByText('Aucun service ne correspond.').waitFor();
    expect(await results(page).count()).toBe(0);

    // By purpose: only the services that add appointments to the agenda.
    await search(page, { purpose: 'Ajouter des rendez-vous à votre agenda' });
    await expect
      .poll(async () => (await names(results(page))).sort())
      .toEqual(['Neuf Mois Serein', 'RDV Santé Proche']);
    expect(new URL(page.url()).searchParams.get('finalite')).toBe('write-agenda');
    // The filter survives a reload (it lives in the address) and combines with a category.
    await page.reload();
    await expect
      .poll(() => page.getByLabel('Ce que le service fait avec vos données').inputValue())
      .toBe('write-agenda');
    await search(page, {
      category: 'Suivi des maladies chroniques',
      purpose: 'Ajouter des mesures à votre profil médical',
    });
    await expect
      .poll(async () => (await names(results(page))).sort())
      .toEqual(['GlucoSuivi', 'TensioCarnet']);
    await screenshot(page, 'catalogue-02-filtre');

    // A service's page: editor, purposes, data exchanged, where to get it.
    await card(page, 'GlucoSuivi').getByRole('link', { name: 'GlucoSuivi' }).click();
    await page.getByRole('heading', { name: 'GlucoSuivi', level: 1 }).waitFor();
    const main = page.getByRole('main');
    expect(await main.innerText()).toContain('Édité par Diabéto Connect SAS');
    await main.getByText('Disponible', { exact: true }).waitFor();
    const purposes = main.locator('h2:text-is("Ce que ce service peut faire avec vos données") ~ ul').first();
    expect(await purposes.locator('li').allInnerTexts()).toEqual([
      'Ajouter des mesures à votre profil médical',
      'Consulter vos mesures de santé',
    ]);
    await main.getByRole('heading', { name: 'Données échangées' }).waitFor();
    expect(await main.getByRole('link', { name: 'Télécharger sur Google Play' }).getAttribute('href')).toBe(
      'https://play.google.com/store/apps/details?id=fr.example.glucosuivi',
    );
    await screenshot(page, 'catalogue-03-service');
    await main.getByRole('link', { name: 'Retour au catalogue' }).click();
    await allServices(page).waitFor();

    // A suspended service stays listed, marked unavailable in words, and its page says why.
    await page.setViewportSize(desktop);
    expect(await card(page, 'Sommeil Zen').innerText()).toContain('Indisponible : service suspendu');
    expect(await card(page, 'Mon Pilulier').innerText()).toContain('Temporairement indisponible');
    expect(await card(page, 'GlucoSuivi').innerText()).not.toContain('indisponible');
    await screenshot(page, 'catalogue-04-indisponibles');
    await card(page, 'Sommeil Zen').getByRole('link', { name: 'Sommeil Zen' }).click();
    await page.getByRole('heading', { name: 'Sommeil Zen', level: 1 }).waitFor();
    const status = page.getByRole('main').getByRole('status');
    await expect.poll(() => status.innerText()).toContain('Indisponible : service suspendu');
    expect(await status.innerText()).toContain(
      'Motif : Vérification en cours de la conformité de l’hébergement des données de santé.',
    );
    expect(await page.getByText('Disponible', { exact: true }).count()).toBe(0);

    // The operator suspends TensioCarnet: the patient sees it at the next page load.
    await decideServiceStatus(carnet.ctx, 'tensio-carnet', 'suspend', 'Contrôle de sécurité en cours.');
    await page.goto('/catalogue');
    await allServices(page).waitFor();
    expect(await card(page, 'TensioCarnet').innerText()).toContain('Indisponible : service suspendu');

    // A dereferenced service is gone, even by its address.
    await page.goto('/catalogue/service?id=dossier-express');
    await page.getByRole('heading', { name: 'Service indisponible', level: 1 }).waitFor();
    await page.getByText('Ce service n’est plus référencé dans le catalogue.').waitFor();
    await screenshot(page, 'catalogue-05-dereference');

    expect(errors).toEqual([]);
  }, 90_000);
});
