import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/patients.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { readDevMailbox } from '../../src/mail/dev-mailbox.ts';
import { startTestCarnet, type TestCarnet } from '../../src/server/test-server.ts';
import {
  codeFromMailbox,
  desktop,
  expectNoAccessibilityViolations,
  launchBrowser,
  newContext,
  pageErrors,
  phone,
  requireWebBuild,
  screenshot,
} from './browser.ts';

const marie = {
  login: 'marie.morel',
  email: 'marie.morel@mail.example',
  nir: '2 71 09 69 123 045 85',
  vitaleSerial: '71090369',
};
const resetSubject = 'Votre code pour choisir un nouveau mot de passe Mon espace santé';
const noticeSubject = 'Le mot de passe de votre compte Mon espace santé a été modifié';
const signInSubject = 'Votre code de connexion Mon espace santé';

/**
 * Account recovery: Marie has forgotten her password. She asks for a code with her NIR and carte
 * Vitale, reads it in her mailbox, chooses a new password, is told by e-mail, and signs in with it; on the code
 * step she asks for a new code once the minute is over. At 390 px and 1280 px.
 */
describe('account recovery in the browser', () => {
  let carnet: TestCarnet;
  let browser: Browser;
  // The server's clock runs with real time, moved forward with the page's when the test skips the cool-down.
  let skipped = 0;

  beforeAll(async () => {
    requireWebBuild();
    carnet = await startTestCarnet('sqlite', { clock: { now: () => new Date(Date.now() + skipped) } });
    await seedDemo(carnet.ctx);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await carnet?.stop();
  });

  const newestMail = async () => (await readDevMailbox(carnet.config.dataDir))[0]?.id;
  /** Reads a code or a sentence in the newest matching e-mail, on the development mailbox page (a page of its own). */
  const fromMailbox = async (page: Page, subject: string, after: string | undefined, pattern: RegExp) => {
    const mailbox = await page.context().newPage();
    const found = await codeFromMailbox(
      mailbox,
      carnet.config.dataDir,
      { to: marie.email, subject, ...(after ? { after } : {}) },
      pattern,
    );
    await mailbox.close();
    return found;
  };
  const alert = (page: Page) => page.locator('main [role="alert"]:not(:empty)');

  const journeys = [
    { size: '390', viewport: phone, from: DEMO_PASSWORD, to: 'Lavande et romarin 2026' },
    { size: '1280', viewport: desktop, from: 'Lavande et romarin 2026', to: 'Thym, sauge et 3 olives' },
  ];

  for (const journey of journeys) {
    it(`lets Marie choose a new password and ask for a new sign-in code at ${journey.size} px`, async () => {
      const context = await newContext(browser, carnet.url, journey.viewport);
      const errors = pageErrors(context);
      const page = await context.newPage();
      await page.clock.install();

      // The sign-in page offers « Mot de passe oublié ? ».
      await page.goto('/connexion');
      await page.getByRole('heading', { name: 'Se connecter' }).waitFor();
      await expectNoAccessibilityViolations(page);
      await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();

      // Step 1: NIR and carte Vitale serial.
      await page.getByRole('heading', { name: 'Mot de passe oublié' }).waitFor();
      await expectNoAccessibilityViolations(page);
      await page.getByLabel('Numéro de sécurité sociale').fill(marie.nir);
      await page.getByLabel('Numéro de série de la carte Vitale').fill(marie.vitaleSerial);
      await screenshot(page, `issue14-recovery-identity-${journey.size}`);
      const beforeRequest = await newestMail();
      await page.getByRole('button', { name: 'Recevoir un code' }).click();

      // Step 2: the code received by e-mail and the new password.
      await page.getByRole('heading', { name: 'Choisir un nouveau mot de passe' }).waitFor();
      expect(await page.getByRole('status').innerText()).toBe(
        'Si ces informations correspondent à un compte Mon espace santé activé, un code vient d’être envoyé à son adresse électronique. Il est valable 15 minutes.',
      );
      await expectNoAccessibilityViolations(page);
      const code = await fromMailbox(
        page,
        resetSubject,
        beforeRequest,
        /la page ouverte pour votre demande : (\d{6})/,
      );
      // A wrong code is refused in plain words, the field marked.
      await page.getByLabel('Code reçu par e-mail').fill(code === '000000' ? '111111' : '000000');
      await page.getByLabel('Nouveau mot de passe', { exact: true }).fill(journey.to);
      await page.getByLabel('Confirmer le nouveau mot de passe').fill(journey.to);
      await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
      await expect.poll(() => alert(page).innerText()).toContain('Ce code est incorrect');
      expect(await page.getByLabel('Code reçu par e-mail').getAttribute('aria-invalid')).toBe('true');
      await expectNoAccessibilityViolations(page);
      await screenshot(page, `issue14-recovery-wrong-code-${journey.size}`);

      await page.getByLabel('Code reçu par e-mail').fill(code);
      await screenshot(page, `issue14-recovery-new-password-${journey.size}`);
      const beforeReset = await newestMail();
      await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();

      // Done: the login is recalled, and an e-mail says what happened and what to do if it was not her.
      await page.getByRole('heading', { name: 'Votre mot de passe est modifié' }).waitFor();
      expect(await page.getByRole('status').innerText()).toBe(
        'Votre nouveau mot de passe est enregistré. Votre identifiant est marie.morel.',
      );
      await expectNoAccessibilityViolations(page);
      await screenshot(page, `issue14-recovery-done-${journey.size}`);
      const notice = await fromMailbox(page, noticeSubject, beforeReset, /(Bonjour,[\s\S]*)/);
      expect(notice).toMatch(
        /Votre mot de passe a été modifié le \d{1,2} \p{L}+ \d{4} à \d{2}:\d{2} \(heure de Paris\), avec la démarche « Mot de passe oublié \? »/u,
      );
      expect(notice).toContain('les connexions ouvertes sur vos appareils ont été fermées');
      expect(notice).toContain('Si vous n’êtes pas à l’origine de ce changement');
      expect(notice).toContain(`${carnet.url}/mot-de-passe-oublie`);
      expect(notice).toContain('contactez le service d’assistance de Mon espace santé');

      // The old password no longer opens the account.
      await page.getByRole('main').getByRole('link', { name: 'Se connecter' }).click();
      await page.getByRole('heading', { name: 'Se connecter' }).waitFor();
      await page.getByRole('textbox', { name: 'Identifiant' }).fill(marie.login);
      await page.getByLabel('Mot de passe').fill(journey.from);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await expect.poll(() => alert(page).innerText()).toBe('Identifiant ou mot de passe incorrect.');

      // The new one does; on the code step, « Renvoyer le code » waits a minute, counting down.
      await page.getByLabel('Mot de passe').fill(journey.to);
      const beforeSignIn = await newestMail();
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.getByRole('heading', { name: 'Code de connexion' }).waitFor();
      const firstCode = await fromMailbox(
        page,
        signInSubject,
        beforeSignIn,
        /code de connexion à Mon espace santé est : (\d{6})/,
      );
      const resendButton = page.getByRole('button', { name: /^Renvoyer le code/ });
      expect(await resendButton.isDisabled()).toBe(true);
      expect(await resendButton.getAttribute('aria-disabled')).toBe('true');
      expect(await resendButton.innerText()).toMatch(/^Renvoyer le code \(dans (60|59|58|57|56|55) s\)$/);
      await expectNoAccessibilityViolations(page);
      await screenshot(page, `issue14-resend-countdown-${journey.size}`);
      // A click during the cool-down (forced: the button says it is disabled) sends nothing.
      const afterFirst = await newestMail();
      await resendButton.click({ force: true });
      await page.waitForTimeout(300);
      expect(await newestMail()).toBe(afterFirst);

      // A minute later (on the page's clock and the server's), the button works.
      skipped += 61_000;
      await page.clock.fastForward(61_000);
      await expect.poll(() => resendButton.innerText()).toBe('Renvoyer le code');
      expect(await resendButton.isDisabled()).toBe(false);
      await resendButton.click();
      await expect
        .poll(() => page.getByRole('status').innerText())
        .toMatch(/^Un nouveau code vient d’être envoyé à l’adresse m•••@mail\.example\. Le code précédent/);
      expect(await resendButton.isDisabled()).toBe(true);
      await expectNoAccessibilityViolations(page);
      await screenshot(page, `issue14-resend-sent-${journey.size}`);
      const secondCode = await fromMailbox(
        page,
        signInSubject,
        afterFirst,
        /code de connexion à Mon espace santé est : (\d{6})/,
      );

      // The first code no longer works; the new one signs Marie in.
      if (firstCode !== secondCode) {
        await page.getByLabel('Code reçu par e-mail').fill(firstCode);
        await page.getByRole('button', { name: 'Valider' }).click();
        await expect.poll(() => alert(page).innerText()).toBe('Le code de connexion est incorrect.');
      }
      await page.getByLabel('Code reçu par e-mail').fill(secondCode);
      await page.getByRole('button', { name: 'Valider' }).click();
      await page.getByRole('heading', { name: 'Bonjour Marie MOREL' }).waitFor();
      await screenshot(page, `issue14-recovery-signed-in-${journey.size}`);

      expect(errors).toEqual([]);
      await context.close();
    });
  }
});
