import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importInsured } from '../../src/profile/import/index.ts';
import { startTestCarnet, type TestCarnet } from '../../src/server/test-server.ts';
import {
  codeFromMailbox,
  desktop,
  launchBrowser,
  newContext,
  pageErrors,
  requireWebBuild,
  screenshot,
  expectNoAccessibilityViolations,
} from './browser.ts';
import { camille, importCsv, ines, lucas, odile, paul, spaced, type JourneyPerson } from './people.ts';

const activationSubject = 'Votre code provisoire Mon espace santé';
const signInSubject = 'Votre code de connexion Mon espace santé';
const activationCodePattern = /code provisoire suivant : (\S+)/;
const signInCodePattern = /code de connexion à Mon espace santé est : (\d{6})/;
const password = 'Printemps2025 au jardin';

describe('patient space in the browser', () => {
  let carnet: TestCarnet;
  let browser: Browser;

  beforeAll(async () => {
    requireWebBuild();
    carnet = await startTestCarnet('sqlite');
    const report = await importInsured(
      carnet.ctx,
      importCsv([camille, paul, odile, ines, lucas]),
      'assures.csv',
    );
    expect(report.rejected).toEqual([]);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await carnet?.stop();
  });

  const activationCode = (page: Page, person: JourneyPerson) =>
    codeFromMailbox(
      page,
      carnet.config.dataDir,
      { to: person.email, subject: activationSubject },
      activationCodePattern,
    );

  async function fillIdentity(page: Page, nir: string, person: JourneyPerson, code: string) {
    await page.getByLabel('Numéro de sécurité sociale').fill(nir);
    await page.getByLabel('Numéro de série de la carte Vitale').fill(person.vitaleSerial);
    await page.getByLabel('Code provisoire').fill(code);
    await page.getByRole('button', { name: 'Continuer' }).click();
  }

  const alert = (page: Page) => page.locator('main [role="alert"]:not(:empty)');

  it('activates with the code from the mailbox, signs in with the one-time code and sees the home', async () => {
    const context = await newContext(browser, carnet.url);
    const errors = pageErrors(context);
    const page = await context.newPage();
    const code = await activationCode(page, camille);

    await page.goto('/');
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).innerText())
      .toBe('Bienvenue sur Mon espace santé');
    await screenshot(page, 'patient-01-accueil-public');
    await page.getByRole('main').getByRole('link', { name: 'Activer mon profil' }).click();

    await fillIdentity(page, spaced(camille.ins), camille, code);
    await page.getByRole('heading', { name: 'Choisir mes identifiants' }).waitFor();
    expect(await page.getByRole('main').innerText()).toContain('Bonjour Camille');
    await page.getByRole('textbox', { name: 'Identifiant' }).fill('camille.lefevre');
    await page.getByLabel('Mot de passe', { exact: true }).fill(password);
    await page.getByLabel('Confirmer le mot de passe').fill(password);
    await screenshot(page, 'patient-02-identifiants');
    await expectNoAccessibilityViolations(page);
    await page.getByRole('button', { name: 'Activer mon profil' }).click();
    await page.getByRole('heading', { name: 'Votre profil est activé' }).waitFor();
    await screenshot(page, 'patient-03-active');
    await expectNoAccessibilityViolations(page);

    await page.getByRole('main').getByRole('link', { name: 'Se connecter' }).click();
    await page.getByRole('textbox', { name: 'Identifiant' }).fill('camille.lefevre');
    await page.getByLabel('Mot de passe').fill(password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Code de connexion' }).waitFor();
    expect(await page.getByRole('main').innerText()).toMatch(/c•+@exemple\.fr/);
    await screenshot(page, 'patient-04-code-de-connexion');

    const mailbox = await context.newPage();
    const otp = await codeFromMailbox(
      mailbox,
      carnet.config.dataDir,
      { to: camille.email, subject: signInSubject },
      signInCodePattern,
    );
    await screenshot(mailbox, 'patient-05-boite-de-developpement');
    await page.getByLabel('Code reçu par e-mail').fill(otp);
    await page.getByRole('button', { name: 'Valider' }).click();

    await page.getByRole('heading', { name: 'Bonjour Camille LEFÈVRE' }).waitFor();
    for (const feature of ['Dossier médical', 'Messagerie', 'Catalogue de services', 'Agenda'])
      await page.getByRole('heading', { name: feature, exact: true }).waitFor();
    expect(await page.getByRole('main').innerText()).toContain(`${camille.ins}@patient.mssante.fr`);
    await screenshot(page, 'patient-06-accueil-telephone');
    await page.setViewportSize(desktop);
    await screenshot(page, 'patient-07-accueil-ordinateur');

    // The session survives a reload: the home is served again and the API still knows the patient.
    await page.reload();
    await page.getByRole('heading', { name: 'Bonjour Camille LEFÈVRE' }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('says in French what is wrong: INS key, a failed identification, reused code, wrong one-time code', async () => {
    const context = await newContext(browser, carnet.url);
    const errors = pageErrors(context);
    const page = await context.newPage();
    const code = await activationCode(page, paul);

    await page.goto('/activation');
    const wrongKey = `${paul.ins.slice(0, 13)}${paul.ins.endsWith('01') ? '02' : '01'}`;
    await fillIdentity(page, wrongKey, paul, code);
    await expect
      .poll(() => alert(page).innerText())
      .toContain('La clé du numéro de sécurité sociale ne correspond pas');
    expect(await page.getByLabel('Numéro de sécurité sociale').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'erreurs-01-cle-ins');
    await expectNoAccessibilityViolations(page);

    await page.goto('/activation');
    // Without the code, nothing is said about the NIR (here an opposed person's): the one answer of every failure.
    await fillIdentity(page, odile.ins, odile, 'ABCDEFGH');
    await expect
      .poll(() => alert(page).innerText())
      .toContain('Ces informations ne permettent pas de vous identifier.');
    expect(await alert(page).innerText()).not.toContain('opposé');

    // The same code in two tabs: the second to finish is told the code was already used.
    const first = page;
    const second = await context.newPage();
    for (const tab of [first, second]) {
      await tab.goto('/activation');
      await fillIdentity(tab, paul.ins, paul, code);
      await tab.getByRole('heading', { name: 'Choisir mes identifiants' }).waitFor();
    }
    const chooseCredentials = async (tab: Page, login: string) => {
      await tab.getByRole('textbox', { name: 'Identifiant' }).fill(login);
      await tab.getByLabel('Mot de passe', { exact: true }).fill(password);
      await tab.getByLabel('Confirmer le mot de passe').fill(password);
      await tab.getByRole('button', { name: 'Activer mon profil' }).click();
    };
    await chooseCredentials(first, 'paul.garnier');
    await first.getByRole('heading', { name: 'Votre profil est activé' }).waitFor();
    await chooseCredentials(second, 'paul.g');
    await expect.poll(() => alert(second).innerText()).toContain('Ce code provisoire a déjà été utilisé.');
    await screenshot(second, 'erreurs-02-code-deja-utilise');
    await expectNoAccessibilityViolations(second);

    // Typing the letter's code again later: the profile is already active.
    await second.goto('/activation');
    await fillIdentity(second, paul.ins, paul, code);
    await expect.poll(() => alert(second).innerText()).toContain('déjà activé');

    await second.goto('/connexion');
    await second.getByRole('textbox', { name: 'Identifiant' }).fill('paul.garnier');
    await second.getByLabel('Mot de passe').fill(password);
    await second.getByRole('button', { name: 'Se connecter' }).click();
    await second.getByLabel('Code reçu par e-mail').fill('000000');
    await second.getByRole('button', { name: 'Valider' }).click();
    await expect.poll(() => alert(second).innerText()).toContain('Le code de connexion est incorrect.');
    await screenshot(second, 'erreurs-03-code-de-connexion-faux');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('opposes the creation of a profile and downloads the proof', async () => {
    const context = await newContext(browser, carnet.url);
    const errors = pageErrors(context);
    const page = await context.newPage();
    const code = await activationCode(page, lucas);
    await page.goto('/');
    await page.getByRole('link', { name: 'Je m’oppose à la création de mon profil' }).click();
    await page.getByLabel('Numéro de sécurité sociale').fill(spaced(lucas.ins));
    await page.getByLabel('Numéro de série de la carte Vitale').fill(lucas.vitaleSerial);
    await page.getByLabel('Code provisoire').fill(code);
    await page.getByRole('button', { name: 'Je m’oppose à la création de mon profil' }).click();
    const proof = page.getByRole('link', { name: 'Télécharger l’attestation d’opposition (PDF)' });
    await proof.waitFor();
    await screenshot(page, 'opposition-01-attestation');
    await expectNoAccessibilityViolations(page);
    const response = await page.request.get((await proof.getAttribute('href')) ?? '');
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('application/pdf');
    expect((await response.body()).subarray(0, 5).toString()).toBe('%PDF-');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  // Security review regression: fails on 027241f, before the fix (no « Mot de passe actuel » for the e-mail).
  it('changes the e-mail and the password with the current password, then closes the profile after a clear confirmation', async () => {
    const context = await newContext(browser, carnet.url);
    const errors = pageErrors(context);
    const page = await context.newPage();
    const code = await activationCode(page, ines);
    await page.goto('/activation');
    await fillIdentity(page, ines.ins, ines, code);
    await page.getByRole('textbox', { name: 'Identifiant' }).fill('ines.moreau');
    await page.getByLabel('Mot de passe', { exact: true }).fill(password);
    await page.getByLabel('Confirmer le mot de passe').fill(password);
    await page.getByRole('button', { name: 'Activer mon profil' }).click();
    await page.getByRole('heading', { name: 'Votre profil est activé' }).waitFor();
    const signIn = async (secret = password) => {
      await page.goto('/connexion');
      await page.getByRole('textbox', { name: 'Identifiant' }).fill('ines.moreau');
      await page.getByLabel('Mot de passe').fill(secret);
      await page.getByRole('button', { name: 'Se connecter' }).click();
    };
    await signIn();
    await page.getByRole('heading', { name: 'Code de connexion' }).waitFor();
    const otp = await codeFromMailbox(
      await context.newPage(),
      carnet.config.dataDir,
      { to: ines.email, subject: signInSubject },
      signInCodePattern,
    );
    await page.getByLabel('Code reçu par e-mail').fill(otp);
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByRole('heading', { name: 'Bonjour Inès MOREAU' }).waitFor();

    await page.getByRole('main').getByRole('link', { name: 'Paramètres du compte' }).click();
    await page.getByRole('heading', { name: 'Paramètres du compte' }).waitFor();
    const contact = page.getByRole('region', { name: 'Mes coordonnées' });
    await contact.getByLabel('Téléphone mobile').fill('06 12 34 56 78');
    await contact.getByRole('button', { name: 'Enregistrer mes coordonnées' }).click();
    await contact.getByText('Vos coordonnées sont enregistrées.').waitFor();

    // A new e-mail address needs the current password (a session left open is not enough).
    await contact.getByLabel('Adresse e-mail').fill('ines.nouvelle@exemple.fr');
    await contact.getByRole('button', { name: 'Enregistrer mes coordonnées' }).click();
    await expect.poll(() => alert(page).innerText()).toContain('Le mot de passe actuel est incorrect.');
    const currentForContact = contact.getByLabel('Mot de passe actuel');
    expect(await currentForContact.getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'parametres-01-mot-de-passe-demande');
    await expectNoAccessibilityViolations(page);
    await currentForContact.fill(password);
    await contact.getByRole('button', { name: 'Enregistrer mes coordonnées' }).click();
    await contact.getByText('Vos coordonnées sont enregistrées.').waitFor();
    expect(await contact.getByLabel('Adresse e-mail').inputValue()).toBe('ines.nouvelle@exemple.fr');
    expect(await contact.getByLabel('Mot de passe actuel').inputValue()).toBe('');

    const passwordForm = page.getByRole('region', { name: 'Changer mon mot de passe' });
    const newPassword = 'Automne2026 au verger';
    await passwordForm.getByLabel('Mot de passe actuel').fill(password);
    await passwordForm.getByLabel('Nouveau mot de passe', { exact: true }).fill(newPassword);
    await passwordForm.getByLabel('Confirmer le nouveau mot de passe').fill(newPassword);
    await passwordForm.getByRole('button', { name: 'Changer mon mot de passe' }).click();
    await passwordForm.getByText('Votre mot de passe est modifié.').waitFor();
    expect(await passwordForm.getByLabel('Nouveau mot de passe', { exact: true }).inputValue()).toBe('');

    const close = page.getByRole('button', { name: 'Clôturer mon profil' });
    await close.click();
    await expect.poll(() => alert(page).innerText()).toContain('Cochez la case de confirmation');
    await page.getByLabel('Demander la suppression des données').check();
    await page.getByLabel(/Je confirme vouloir clôturer mon profil/).check();
    await screenshot(page, 'cloture-01-parametres');
    await close.click();
    await page.getByText('Votre profil a été clôturé.').waitFor();
    await screenshot(page, 'cloture-02-accueil-public');

    await signIn(newPassword);
    await expect.poll(() => alert(page).innerText()).toMatch(/clôturé|fermé/);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
