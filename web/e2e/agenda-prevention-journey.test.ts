import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgendaEvent, parseEventInput } from '../../src/agenda/index.ts';
import { addMonths, evaluatePrevention } from '../../src/agenda/prevention/index.ts';
import { demoPerson, patientPrincipal } from '../../src/demo/principals.ts';
import { DEMO_PASSWORD } from '../../src/demo/patients.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import type { InsuredPerson } from '../../src/insured/index.ts';
import { startTestCarnet, type TestCarnet } from '../../src/server/test-server.ts';
import {
  desktop,
  expectNoAccessibilityViolations,
  launchBrowser,
  newContext,
  pageErrors,
  phone,
  requireWebBuild,
  screenshot,
  signInPatient,
} from './browser.ts';

/** Marie MOREL, born 1971: due the colorectal screening every two years. */
const marie = { login: 'marie.morel', email: 'marie.morel@mail.example' };
const colorectal = 'Dépistage organisé du cancer colorectal (test immunologique)';

const parisToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
const addDays = (day: string, days: number) => {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};
/** « 3 septembre 2026 », « 1er octobre 2026 »: how the page writes a day. */
const frenchDay = (day: string) =>
  new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
    .format(new Date(`${day}T12:00:00Z`))
    .replace(/^1 /, '1er ');
const frenchMonth = (day: string) =>
  new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${day}T12:00:00Z`),
  );

describe('prevention in the agenda: overdue in every view, « Fait le … », the next due date', () => {
  let carnet: TestCarnet;
  let browser: Browser;
  let person: InsuredPerson;
  const today = parisToday();
  // Her last test, recorded back then, was 3 years and a month ago: the round that followed closed a month ago,
  // whatever the day the journey runs.
  const lastTest = addMonths(today, -37);

  beforeAll(async () => {
    requireWebBuild();
    carnet = await startTestCarnet('sqlite', {
      beforeListen: async (ctx) => {
        await seedDemo(ctx);
        person = await demoPerson(ctx, 'marie');
        await ctx.db
          .insertInto('agenda_prevention_decisions')
          .values({
            patient_id: person.id,
            item_id: 'depistage-colorectal',
            occurrence: lastTest,
            status: 'done',
            decided_at: `${lastTest}T10:00:00.000Z`,
            done_on: lastTest,
          })
          .execute();
        // An appointment of her own, so that its edit page is checked too.
        await createAgendaEvent(
          ctx,
          patientPrincipal(person),
          person.id,
          parseEventInput({
            kind: 'appointment',
            title: 'Dentiste',
            start: `${addDays(today, 7)}T09:00:00+01:00`,
          }),
        );
      },
    });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await carnet?.stop();
  });

  // What the rules say of her colorectal screening today, and after a test done 20 days ago.
  const expected = () => {
    const input = {
      birthDate: person.birthDate,
      sex: person.sex,
      today,
      vaccinations: [],
      documents: [],
      decisions: [
        {
          itemId: 'depistage-colorectal',
          occurrence: lastTest,
          status: 'done' as const,
          at: lastTest,
          doneOn: lastTest,
        },
      ],
    };
    const late = evaluatePrevention(input).find((i) => i.itemId === 'depistage-colorectal')!;
    const doneOn = addDays(today, -20);
    const done = evaluatePrevention({
      ...input,
      decisions: [
        ...input.decisions,
        { itemId: 'depistage-colorectal', occurrence: late.occurrence, status: 'done', at: today, doneOn },
      ],
    }).find((i) => i.status === 'done' && i.itemId === 'depistage-colorectal' && i.doneOn === doneOn)!;
    return { late, doneOn, nextDue: done.nextDue! };
  };

  for (const [size, viewport] of [
    ['390', phone],
    ['1280', desktop],
  ] as const) {
    it(`at ${size} px`, async () => {
      const { late, doneOn, nextDue } = expected();
      expect(late).toMatchObject({ status: 'to-plan', overdue: true });
      expect(nextDue).toBe(addMonths(doneOn, 24));
      const lateText = `En retard depuis le ${frenchDay(late.overdueSince!)}`;

      const context = await newContext(browser, carnet.url, viewport);
      const errors = pageErrors(context);
      const page = await context.newPage();
      await page.goto('/agenda?vue=liste');
      await signInPatient(page, carnet.config.dataDir, marie, DEMO_PASSWORD);
      await page.getByRole('heading', { name: 'Agenda santé', level: 1 }).waitFor();

      // The list view opens on what is late.
      const due = page.getByRole('region', { name: 'Prévention à faire' });
      const dueEntry = (p: Page) =>
        p.getByRole('region', { name: 'Prévention à faire' }).locator('li', { hasText: colorectal });
      await due.waitFor();
      expect(await dueEntry(page).innerText()).toContain(lateText);
      await page.getByRole('heading', { name: 'À venir', level: 2 }).waitFor();
      await expectNoAccessibilityViolations(page);
      await screenshot(page, `issue14-agenda-liste-retard-${size}`);

      // The month view of today's month too.
      await page
        .getByRole('navigation', { name: 'Affichage de l’agenda' })
        .getByRole('link', { name: 'Mois' })
        .click();
      await page.getByRole('heading', { name: frenchMonth(today), level: 2 }).waitFor();
      expect(await dueEntry(page).innerText()).toContain(lateText);
      // The first of the month is read as it is shown: « 1er ».
      const firstDay = `${today.slice(0, 7)}-01`;
      const firstName = new Intl.DateTimeFormat('fr-FR', { weekday: 'long', timeZone: 'UTC' }).format(
        new Date(`${firstDay}T12:00:00Z`),
      );
      const first = page.getByRole('link', { name: `${firstName} ${frenchDay(firstDay)}`, exact: true });
      expect(
        await first.evaluate((a) => {
          const shown = a.cloneNode(true) as HTMLElement;
          shown.querySelectorAll('.visually-hidden').forEach((hidden) => hidden.remove());
          return shown.textContent;
        }),
      ).toBe('1er');
      await expectNoAccessibilityViolations(page);
      await screenshot(page, `issue14-agenda-mois-retard-${size}`);
      // The week view of this week as well.
      await page
        .getByRole('navigation', { name: 'Affichage de l’agenda' })
        .getByRole('link', { name: 'Semaine' })
        .click();
      await page.getByRole('heading', { name: /^Semaine du/, level: 2 }).waitFor();
      expect(await dueEntry(page).innerText()).toContain(lateText);
      await expectNoAccessibilityViolations(page);

      // From the banner to the item: « C’est fait » only, no « non fait ».
      await dueEntry(page).getByRole('link', { name: colorectal }).click();
      const item = page.locator('li.agenda-prevention', {
        has: page.getByRole('heading', { name: colorectal, exact: true }),
      });
      expect(
        await item.getByRole('heading', { name: colorectal }).evaluate((h) => h === document.activeElement),
      ).toBe(true);
      expect(await item.locator('.prevention-status').innerText()).toBe(lateText);
      expect(await item.getByRole('button').allInnerTexts()).toEqual(['C’est fait']);
      await item.getByRole('button', { name: 'C’est fait' }).click();
      const field = item.getByLabel('Fait le');
      // Today by default, and the keyboard is on it.
      expect(await field.inputValue()).toBe(today);
      expect(await field.evaluate((input) => input === document.activeElement)).toBe(true);
      await expectNoAccessibilityViolations(page);

      // A day in the future is refused, in French, on the field.
      await field.fill(addDays(today, 3));
      await item.getByRole('button', { name: 'Enregistrer' }).click();
      await item.getByRole('alert').getByText('La date ne peut pas être dans le futur.').waitFor();
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      await expectNoAccessibilityViolations(page);
      await screenshot(page, `issue14-agenda-fait-le-erreur-${size}`);

      // Twenty days ago: done, and the next one two years on.
      await field.fill(doneOn);
      await item.getByRole('button', { name: 'Enregistrer' }).click();
      await expect
        .poll(() => item.locator('.prevention-status').innerText())
        .toBe(`Fait le ${frenchDay(doneOn)}`);
      await item.getByText(`Prochain : ${frenchMonth(nextDue)}`).waitFor();
      // Focus stays on the item; « Ce n’est pas fait » is the only way back, no « C’est fait » beside « Fait le ».
      expect(
        await item.getByRole('heading', { name: colorectal }).evaluate((h) => h === document.activeElement),
      ).toBe(true);
      expect(await item.getByRole('button').allInnerTexts()).toEqual(['Ce n’est pas fait']);
      // No longer late: out of the banner.
      expect(await dueEntry(page).count()).toBe(0);
      await expectNoAccessibilityViolations(page);
      await screenshot(page, `issue14-agenda-fait-le-${size}`);

      // Stored: after a reload, the same.
      await page.reload();
      await expect
        .poll(() => item.locator('.prevention-status').innerText())
        .toBe(`Fait le ${frenchDay(doneOn)}`);
      await item.getByText(`Prochain : ${frenchMonth(nextDue)}`).waitFor();

      // A wrong « fait » is taken back: late again, in the banner again.
      await item.getByRole('button', { name: 'Ce n’est pas fait' }).click();
      await expect.poll(() => item.locator('.prevention-status').innerText()).toBe(lateText);
      await dueEntry(page).waitFor();
      expect(await item.getByRole('button').allInnerTexts()).toEqual(['C’est fait']);
      await screenshot(page, `issue14-agenda-annule-${size}`);

      // The other agenda pages: adding and editing an appointment.
      await page.getByRole('link', { name: 'Ajouter un rendez-vous ou un rappel' }).click();
      await page.getByRole('heading', { name: 'Ajouter à l’agenda', level: 1 }).waitFor();
      await expectNoAccessibilityViolations(page);
      await page.goto('/agenda?vue=liste');
      await page.getByRole('link', { name: 'Dentiste' }).click();
      await page.getByRole('heading', { name: 'Modifier', level: 1 }).waitFor();
      expect(await page.getByLabel('Intitulé').inputValue()).toBe('Dentiste');
      await expectNoAccessibilityViolations(page);

      expect(errors).toEqual([]);
      await context.close();
    }, 120_000);
  }
});
