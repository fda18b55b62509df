import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/patients.ts';
import { seedDemo, seedDemoContent } from '../../src/demo/seed.ts';
import { readDevMailbox } from '../../src/mail/dev-mailbox.ts';
import { profileAreaLabels, profileSections } from '../../src/medical-profile/index.ts';
import { pdfTextLines } from '../../src/portability/test-pdf-text.ts';
import { startTestCarnet, type TestCarnet } from '../../src/server/test-server.ts';
import {
  codeFromMailbox,
  launchBrowser,
  newContext,
  pageErrors,
  requireWebBuild,
  screenshot,
} from './browser.ts';

/** Marie MOREL (born LEFEBVRE), the demo's type 2 diabetic: quarterly HbA1c and two years of reimbursed care. */
const marie = { ins: '271096912304585', login: 'marie.morel', email: 'marie.morel@mail.example' };
const hba1c = 'Hémoglobine glyquée (HbA1c)';
const hba1cCare = 'Hémoglobine glyquée (HbA1c), glycémie à jeun';

/** A day as `YYYY-MM-DD` in Paris, `daysAgo` days before now. */
const parisDay = (daysAgo: number) =>
  new Intl.DateTimeFormat('fr-CA', { timeZone: 'Europe/Paris' }).format(Date.now() - daysAgo * 86_400_000);

describe('a diabetic patient’s follow-up in the browser', () => {
  let carnet: TestCarnet;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[][] = [];

  beforeAll(async () => {
    requireWebBuild();
    carnet = await startTestCarnet('sqlite');
    await seedDemo(carnet.ctx);
    // Marie's profile (HbA1c series, treatments…) and the Assurance Maladie feed (her reimbursed care).
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

  async function marieSignsIn(): Promise<Page> {
    const page = await open();
    // The code of this sign-in, not of an earlier one: only e-mails newer than the newest one now.
    const after = (await readDevMailbox(carnet.config.dataDir))[0]?.id;
    await page.goto('/connexion');
    await page.getByRole('textbox', { name: 'Identifiant' }).fill(marie.login);
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Code de connexion' }).waitFor();
    const otp = await codeFromMailbox(
      await page.context().newPage(),
      carnet.config.dataDir,
      { to: marie.email, subject: 'Votre code de connexion Mon espace santé', after },
      /code de connexion à Mon espace santé est : (\d{6})/,
    );
    await page.getByLabel('Code reçu par e-mail').fill(otp);
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByRole('heading', { name: 'Bonjour Marie MOREL' }).waitFor();
    return page;
  }

  /** Dr Martin signs in with the development e-CPS and opens Marie's record, declaring her consent. */
  async function martinOpensRecord(): Promise<Page> {
    const page = await open();
    await page.goto('/pro/');
    await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
    await page.getByRole('button', { name: /carte e-CPS de Dr Claire MARTIN/ }).click();
    await page.getByLabel('Matricule INS du patient').fill(marie.ins);
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByRole('link', { name: 'Ouvrir le dossier médical partagé' }).click();
    await page.getByRole('heading', { name: /Dossier médical partagé de Marie MOREL/ }).waitFor();
    await page.getByRole('button', { name: 'Le patient m’a donné son accord' }).click();
    await page.getByRole('heading', { name: /^Documents \(\d+\)$/ }).waitFor();
    return page;
  }

  const hba1cChart = (page: Page) => page.locator('figure.measurement-chart', { hasText: hba1c });
  const careLabels = (page: Page) => page.locator('.care-item .care-label').allInnerTexts();

  it('Marie follows her HbA1c, browses her yearly exams, masks her history; her GP sees it only as administrateur', async () => {
    // 1. Her measurements: the HbA1c chart holds the two years of quarterly values, from 8,4 % down to 6,7 %.
    const page = await marieSignsIn();
    await page
      .getByRole('link', { name: /Dossier médical/ })
      .first()
      .click();
    await page.getByRole('link', { name: 'Mon profil médical', exact: true }).click();
    await page.getByRole('heading', { name: 'Mon profil médical', level: 1 }).waitFor();
    await page.getByRole('link', { name: profileAreaLabels.measurements, exact: true }).click();
    await page.getByRole('heading', { name: 'Profil médical : Mesures', level: 1 }).waitFor();
    const chart = hba1cChart(page);
    await expect
      .poll(() => chart.locator('figcaption').innerText())
      .toMatch(/^Hémoglobine glyquée \(HbA1c\) — 9 mesures du .+ : de 8,4 % à 6,7 %\.$/);
    expect(await chart.locator('svg[role="img"] circle').count()).toBe(9);
    expect(
      await chart.getByRole('img', { name: /Courbe : Hémoglobine glyquée \(HbA1c\) \(%\)/ }).count(),
    ).toBe(1);
    await screenshot(page, 'diabetes-01-courbe-hba1c');
    // Her blood pressure, two readings of two values each: both lines, told apart by a legend.
    const pressure = page.locator('figure.measurement-chart', { hasText: 'Tension artérielle' });
    expect(await pressure.locator('svg[role="img"] circle').count()).toBe(4);
    expect(await pressure.locator('.chart-legend li').allInnerTexts()).toEqual([
      'Systolique (trait plein)',
      'Diastolique (pointillés)',
    ]);
    expect(await chart.locator('.chart-legend').count()).toBe(0);

    // 2. She adds yesterday's result: it becomes the chart's last point and the first line of its table.
    const form = page.getByRole('region', { name: 'Ajouter' });
    await form.getByLabel('Mesure', { exact: true }).selectOption({ label: `${hba1c} – %` });
    await form.getByText('En %, entre 2 et 20.').waitFor();
    await form.getByLabel('Valeur').fill('6,5');
    const yesterday = parisDay(1);
    await form.getByLabel('Date et heure').fill(`${yesterday}T12:00`);
    await form.getByRole('button', { name: 'Ajouter' }).click();
    await page.getByRole('status').getByText('L’information est ajoutée à votre profil.').waitFor();
    await expect
      .poll(() => chart.locator('figcaption').innerText())
      .toMatch(/10 mesures du .+ : de 8,4 % à 6,5 %\.$/);
    expect(await chart.locator('svg[role="img"] circle').count()).toBe(10);
    await chart.getByText('Voir les valeurs en tableau').click();
    const firstRow = chart.locator('tbody tr').first();
    expect(await firstRow.getByRole('cell').innerText()).toBe('6,5 %');
    await screenshot(page, 'diabetes-02-nouvelle-hba1c');
    // By keyboard, « Modifier » opens the form on its first field; « Annuler » brings her back to « Modifier ».
    const isFocused = (locator: Locator) => locator.evaluate((element) => element === document.activeElement);
    const entryId = await page.locator('li.profile-entry', { hasText: /HbA1c.*6,5 %/ }).getAttribute('id');
    // The same item, whether it shows the value or the form.
    const entry = page.locator(`li[id="${entryId}"]`);
    const edit = entry.getByRole('button', { name: /^Modifier « / });
    await edit.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => isFocused(entry.getByLabel('Mesure', { exact: true }))).toBe(true);
    await entry.getByRole('button', { name: 'Annuler' }).click();
    await expect.poll(() => isFocused(edit)).toBe(true);

    // Her GP raised her metformin: she picks it in the list, which keeps its ATC code; free text keeps none.
    await page.getByRole('link', { name: '← Toutes les rubriques' }).click();
    await page.getByRole('link', { name: profileAreaLabels.treatments, exact: true }).click();
    await page.getByRole('heading', { name: 'Profil médical : Traitements', level: 1 }).waitFor();
    const treatmentForm = page.getByRole('region', { name: 'Ajouter' });
    const medication = treatmentForm.getByRole('combobox', { name: 'Médicament' });
    await medication.fill('metf');
    const offered = await medication.evaluate((input) =>
      [...((input as HTMLInputElement).list?.options ?? [])].map((o) => o.value),
    );
    expect(offered).toContain('Metformine');
    await medication.fill('Metformine');
    await treatmentForm.getByText('Code ATC A10BA02 (Metformine)').waitFor();
    await treatmentForm.getByLabel('Posologie').fill('1 comprimé de 500 mg le midi');
    await treatmentForm.getByRole('button', { name: 'Ajouter' }).click();
    await page.getByRole('status').getByText('L’information est ajoutée à votre profil.').waitFor();
    const picked = page.locator('li.profile-entry', { hasText: 'Metformine – 1 comprimé de 500 mg le midi' });
    await expect.poll(() => picked.locator('.entry-code').innerText()).toMatch(/ATC A10BA02$/);
    await medication.fill('Tisane de thym');
    expect(await treatmentForm.locator('.entry-code').count()).toBe(0);
    await treatmentForm.getByRole('button', { name: 'Ajouter' }).click();
    const free = page.locator('li.profile-entry', { hasText: 'Tisane de thym' });
    await free.waitFor();
    expect(await free.locator('.entry-code').count()).toBe(0);
    await screenshot(page, 'diabetes-02b-traitement-code-atc');

    // 3. "Mon histoire de santé": last year's lab tests are the quarterly HbA1c and the yearly lipid panel.
    await page.getByRole('link', { name: 'Mon histoire de santé' }).click();
    await page.getByRole('heading', { name: 'Mon histoire de santé', level: 1 }).waitFor();
    const lastYear = String(Number(parisDay(0).slice(0, 4)) - 1);
    await page.getByLabel('Année').selectOption({ value: lastYear });
    await expect.poll(() => page.getByLabel('Mois').isEnabled()).toBe(true);
    const biology = page.getByRole('button', { name: /^Biologie \(\d+\)$/ });
    await biology.click();
    await expect.poll(() => biology.getAttribute('aria-pressed')).toBe('true');
    const count = Number(/\((\d+)\)$/.exec(await biology.innerText())?.[1]);
    await expect.poll(() => page.locator('.care-item').count()).toBe(count);
    await page
      .getByRole('status')
      .getByText(`${count} ${count > 1 ? 'soins remboursés' : 'soin remboursé'}`)
      .waitFor();
    const labs = await careLabels(page);
    expect(labs.filter((l) => l === hba1cCare).length).toBeGreaterThanOrEqual(4);
    expect(labs).toContain('Bilan lipidique, créatininémie, microalbuminurie');
    expect(new Set(await page.locator('.care-item .badge').allInnerTexts())).toEqual(new Set(['Biologie']));
    const dates = await page
      .locator('.care-item time')
      .evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')));
    expect(dates.every((d) => d?.startsWith(`${lastYear}-`))).toBe(true);
    await screenshot(page, 'diabetes-03-histoire-biologie');
    // The yearly eye check (screening for diabetic retinopathy) is among the consultations of the same year.
    await page.getByRole('button', { name: /^Consultations et soins \(\d+\)$/ }).click();
    await expect
      .poll(() => careLabels(page))
      .toContain('Rétinographie (dépistage de la rétinopathie diabétique)');
    expect(await careLabels(page)).not.toContain(hba1cCare);

    // 4. She masks her history from professionals.
    const mask = page.getByLabel('Masquer mon histoire de santé aux professionnels de santé');
    // The box follows the server: it is ticked once the mask is recorded, not before.
    await mask.click();
    await page
      .getByText('Masquée : seuls les professionnels que vous avez désignés administrateurs')
      .waitFor();
    await expect.poll(() => mask.isChecked()).toBe(true);
    await screenshot(page, 'diabetes-04-histoire-masquee');

    // 5. Her GP, with her consent but not administrateur, is refused the masked history and told why.
    const martin = await martinOpensRecord();
    await martin.getByRole('link', { name: 'Histoire de santé' }).click();
    await expect
      .poll(() => martin.locator('main [role="alert"]').innerText())
      .toMatch(/^Le patient a masqué son histoire de santé : seuls les professionnels qu’il a désignés/);
    expect(await martin.locator('.care-item').count()).toBe(0);
    expect(await martin.getByText(hba1cCare).count()).toBe(0);
    await screenshot(martin, 'diabetes-05-medecin-refuse');
    // Her profile is not masked: he follows her HbA1c there, the value she just added included.
    await martin.getByRole('link', { name: '← Dossier du patient' }).click();
    await martin.getByRole('link', { name: 'Profil médical' }).click();
    await martin.getByRole('heading', { name: 'Profil médical de Marie MOREL', level: 1 }).waitFor();
    await expect
      .poll(() => hba1cChart(martin).locator('figcaption').innerText())
      .toMatch(/10 mesures du .+ : de 8,4 % à 6,5 %\.$/);
    // The treatment she picked from the list reaches him coded.
    await martin
      .getByRole('listitem')
      .filter({ hasText: 'Metformine' })
      .getByText('(ATC A10BA02)')
      .first()
      .waitFor();
    await martin.goBack();
    await martin.goBack();
    await martin.getByRole('heading', { name: /^Histoire de santé de Marie MOREL/ }).waitFor();

    // 6. Marie names Dr Martin administrateur of her record: he reads the history, marked as masked.
    await page.goto('/dossier-medical/acces');
    await page.getByRole('button', { name: /Nommer Dr Claire MARTIN administrateur/ }).click();
    await page
      .getByRole('listitem', { name: 'Dr Claire MARTIN', exact: true })
      .getByText('Administrateur', { exact: true })
      .waitFor();
    await martin.reload();
    await martin
      .getByText('vous la voyez parce qu’il vous a désigné administrateur de son dossier')
      .waitFor();
    await martin.getByRole('button', { name: /^Biologie \(\d+\)$/ }).click();
    await expect.poll(() => careLabels(martin)).toContain(hba1cCare);
    await screenshot(martin, 'diabetes-06-medecin-administrateur');

    expect(errors.flat()).toEqual([]);
  }, 90_000);

  it('Marie downloads the PDF synthesis of her profile from the profile page: it holds every section', async () => {
    const page = await marieSignsIn();
    await page.goto('/dossier-medical/profil');
    const block = page.getByRole('region', { name: 'Télécharger mes données' });
    await block.waitFor();
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      block.getByRole('link', { name: 'Synthèse du profil médical (PDF)' }).click(),
    ]);
    expect(file.suggestedFilename()).toMatch(/^synthese-profil-medical-\d{4}-\d{2}-\d{2}\.pdf$/);
    const bytes = await readFile((await file.path())!);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const text = (await pdfTextLines(bytes)).flat();
    for (const section of profileSections) expect(text).toContain(profileAreaLabels[section]);
    expect(text).toContain('• Metformine 1000 mg');
    expect(text).toContain('• Pénicilline');
    // The value she added in the first journey is the latest HbA1c.
    expect(text).toContain(`Dernière valeur : 6,5 % le ${parisDay(1).split('-').reverse().join('/')}`);
    expect(errors.flat()).toEqual([]);
  }, 60_000);
});
