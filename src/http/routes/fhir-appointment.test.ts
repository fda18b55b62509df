import Fastify, { type FastifyInstance } from 'fastify';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAgendaEvent,
  dueReminders,
  listAgendaEvents,
  parseEventInput,
  regenerateFeed,
} from '../../agenda/index.ts';
import { demoPerson, patientPrincipal, seedDemo } from '../../demo/index.ts';
import type { AppContext } from '../../app/index.ts';
import { verifyBearer } from '../../auth/index.ts';
import { createTestContext } from '../../auth/test-context.ts';
import { issueDevAccessToken } from '../../idp/index.ts';
import type { InsuredPerson } from '../../insured/index.ts';
import { declareConsent, setProfessionalStatus } from '../../record/index.ts';
import { type TestDatabase, testDialects } from '../../storage/test-databases.ts';
import { registerErrorHandling } from '../errors.ts';
import { registerAgendaApi } from './agenda-api.ts';
import { registerFhir } from './fhir.ts';

/** The routes under test, mounted as src/http/app.ts and fhir.ts mount them. */
async function agendaApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  registerErrorHandling(app);
  await registerFhir(app, ctx);
  await registerAgendaApi(app, ctx);
  return app;
}

describe.each(testDialects)('FHIR Appointment and the iCalendar feed over HTTP (%s)', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  let app: FastifyInstance;
  let marie: InsuredPerson;
  let token: string;

  const appointment = (start: string) => ({
    resourceType: 'Appointment',
    status: 'booked',
    description: 'Consultation de cardiologie',
    start,
    end: new Date(Date.parse(start) + 30 * 60_000).toISOString(),
    participant: [
      {
        actor: {
          type: 'Patient',
          identifier: { system: 'urn:oid:1.2.250.1.213.1.4.8', value: marie.ins },
        },
        status: 'accepted',
      },
      { actor: { reference: 'Practitioner/abc', display: 'Dr Claire MARTIN' }, status: 'accepted' },
    ],
  });
  const post = (body: unknown, bearer = token) =>
    app.inject({
      method: 'POST',
      url: '/fhir/Appointment',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/fhir+json' },
      payload: JSON.stringify(body),
    });
  const search = (query: string) =>
    app.inject({
      method: 'GET',
      url: `/fhir/Appointment?${query}`,
      headers: { authorization: `Bearer ${token}` },
    });

  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect));
    await seedDemo(ctx);
    app = await agendaApp(ctx);
    marie = await demoPerson(ctx, 'marie');
    token = await issueDevAccessToken(ctx, { rpps: '10001000115' });
  });
  afterAll(async () => {
    await app?.close();
    await database?.destroy();
  });

  it('takes an appointment pushed by professional software, searchable only with consult rights', async () => {
    const created = await post(appointment('2026-12-01T08:00:00Z'));
    expect(created.statusCode).toBe(201);
    const resource = created.json();
    expect(resource).toMatchObject({
      resourceType: 'Appointment',
      status: 'booked',
      start: '2026-12-01T08:00:00.000Z',
      participant: [
        { actor: { reference: `Patient/${marie.id}` } },
        { actor: { display: 'Dr Claire MARTIN' } },
      ],
    });
    expect(created.headers.location).toContain(`/Appointment/${resource.id}`);

    const refused = await search(`patient=Patient/${marie.id}`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().resourceType).toBe('OperationOutcome');

    // Dr Martin now declares the patient's consent, as a treating doctor does.
    const principal = await verifyBearer(ctx, `Bearer ${token}`);
    if (principal.kind !== 'professional') throw new Error('professional token expected');
    await declareConsent(ctx, principal, marie.id);
    await post(appointment('2027-01-15T08:00:00Z'));
    const december = await search(`patient=Patient/${marie.id}&date=ge2026-12-01&date=lt2027-01-01`);
    expect(december.statusCode).toBe(200);
    expect(december.json()).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
    expect(december.json().entry[0].resource.id).toBe(resource.id);
    expect((await search(`patient=Patient/${marie.id}&date=2027-01-15`)).json().total).toBe(1);
    expect((await search(`patient=Patient/${marie.id}&date=bad`)).statusCode).toBe(400);
    const read = await app.inject({
      method: 'GET',
      url: `/fhir/Appointment/${resource.id}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(read.json().description).toBe('Consultation de cardiologie');
  });

  it('refuses a professional the patient blocked, and a call without a token', async () => {
    const principal = await verifyBearer(ctx, `Bearer ${token}`);
    if (principal.kind !== 'professional') throw new Error('professional token expected');
    await setProfessionalStatus(ctx, patientPrincipal(marie), marie.id, principal.nationalId, {
      blocked: true,
    });
    const refused = await post(appointment('2026-12-03T08:00:00Z'));
    expect(refused.statusCode).toBe(403);
    expect(refused.json().issue[0].details.coding[0].code).toBe('blocked');
    const anonymous = await app.inject({ method: 'GET', url: `/fhir/Appointment?patient=${marie.id}` });
    expect(anonymous.statusCode).toBe(401);
    await setProfessionalStatus(ctx, patientPrincipal(marie), marie.id, principal.nationalId, {
      blocked: false,
    });
  });

  it('lets the software that pushed an appointment reschedule and cancel it, and nobody else', async () => {
    const put = (id: string, body: unknown, bearer = token) =>
      app.inject({
        method: 'PUT',
        url: `/fhir/Appointment/${id}`,
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/fhir+json' },
        payload: JSON.stringify(body),
      });
    const pushed = (await post(appointment('2027-02-10T08:00:00Z'))).json();
    const moved = await put(pushed.id, { ...appointment('2027-02-11T09:30:00Z'), id: pushed.id });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({
      id: pushed.id,
      status: 'booked',
      start: '2027-02-11T09:30:00.000Z',
    });
    const inHerAgenda = async () =>
      (await listAgendaEvents(ctx, patientPrincipal(marie), marie.id)).find((e) => e.id === pushed.id);
    expect(await inHerAgenda()).toMatchObject({ day: '2027-02-11', status: 'booked' });

    // Another doctor, even one who may push to Marie's record, cannot touch it.
    const successor = await issueDevAccessToken(ctx, { rpps: '10001000917' });
    const other = await put(pushed.id, { ...appointment('2027-02-12T09:30:00Z'), id: pushed.id }, successor);
    expect(other.statusCode).toBe(403);
    expect(other.json().issue[0].details.coding[0].code).toBe('not-author');
    // Nor is an appointment moved to another patient, or sent under another id.
    const jean = await demoPerson(ctx, 'jean');
    const elsewhere = JSON.parse(
      JSON.stringify(appointment('2027-02-11T09:30:00Z')).replace(marie.ins, jean.ins),
    ) as object;
    expect(
      (await put(pushed.id, { ...elsewhere, id: pushed.id })).json().issue[0].details.coding[0].code,
    ).toBe('appointment-patient-changed');
    expect((await put(pushed.id, appointment('2027-02-11T09:30:00Z'))).statusCode).toBe(400);
    expect(
      (
        await put('0190a0a0-0000-7000-8000-000000000000', {
          ...appointment('2027-02-11T09:30:00Z'),
          id: '0190a0a0-0000-7000-8000-000000000000',
        })
      ).statusCode,
    ).toBe(404);

    // Cancelled: Marie still sees it, marked so; no reminder goes out for it.
    const cancelled = await put(pushed.id, {
      ...appointment('2027-02-11T09:30:00Z'),
      id: pushed.id,
      status: 'cancelled',
    });
    expect(cancelled.json().status).toBe('cancelled');
    expect(await inHerAgenda()).toMatchObject({ status: 'cancelled' });
    const due = await dueReminders(ctx, new Date('2027-02-10T12:00:00Z'));
    expect(due.map((r) => r.ref)).not.toContain(pushed.id);

    // What Marie entered herself is hers: the doctor's software cannot rewrite it.
    const own = await createAgendaEvent(
      ctx,
      patientPrincipal(marie),
      marie.id,
      parseEventInput({ start: '2027-03-01T08:00:00Z', title: 'Kiné' }),
    );
    expect((await put(own.id, { ...appointment('2027-03-02T08:00:00Z'), id: own.id })).statusCode).toBe(403);
  });

  it('serves the iCalendar feed at its secret address, parsed back by an independent parser', async () => {
    const { url } = await regenerateFeed(ctx, patientPrincipal(marie), marie.id);
    const path = new URL(url).pathname;
    const response = await app.inject({ method: 'GET', url: path });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/calendar');
    expect(response.headers['cache-control']).toContain('no-store');
    const events = new ICAL.Component(ICAL.parse(response.body))
      .getAllSubcomponents('vevent')
      .map((c) => new ICAL.Event(c));
    expect(events.filter((e) => e.summary === 'Consultation de cardiologie')).toHaveLength(2);
    // The appointment its author cancelled stays, marked cancelled, so a synced calendar updates it.
    const cancelled = events.find((e) => e.summary === 'Annulé : Consultation de cardiologie');
    expect(cancelled?.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    // Marie is 54: breast and colorectal screenings to plan appear as due items.
    expect(events.some((e) => e.summary.startsWith('À prévoir'))).toBe(true);
    const wrong = await app.inject({ method: 'GET', url: `/agenda/${'x'.repeat(43)}.ics` });
    expect(wrong.statusCode).toBe(404);
  });
});
