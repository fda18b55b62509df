import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { defaultWebDistDir } from '../../src/http/routes/web.ts';
import { waitForEmail } from '../../src/mail/dev-mailbox.ts';

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
