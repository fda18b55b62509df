import ICAL from 'ical.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppPrincipal } from '../../src/access/principal.ts';
import { changePushedAppointment, createAgendaEvent, parseEventInput } from '../../src/agenda/index.ts';
import { demoPerson, demoProfessional } from '../../src/demo/principals.ts';
import { DEMO_PASSWORD } from '../../src/demo/patients.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { startTestCarnet, type TestCarnet } from '../../src/server/test-server.ts';
import {
  expectNoAccessibilityViolations,
  launchBrowser,
  newContext,
  pageErrors,
  requireWebBuild,
  screenshot,
  signInPatient,
} from './browser.ts';

/** Marie MOREL, born 1971: a woman in her fifties, due the breast and colorectal screenings. */
const marie = { login: 'marie.morel', email: 'marie.morel@mail.example' };
const mammography = 'Dépistage organisé du cancer du sein (mammographie)';
const colorectal = 'Dépistage organisé du cancer colorectal (test immunologique)';
const appointment = {
  title: 'Consultation de diabétologie',
  practitioner: 'Dr Sophie LAURENT',
  location: 'Hôpital Édouard-Herriot, Lyon',
};

const pushed = {
  professional: 'Consultation de suivi (Dr MARTIN)',
  app: 'Kinésithérapie',
  cancelled: 'Échographie abdominale',
};

/** A day `days` from today in France, as YYYY-MM-DD. */
function parisDayIn(days: number): string {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

describe('the medical agenda in the browser', () => {
  let carnet: TestCarnet;
  let browser: Browser;
  let context: BrowserContext;
  let errors: string[];

  beforeAll(async () => {
    requireWebBuild();
    carnet = await startTestCarnet('sqlite', {
      beforeListen: async (ctx) => {
        await seedDemo(ctx);
        // Two appointments Marie did not enter: one from Dr Martin's software, one from a connected booking app.
        const person = await demoPerson(ctx, 'marie');
        await createAgendaEvent(
          ctx,
          await demoProfessional(ctx),
          person.id,
          parseEventInput({
            kind: 'appointment',
            title: pushed.professional,
            start: `${parisDayIn(2)}T09:00:00+01:00`,
          }),
        );
        // A third one, which the doctor's software then cancelled.
        const cancelled = parseEventInput({
          kind: 'appointment',
          title: pushed.cancelled,
          start: `${parisDayIn(4)}T10:00:00+01:00`,
        });
        const doctor = await demoProfessional(ctx);
        const echo = await createAgendaEvent(ctx, doctor, person.id, cancelled);
        await changePushedAppointment(ctx, doctor, person.id, echo.id, { ...cancelled, status: 'cancelled' });
        const app: AppPrincipal = {
          kind: 'app',
          serviceId: 'rdv-sante-proche',
          serviceName: 'RDV Santé Proche',
          grantId: 'journey-grant',
          patientId: person.id,
          purposes: ['write-agenda'],
          scopes: ['patient/Appointment.write'],
        };
        await createAgendaEvent(
          ctx,
          app,
          person.id,
          parseEventInput({
            kind: 'appointment',
            title: pushed.app,
            start: `${parisDayIn(3)}T11:00:00+01:00`,
          }),
        );
      },
    });
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

  /** Tabs through the page until the named link has the focus, then follows it with Enter. */
  async function followByKeyboard(page: Page, name: string) {
    const link = page.getByRole('navigation', { name: 'Affichage de l’agenda' }).getByRole('link', { name });
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      if (await link.evaluate((element) => element === document.activeElement)) {
        await page.keyboard.press('Enter');
        return;
      }
    }
    throw new Error(`the "${name}" link cannot be reached with the Tab key`);
  }

  const preventionItem = (page: Page, label: string) =>
    page.locator('li.agenda-prevention', { has: page.getByRole('heading', { name: label, exact: true }) });

  it('month, week and list views by keyboard; an appointment, prevention items, the iCalendar feed', async () => {
    const page = await context.newPage();
    await page.goto('/agenda');
    await signIn(page);
    await page.getByRole('heading', { name: 'Agenda santé', level: 1 }).waitFor();

    // Month view by default: a calendar table of the current month.
    const thisMonth = new Intl.DateTimeFormat('fr-FR', {
      month: 'long',
      year: 'numeric',
      timeZone: 'Europe/Paris',
    }).format(new Date());
    await page.getByRole('heading', { name: thisMonth, level: 2 }).waitFor();
    await page.getByRole('table', { name: `Rendez-vous et rappels de ${thisMonth}` }).waitFor();
    const views = page.getByRole('navigation', { name: 'Affichage de l’agenda' });
    expect(await views.getByRole('link', { name: 'Mois' }).getAttribute('aria-current')).toBe('page');
    await screenshot(page, 'agenda-01-mois');

    // Week and list views, reached with the keyboard alone.
    await page.locator('body').focus();
    await followByKeyboard(page, 'Semaine');
    await page.getByRole('heading', { name: /^Semaine du .+ au .+$/, level: 2 }).waitFor();
    expect(await views.getByRole('link', { name: 'Semaine' }).getAttribute('aria-current')).toBe('page');
    expect(await page.locator('section.agenda-day').count()).toBe(7);
    await followByKeyboard(page, 'Liste');
    await page.getByRole('heading', { name: 'À venir', level: 2 }).waitFor();
    // What others pushed says who added it, and she cannot edit it as hers.
    const byPro = page.locator('li.agenda-event', { hasText: pushed.professional });
    const byApp = page.locator('li.agenda-event', { hasText: pushed.app });
    expect(await byPro.locator('.badge').allInnerTexts()).toEqual(['Ajouté par un professionnel']);
    expect(await byApp.locator('.badge').allInnerTexts()).toEqual(['Ajouté par un service connecté']);
    // The one the doctor cancelled stays in the list, marked so, rather than vanishing.
    const cancelled = page.locator('li.agenda-event', { hasText: pushed.cancelled });
    expect(await cancelled.locator('.badge').allInnerTexts()).toEqual([
      'Annulé',
      'Ajouté par un professionnel',
    ]);
    await byApp.getByRole('link', { name: pushed.app }).click();
    await page.getByText('Ce rendez-vous a été ajouté par un service que vous avez connecté').waitFor();
    // Shown as what it is, not as a form she cannot use.
    await page.getByRole('heading', { name: pushed.app, level: 1 }).waitFor();
    expect(await page.locator('dl.facts dt').allInnerTexts()).toEqual(['Quand']);
    expect(await page.getByRole('textbox').count()).toBe(0);
    await page.getByRole('button', { name: 'Supprimer de mon agenda' }).waitFor();
    await expectNoAccessibilityViolations(page);
    await page.goBack();
    await page.getByRole('heading', { name: 'À venir', level: 2 }).waitFor();
    await page.locator('body').focus();
    await followByKeyboard(page, 'Mois');
    await page.getByRole('heading', { name: thisMonth, level: 2 }).waitFor();

    // She adds an appointment in five days.
    const day = parisDayIn(5);
    await page.getByRole('link', { name: 'Ajouter un rendez-vous ou un rappel' }).click();
    await page.getByRole('heading', { name: 'Ajouter à l’agenda' }).waitFor();
    expect(await page.getByRole('radio', { name: 'Rendez-vous' }).isChecked()).toBe(true);
    await page.getByLabel('Intitulé').fill(appointment.title);
    await page.getByLabel('Début').fill(`${day}T14:30`);
    await page.getByLabel('Fin').fill(`${day}T15:00`);
    await page.getByLabel('Professionnel ou établissement').fill(appointment.practitioner);
    await page.getByLabel('Lieu').fill(appointment.location);
    await screenshot(page, 'agenda-02-ajout');
    await page.getByRole('button', { name: 'Enregistrer' }).click();

    // Back on the month of that day, the day shows it; the week and the list too.
    const event = page.locator('li.agenda-event', { hasText: appointment.title });
    await event.waitFor();
    expect(await event.innerText()).toContain('14:30 – 15:00');
    expect(await event.innerText()).toContain(`Avec ${appointment.practitioner}`);
    // The month grid counts it on its day (read out as "mardi 1 décembre 2026, 1 élément").
    const dayName = new Intl.DateTimeFormat('fr-FR', {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(`${day}T12:00:00Z`));
    // « 1er » for the first of the month, as French writes it.
    const spokenDay = dayName.replace(/(^|\s)1(?=\s)/, '$11er');
    await page.getByRole('link', { name: `${spokenDay}, 1 élément`, exact: true }).waitFor();
    await views.getByRole('link', { name: 'Semaine' }).click();
    await page.getByRole('heading', { name: /^Semaine du/ }).waitFor();
    await event.waitFor();
    await views.getByRole('link', { name: 'Liste' }).click();
    await page.getByRole('heading', { name: 'À venir', level: 2 }).waitFor();
    await event.waitFor();
    await screenshot(page, 'agenda-03-liste');

    // Prevention for a woman in her fifties: mammography and colorectal screening, both still to do.
    for (const label of [mammography, colorectal]) {
      const item = preventionItem(page, label);
      await item.waitFor();
      expect(await item.locator('.badge').innerText()).toMatch(/^(À prévoir|Bientôt|À faire|En retard)$/);
    }
    // No screening of the other sex, no infant vaccine.
    expect(await page.getByRole('heading', { name: /nourrisson/ }).count()).toBe(0);
    await preventionItem(page, mammography)
      .getByRole('group', { name: `${mammography}, ` })
      .getByRole('button', { name: 'C’est fait', exact: true })
      .click();
    // « Fait le » today by default.
    await preventionItem(page, mammography).getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => preventionItem(page, mammography).locator('.badge').innerText()).toBe('Fait');
    // The pressed button is gone; focus stays on the item rather than falling back to the page.
    await expect
      .poll(() =>
        preventionItem(page, mammography)
          .getByRole('heading', { name: mammography })
          .evaluate((h) => h === document.activeElement),
      )
      .toBe(true);
    await preventionItem(page, mammography).getByRole('button', { name: 'Ce n’est pas fait' }).waitFor();
    expect(await preventionItem(page, colorectal).locator('.badge').innerText()).toMatch(
      /^(À prévoir|Bientôt|À faire|En retard)$/,
    );
    // The choice is stored, not just shown.
    await page.reload();
    await expect.poll(() => preventionItem(page, mammography).locator('.badge').innerText()).toBe('Fait');
    await screenshot(page, 'agenda-04-prevention');

    // The subscription address: an independent parser reads the appointment and the due screening back.
    await page.getByRole('button', { name: 'Créer une adresse' }).click();
    const address = page.getByRole('textbox', { name: 'Adresse d’abonnement' });
    await address.waitFor();
    const feedUrl = await address.inputValue();
    expect(feedUrl).toMatch(/\/agenda\/[\w-]{20,}\.ics$/);
    // Shown once, so the keyboard lands on it, ready to copy.
    await expect.poll(() => address.evaluate((input) => input === document.activeElement)).toBe(true);
    await page.getByText(/^Une adresse est active depuis le/).waitFor();
    await screenshot(page, 'agenda-05-abonnement');
    await expectNoAccessibilityViolations(page);

    // Fetched without the session, as a calendar app does.
    const feed = await fetch(feedUrl);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toMatch(/^text\/calendar/);
    const calendar = new ICAL.Component(ICAL.parse(await feed.text()));
    const events = calendar.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
    const booked = events.find((e) => e.summary === appointment.title);
    expect(booked).toBeDefined();
    expect(booked!.location).toBe(appointment.location);
    const start = booked!.startDate.toJSDate();
    expect(
      new Intl.DateTimeFormat('fr-FR', {
        timeZone: 'Europe/Paris',
        dateStyle: 'short',
        timeStyle: 'short',
      }).format(start),
    ).toBe(`${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)} 14:30`);
    expect(booked!.endDate.toJSDate().getTime() - start.getTime()).toBe(30 * 60_000);
    expect(events.some((e) => e.summary.includes('cancer colorectal'))).toBe(true);
    // A screening marked done is no longer a due item of the feed.
    expect(events.some((e) => e.summary.includes('cancer du sein'))).toBe(false);

    // Revoked, the address stops working at once.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Révoquer l’adresse' }).click();
    await page.getByText('Aucune adresse d’abonnement n’est active.').waitFor();
    expect((await fetch(feedUrl)).status).toBe(404);

    expect(errors).toEqual([]);
  }, 90_000);
});
