import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPerson, seedDemo } from '../../demo/index.ts';
import type { AppContext } from '../../app/index.ts';
import { createPatientSession, PATIENT_SESSION_COOKIE } from '../../auth/index.ts';
import { createTestContext } from '../../auth/test-context.ts';
import type { InsuredPerson } from '../../insured/index.ts';
import { fixedClock } from '../../shared/index.ts';
import { type TestDatabase, testDialects } from '../../storage/test-databases.ts';
import { registerErrorHandling } from '../errors.ts';
import { registerAgendaApi } from './agenda-api.ts';

describe.each(testDialects)('patient agenda and notification API (%s)', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  let app: FastifyInstance;
  let emilie: InsuredPerson;
  let chloe: InsuredPerson;
  let jean: InsuredPerson;
  let session: string;

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: { cookie: session, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });

  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect));
    await seedDemo(ctx);
    emilie = await demoPerson(ctx, 'emilie');
    chloe = await demoPerson(ctx, 'chloe');
    jean = await demoPerson(ctx, 'jean');
    session = `${PATIENT_SESSION_COOKIE}=${(await createPatientSession(ctx.db, emilie.id, ctx.clock.now())).token}`;
    app = Fastify({ logger: false });
    await app.register(cookie);
    registerErrorHandling(app);
    await registerAgendaApi(app, ctx);
  });
  afterAll(async () => {
    await app?.close();
    await database?.destroy();
  });

  it('adds, changes and deletes an appointment in a represented child’s agenda', async () => {
    const base = `/api/patient/agenda/${chloe.id}`;
    const created = await call('POST', `${base}/events`, {
      kind: 'appointment',
      title: 'Pédiatre',
      start: '2026-12-02T10:00:00+01:00',
      practitioner: 'Dr Petit',
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    const changed = await call('PUT', `${base}/events/${id}`, {
      kind: 'appointment',
      title: 'Pédiatre (vaccins)',
      start: '2026-12-03T10:00:00+01:00',
    });
    expect(changed.json()).toMatchObject({ title: 'Pédiatre (vaccins)', day: '2026-12-03' });
    const agenda = (await call('GET', base)).json();
    expect(agenda.events.map((e: { title: string }) => e.title)).toEqual(['Pédiatre (vaccins)']);
    expect(Array.isArray(agenda.prevention)).toBe(true);
    expect(agenda.feed).toEqual({ active: false });
    expect((await call('DELETE', `${base}/events/${id}`)).statusCode).toBe(204);
    expect((await call('GET', base)).json().events).toEqual([]);
  });

  it('answers a malformed appointment with a French message and another person’s agenda with 403', async () => {
    const bad = await call('POST', `/api/patient/agenda/${emilie.id}/events`, {
      title: 'x',
      start: 'demain',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({
      code: 'agenda-start-invalid',
      message: expect.stringMatching(/début/),
    });
    expect((await call('GET', `/api/patient/agenda/${jean.id}`)).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: `/api/patient/agenda/${emilie.id}` })).statusCode).toBe(
      401,
    );
  });

  it('marks a prevention item done and takes the choice back', async () => {
    const base = `/api/patient/agenda/${emilie.id}`;
    const items = (await call('GET', base)).json().prevention as {
      itemId: string;
      occurrence: string;
      key: string;
      status: string;
    }[];
    const item = items.find((i) => i.status === 'to-plan')!;
    expect(item).toBeDefined();
    const url = `${base}/prevention/${encodeURIComponent(item.itemId)}/${encodeURIComponent(item.occurrence)}`;
    const done = await call('PUT', url, { status: 'done' });
    expect(done.json().prevention.find((i: { key: string }) => i.key === item.key).status).toBe('done');
    const undone = await call('PUT', url, { status: null });
    expect(undone.json().prevention.find((i: { key: string }) => i.key === item.key).status).toBe('to-plan');
    expect((await call('PUT', url, { status: 'peut-être' })).statusCode).toBe(400);
  });

  it('creates, regenerates and revokes the subscription address', async () => {
    const base = `/api/patient/agenda/${emilie.id}`;
    const first = (await call('POST', `${base}/feed`)).json().url as string;
    expect((await app.inject({ url: new URL(first).pathname })).statusCode).toBe(200);
    const second = (await call('POST', `${base}/feed`)).json().url as string;
    expect((await app.inject({ url: new URL(first).pathname })).statusCode).toBe(404);
    expect((await call('GET', base)).json().feed.active).toBe(true);
    expect((await call('DELETE', `${base}/feed`)).statusCode).toBe(204);
    expect((await app.inject({ url: new URL(second).pathname })).statusCode).toBe(404);
  });

  it('reads and changes notification preferences', async () => {
    const url = `/api/patient/notifications/${emilie.id}`;
    const initial = (await call('GET', url)).json();
    expect(initial.preferences).toEqual({
      messages: true,
      documents: true,
      appointments: true,
      screening: true,
      services: true,
    });
    expect(initial.topics).toHaveLength(5);
    const changed = await call('PUT', url, { screening: false });
    expect(changed.json().preferences.screening).toBe(false);
    expect((await call('GET', url)).json().preferences.screening).toBe(false);
    expect((await call('PUT', url, { sms: true })).statusCode).toBe(400);
    expect((await call('PUT', url, { messages: 'non' })).statusCode).toBe(400);
  });
});

describe.each(testDialects)('« Fait le … » on the agenda API (%s)', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  let app: FastifyInstance;
  let marie: InsuredPerson;
  let session: string;

  interface Item {
    itemId: string;
    occurrence: string;
    key: string;
    status: string;
    overdue: boolean;
    overdueSince?: string;
    urgency?: string;
    doneOn?: string;
    doneBy?: string;
    nextDue?: string;
  }
  const call = (method: 'GET' | 'PUT', url: string, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: { cookie: session, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
  const base = () => `/api/patient/agenda/${marie.id}`;
  const colorectal = async () =>
    ((await call('GET', base())).json().prevention as Item[]).filter(
      (i) => i.itemId === 'depistage-colorectal',
    );
  const urlOf = (item: Item) =>
    `${base()}/prevention/${encodeURIComponent(item.itemId)}/${encodeURIComponent(item.occurrence)}`;

  beforeAll(async () => {
    // Marie MOREL, born 3 September 1971: her colorectal screening round closed on 2 September 2026.
    ({ ctx, database } = await createTestContext(dialect, { clock: fixedClock('2026-12-06T10:00:00Z') }));
    await seedDemo(ctx);
    marie = await demoPerson(ctx, 'marie');
    session = `${PATIENT_SESSION_COOKIE}=${(await createPatientSession(ctx.db, marie.id, ctx.clock.now())).token}`;
    app = Fastify({ logger: false });
    await app.register(cookie);
    registerErrorHandling(app);
    await registerAgendaApi(app, ctx);
  });
  afterAll(async () => {
    await app?.close();
    await database?.destroy();
  });

  it('marks an overdue screening done on a given day, gives the next due date, and undoes it', async () => {
    const [overdue] = await colorectal();
    expect(overdue).toMatchObject({
      status: 'to-plan',
      overdue: true,
      overdueSince: '2026-09-03',
      urgency: 'overdue',
    });
    const done = await call('PUT', urlOf(overdue!), { status: 'done', doneOn: '2026-11-10' });
    expect(done.statusCode).toBe(200);
    const marked = (done.json().prevention as Item[]).filter((i) => i.itemId === 'depistage-colorectal');
    expect(marked).toEqual([
      expect.objectContaining({
        key: overdue!.key,
        status: 'done',
        doneOn: '2026-11-10',
        doneBy: 'decision',
        nextDue: '2028-11-10',
        overdue: false,
      }),
    ]);
    // Stored: read again, the same.
    expect(await colorectal()).toEqual(marked);
    const row = await ctx.db
      .selectFrom('agenda_prevention_decisions')
      .select(['status', 'done_on'])
      .where('patient_id', '=', marie.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'done', done_on: '2026-11-10' });

    // « Ce n’est pas fait »: the choice is taken back, the round is late again.
    const undone = await call('PUT', urlOf(overdue!), { status: null });
    expect(undone.statusCode).toBe(200);
    expect(await colorectal()).toEqual([overdue]);
  });

  it('dates a « fait » without a date today', async () => {
    const [item] = await colorectal();
    await call('PUT', urlOf(item!), { status: 'done' });
    expect(await colorectal()).toMatchObject([
      { status: 'done', doneOn: '2026-12-06', nextDue: '2028-12-06' },
    ]);
    await call('PUT', urlOf(item!), { status: null });
  });

  it('refuses a date in the future, before birth, malformed, or without « fait », in French', async () => {
    const [item] = await colorectal();
    const cases: [unknown, string, RegExp][] = [
      [
        { status: 'done', doneOn: '2026-12-07' },
        'prevention-done-on-future',
        /ne peut pas être dans le futur/,
      ],
      [{ status: 'done', doneOn: '1971-09-02' }, 'prevention-done-on-before-birth', /avant la naissance/],
      [{ status: 'done', doneOn: '10/11/2026' }, 'prevention-done-on-invalid', /date valide/],
      [{ status: 'done', doneOn: '2026-02-30' }, 'prevention-done-on-invalid', /date valide/],
      [{ status: 'done', doneOn: 20261110 }, 'prevention-done-on-invalid', /date valide/],
      [{ status: 'not-done', doneOn: '2026-11-10' }, 'prevention-done-on-unexpected', /avec « fait »/],
    ];
    for (const [payload, code, message] of cases) {
      const answer = await call('PUT', urlOf(item!), payload);
      expect(answer.statusCode, code).toBe(400);
      expect(answer.json().error).toMatchObject({ code, message: expect.stringMatching(message) });
    }
    // Nothing was stored by any of them.
    expect(await colorectal()).toEqual([item]);
  });

  it('keeps another patient’s prevention items out of reach', async () => {
    const jean = await demoPerson(ctx, 'jean');
    const answer = await call(
      'PUT',
      `/api/patient/agenda/${jean.id}/prevention/depistage-colorectal/2026-04-12`,
      {
        status: 'done',
        doneOn: '2026-11-10',
      },
    );
    expect(answer.statusCode).toBe(403);
  });
});
