import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { defaultWebDistDir } from '../../src/http/routes/web.ts';
import { readDevMailbox, waitForEmail } from '../../src/mail/dev-mailbox.ts';

/** Browser journeys drive Debian's chromium (scripts/ensure-system-deps.sh installs it), never a downloaded one. */
const chromiumPath = process.env.CARNET_CHROMIUM ?? '/usr/bin/chromium';
const screenshotDir = fileURLToPath(new URL('../../test-artifacts/screenshots/', import.meta.url));

export const phone = { width: 390, height: 844 } as const;
export const desktop = { width: 1280, height: 900 } as const;

/** The journeys test the built apps: say how to build them rather than fail obscurely. */
export function requireWebBuild(): void {
  if (
    !existsSync(`${defaultWebDistDir}/patient/index.html`) ||
    !existsSync(`${defaultWebDistDir}/pro/index.html`)
  )
    throw new Error(`The web apps are not built (${defaultWebDistDir}): run \`npm run build:web\` first.`);
  if (!existsSync(chromiumPath))
    throw new Error(
      `No chromium at ${chromiumPath}: run \`bash scripts/ensure-system-deps.sh\` (installs Debian's chromium).`,
    );
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function newContext(
  browser: Browser,
  baseURL: string,
  viewport: { width: number; height: number } = phone,
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    viewport,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
  });
  context.setDefaultTimeout(10_000);
  return context;
}

/**
 * Script errors and console errors of every page of the context (a CSP refusal shows up there). Refused API calls
 * are expected in error journeys: the browser's own "Failed to load resource" lines are not counted.
 */
export function pageErrors(context: BrowserContext): string[] {
  const errors: string[] = [];
  const watch = (page: Page) => {
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        errors.push(message.text());
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return errors;
}

/** A full-page screenshot under test-artifacts/screenshots/ (kept, not committed). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: `${screenshotDir}${name}.png`, fullPage: true });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  readonly id: string;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[] }[];
}

/**
 * Runs axe-core (WCAG 2.1 A and AA rules) on the page as it is shown, and fails with each violation's rule and
 * elements. The engine is evaluated through the DevTools protocol, so the apps' Content-Security-Policy (no
 * inline script) stays in force.
 */
export async function expectNoAccessibilityViolations(page: Page): Promise<void> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
  if (violations.length > 0)
    throw new Error(
      `axe-core found ${violations.length} accessibility violation(s) on ${page.url()}:\n` +
        violations
          .map((v) => `- ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)
          .join('\n'),
    );
}

/**
 * Reads a code in an e-mail the way a newcomer does: on the development mailbox page. `waitForEmail` only waits
 * for the outbox worker to deliver it; the code itself is read from the page.
 */
export async function codeFromMailbox(
  page: Page,
  dataDir: string,
  mail: { to: string; subject: string; after?: string },
  pattern: RegExp,
): Promise<string> {
  const found = await waitForEmail(
    dataDir,
    (m) => m.to.includes(mail.to) && m.subject === mail.subject && (!mail.after || m.id > mail.after),
  );
  await page.goto('/dev/mailbox');
  await page.locator(`a[href="/dev/mailbox/${found.id}"]`).click();
  const text = await page.locator('pre').first().innerText();
  const code = pattern.exec(text)?.[1];
  if (!code) throw new Error(`no code matching ${pattern} in the e-mail "${mail.subject}"`);
  return code;
}

/**
 * Signs a patient in from the sign-in page on screen: login and password, then the one-time code read in the
 * development mailbox (in a page of its own; only a code sent after this sign-in began counts).
 */
export async function signInPatient(
  page: Page,
  dataDir: string,
  patient: { login: string; email: string },
  password: string,
): Promise<void> {
  await page.getByRole('heading', { name: 'Se connecter' }).waitFor();
  await page.getByRole('textbox', { name: 'Identifiant' }).fill(patient.login);
  await page.getByLabel('Mot de passe').fill(password);
  const after = (await readDevMailbox(dataDir))[0]?.id;
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { name: 'Code de connexion' }).waitFor();
  const mailbox = await page.context().newPage();
  const otp = await codeFromMailbox(
    mailbox,
    dataDir,
    { to: patient.email, subject: 'Votre code de connexion Mon espace santé', ...(after ? { after } : {}) },
    /code de connexion à Mon espace santé est : (\d{6})/,
  );
  await mailbox.close();
  await page.getByLabel('Code reçu par e-mail').fill(otp);
  await page.getByRole('button', { name: 'Valider' }).click();
}

/**
 * On the patient's « Dossier médical », the documents of one category (JDV_J06 class code), chosen as a patient
 * does: « Filtres » unfolded, « Catégorie de document » set. The results' section, once it has its answer.
 */
export async function patientDocumentsOfClass(page: Page, classCode: string): Promise<Locator> {
  const details = page.locator('details.record-more-filters');
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open)))
    await details.locator('summary').click();
  await page.getByLabel('Catégorie de document').selectOption(classCode);
  await page.locator('.record-count[aria-busy="false"]').waitFor();
  return page.getByRole('region', { name: 'Résultats de la recherche' });
}

/**
 * Types the last key of a search the way a person does (the rest already typed), and times in the page from that
 * key until the address carries the words (`q=`) and `done` (a CSS selector) matches: the figure includes the
 * box's typing pause. `request` (a part of the API's address) also times from that request's start to the end.
 */
export async function typeSearchTimed(
  page: Page,
  search: { label: string; input: string; done: string; request?: string },
  text: string,
): Promise<{ total: number; afterRequest: number }> {
  await page.getByLabel(search.label, { exact: true }).fill(text.slice(0, -1));
  return page.evaluate(
    async ({ typed, input: selector, done, request }) => {
      const input = document.querySelector<HTMLInputElement>(selector)!;
      const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      const start = performance.now();
      setValue.call(input, typed);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      while (
        new URLSearchParams(window.location.search).get('q') !== typed.trim() ||
        document.querySelector(done) === null
      )
        await new Promise((resolve) => requestAnimationFrame(resolve));
      const end = performance.now();
      const q = new URLSearchParams({ q: typed.trim() }).toString();
      const sent = request
        ? performance
            .getEntriesByType('resource')
            .filter((e) => e.name.includes(request) && e.name.includes(q))
            .at(-1)
        : undefined;
      return { total: end - start, afterRequest: sent ? end - sent.startTime : Number.NaN };
    },
    { typed: text, ...search },
  );
}
