import ICAL from 'ical.js';
import { parisDay, fixedClock } from '../shared/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../app/index.ts';
import { createTestContext } from '../auth/test-context.ts';
import { seedDemo, demoPerson, demoProfessional, patientPrincipal } from '../demo/index.ts';
import type { InsuredPerson } from '../insured/index.ts';
import { declareConsent, setProfessionalStatus } from '../record/index.ts';
import { type TestDatabase, testDialects } from '../storage/test-databases.ts';
import { wantsNotification } from '../notifications/index.ts';
import { getNotificationPreferences, updateNotificationPreferences } from '../profile/index.ts';
import {
  createAgendaEvent,
  decidePreventionItem,
  deleteAgendaEvent,
  listAgendaEvents,
  listPreventionItems,
  parseEventInput,
  regenerateFeed,
  renderFeed,
  revokeFeed,
  updateAgendaEvent,
} from './index.ts';

const appointment = (start: string, title = 'Consultation de suivi, Dr Martin') =>
  parseEventInput({ kind: 'appointment', start, title, location: '3 rue des Lilas, Lyon', notes: 'À jeun' });

describe.each(testDialects)('agenda services on %s', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  let jean: InsuredPerson;
  let marie: InsuredPerson;
  let emilie: InsuredPerson;
  let chloe: InsuredPerson;

  const traces = (person: InsuredPerson, action: string, outcome: string) =>
    ctx.db
      .selectFrom('audit_events')
      .selectAll()
      .where('patient_id', '=', person.id)
      .where('action', '=', action)
      .where('outcome', '=', outcome)
      .execute();

  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect, { clock: fixedClock('2026-03-02T09:00:00Z') }));
    await seedDemo(ctx);
    jean = await demoPerson(ctx, 'jean');
    marie = await demoPerson(ctx, 'marie');
    emilie = await demoPerson(ctx, 'emilie');
    chloe = await demoPerson(ctx, 'chloe');
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('keeps the patient’s appointments and reminders, their content encrypted at rest', async () => {
    const me = patientPrincipal(jean);
    const created = await createAgendaEvent(ctx, me, jean.id, appointment('2026-03-10T09:30:00+01:00'));
    await createAgendaEvent(
      ctx,
      me,
      jean.id,
      parseEventInput({ kind: 'reminder', start: '2026-03-05T18:00:00Z', title: 'Prendre la tension' }),
    );
    expect(created).toMatchObject({
      day: '2026-03-10',
      start: '2026-03-10T08:30:00.000Z',
      source: 'patient',
    });
    const listed = await listAgendaEvents(ctx, me, jean.id);
    expect(listed.map((e) => [e.kind, e.title])).toEqual([
      ['reminder', 'Prendre la tension'],
      ['appointment', 'Consultation de suivi, Dr Martin'],
    ]);
    const raw = await ctx.db
      .selectFrom('agenda_events')
      .select('content')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(raw.content).not.toContain('Martin');
    expect(raw.content).not.toContain('Lilas');

    const moved = await updateAgendaEvent(
      ctx,
      me,
      jean.id,
      created.id,
      appointment('2026-03-11T10:00:00Z', 'Bilan'),
    );
    expect(moved).toMatchObject({ day: '2026-03-11', title: 'Bilan' });
    await deleteAgendaEvent(ctx, me, jean.id, created.id);
    expect((await listAgendaEvents(ctx, me, jean.id)).map((e) => e.title)).toEqual(['Prendre la tension']);
    expect(await traces(jean, 'agenda-update', 'success')).toHaveLength(4);
  });

  it('refuses another patient, but lets a parent manage their child’s agenda', async () => {
    await expect(listAgendaEvents(ctx, patientPrincipal(marie), jean.id)).rejects.toMatchObject({
      code: 'not-own-record',
    });
    const parent = patientPrincipal(emilie, [chloe.id]);
    await createAgendaEvent(ctx, parent, chloe.id, appointment('2026-03-20T14:00:00Z', 'Pédiatre'));
    expect((await listAgendaEvents(ctx, parent, chloe.id)).map((e) => e.title)).toEqual(['Pédiatre']);
  });

  it('lets a professional push an appointment but read the agenda only with consent; a blocked one neither', async () => {
    const martin = await demoProfessional(ctx);
    const pushed = await createAgendaEvent(
      ctx,
      martin,
      marie.id,
      appointment('2026-04-01T07:00:00Z', 'Échographie'),
    );
    expect(pushed).toMatchObject({ source: 'professional', authorNationalId: martin.nationalId });
    await expect(listAgendaEvents(ctx, martin, marie.id)).rejects.toMatchObject({
      code: 'consent-required',
    });
    expect(await traces(marie, 'agenda-read', 'denied')).toHaveLength(1);
    await declareConsent(ctx, martin, marie.id);
    expect((await listAgendaEvents(ctx, martin, marie.id)).map((e) => e.title)).toEqual(['Échographie']);
    // The patient may delete what a professional pushed, not rewrite it.
    await expect(
      updateAgendaEvent(
        ctx,
        patientPrincipal(marie),
        marie.id,
        pushed.id,
        appointment('2026-04-02T07:00:00Z'),
      ),
    ).rejects.toMatchObject({ code: 'agenda-event-read-only' });

    await setProfessionalStatus(ctx, patientPrincipal(marie), marie.id, martin.nationalId, { blocked: true });
    await expect(
      createAgendaEvent(ctx, martin, marie.id, appointment('2026-04-03T07:00:00Z')),
    ).rejects.toMatchObject({ code: 'blocked' });
    expect(await traces(marie, 'agenda-update', 'denied')).toHaveLength(1);
  });

  it('refuses malformed input with a French message', () => {
    expect(() => parseEventInput({ start: '2026-03-10 09:00', title: 'x' })).toThrow(/début/);
    expect(() => parseEventInput({ start: '2026-03-10T09:00:00Z', title: ' ' })).toThrow(/intitulé/);
    expect(() =>
      parseEventInput({ start: '2026-03-10T09:00:00Z', end: '2026-03-10T08:00:00Z', title: 'x' }),
    ).toThrow(/précéder/);
  });

  it('lists prevention items and keeps the patient’s "fait" / "non fait"', async () => {
    const me = patientPrincipal(marie);
    const items = await listPreventionItems(ctx, me, marie.id);
    const breast = items.find((i) => i.itemId === 'depistage-sein' && i.status === 'to-plan');
    expect(breast).toBeDefined();
    await decidePreventionItem(ctx, me, marie.id, breast!.itemId, breast!.occurrence, 'done');
    const after = await listPreventionItems(ctx, me, marie.id);
    expect(after.find((i) => i.key === breast!.key)?.status).toBe('done');
    await decidePreventionItem(ctx, me, marie.id, breast!.itemId, breast!.occurrence, undefined);
    expect((await listPreventionItems(ctx, me, marie.id)).find((i) => i.key === breast!.key)?.status).toBe(
      'to-plan',
    );
  });

  it('serves an iCalendar feed at a secret address that regeneration and revocation kill', async () => {
    const me = patientPrincipal(jean);
    await createAgendaEvent(ctx, me, jean.id, appointment('2026-03-12T08:00:00Z', 'Cardiologue, Dr Roux'));
    const first = await regenerateFeed(ctx, me, jean.id);
    const token = /\/agenda\/([^/]+)\.ics$/.exec(first.url)![1]!;
    const calendar = new ICAL.Component(ICAL.parse(await renderFeed(ctx, token)));
    const events = calendar.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
    const cardio = events.find((e) => e.summary === 'Cardiologue, Dr Roux')!;
    expect(cardio.startDate.toJSDate().toISOString()).toBe('2026-03-12T08:00:00.000Z');
    expect(
      cardio.component.getFirstSubcomponent('valarm')!.getFirstPropertyValue('trigger')!.toString(),
    ).toBe('-P1D');
    expect(events.some((e) => e.summary === 'Rappel : Prendre la tension')).toBe(true);
    // Jean is 57: colorectal screening is due, and shows as a day to plan; a late one shows today, not on a
    // past day the calendar no longer shows.
    const colorectal = events.find((e) => /^(À prévoir|En retard) : .*colorectal/.test(e.summary));
    expect(colorectal?.startDate.isDate).toBe(true);
    expect(colorectal!.startDate.toString() >= parisDay(ctx.clock.now())).toBe(true);
    expect(colorectal!.description).toMatch(/^Recommandé du \d+(er)? [a-zéû]+ \d{4} au /);
    const stored = await ctx.db
      .selectFrom('agenda_feeds')
      .selectAll()
      .where('patient_id', '=', jean.id)
      .execute();
    expect(JSON.stringify(stored)).not.toContain(token);

    const second = await regenerateFeed(ctx, me, jean.id);
    await expect(renderFeed(ctx, token)).rejects.toMatchObject({ code: 'agenda-feed-not-found' });
    const secondToken = /\/agenda\/([^/]+)\.ics$/.exec(second.url)![1]!;
    await expect(renderFeed(ctx, secondToken)).resolves.toContain('BEGIN:VCALENDAR');
    await revokeFeed(ctx, me, jean.id);
    await expect(renderFeed(ctx, secondToken)).rejects.toMatchObject({ code: 'agenda-feed-not-found' });
  });

  it('a calendar address a parent made for a child stops when the parent no longer represents her', async () => {
    const parent = patientPrincipal(emilie, [chloe.id]);
    const feed = await regenerateFeed(ctx, parent, chloe.id);
    const token = /\/agenda\/([^/]+)\.ics$/.exec(feed.url)![1]!;
    await expect(renderFeed(ctx, token)).resolves.toContain('BEGIN:VCALENDAR');
    const links = await ctx.db
      .selectFrom('representatives')
      .selectAll()
      .where('patient_id', '=', chloe.id)
      .execute();
    await ctx.db.deleteFrom('representatives').where('patient_id', '=', chloe.id).execute();
    try {
      await expect(renderFeed(ctx, token)).rejects.toMatchObject({ code: 'agenda-feed-not-found' });
    } finally {
      await ctx.db.insertInto('representatives').values(links).execute();
    }
  });

  it('keeps notification preferences, all on by default', async () => {
    const me = patientPrincipal(jean);
    expect(await getNotificationPreferences(ctx, me, jean.id)).toEqual({
      messages: true,
      documents: true,
      appointments: true,
      screening: true,
      services: true,
    });
    await updateNotificationPreferences(ctx, me, jean.id, { screening: false });
    expect(await wantsNotification(ctx.db, jean.id, 'screening')).toBe(false);
    expect(await wantsNotification(ctx.db, jean.id, 'messages')).toBe(true);
    await expect(getNotificationPreferences(ctx, patientPrincipal(marie), jean.id)).rejects.toMatchObject({
      code: 'not-own-record',
    });
    await expect(
      updateNotificationPreferences(ctx, patientPrincipal(marie), jean.id, { messages: false }),
    ).rejects.toMatchObject({ code: 'not-own-record' });
    expect(await wantsNotification(ctx.db, jean.id, 'messages')).toBe(true);
    // Both refusals are in Jean's history, as Marie's attempts.
    const refused = await ctx.db
      .selectFrom('audit_events')
      .select(['actor_id', 'outcome'])
      .where('patient_id', '=', jean.id)
      .where('action', '=', 'settings')
      .where('outcome', '=', 'denied')
      .execute();
    expect(refused).toEqual([
      { actor_id: marie.id, outcome: 'denied' },
      { actor_id: marie.id, outcome: 'denied' },
    ]);
  });
});
