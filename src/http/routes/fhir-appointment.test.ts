import Fastify, { type FastifyInstance } from 'fastify';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regenerateFeed } from '../../agenda/index.ts';
import { demoPerson, patientPrincipal } from '../../demo/principals.ts';
import type { AppContext } from '../../app/context.ts';
import { verifyBearer } from '../../auth/bearer.ts';
import { createTestContext } from '../../auth/test-context.ts';
import { seedDemo } from '../../demo/seed.ts';
import { issueDevAccessToken } from '../../idp/dev-token.ts';
import type { InsuredPerson } from '../../insured/index.ts';
import { declareConsent, setProfessionalStatus } from '../../record/index.ts';
import { invalid } from '../../shared/errors.ts';
import type { TestDatabase } from '../../storage/test-databases.ts';
import { testDialects } from '../../storage/test-databases.ts';
import { registerErrorHandling } from '../errors.ts';
import { registerAgendaApi } from './agenda-api.ts';
import { registerFhirAppointment } from './fhir-appointment.ts';

/** The routes under test, mounted as src/http/app.ts and fhir.ts mount them. */
async function agendaApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  registerErrorHandling(app);
  await app.register(async (fhir) => {
    fhir.addContentTypeParser('application/fhir+json', { parseAs: 'string' }, (_r, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(invalid('json-invalid', 'JSON invalide.'), undefined);
      }
    });
    registerFhirAppointment(fhir, ctx, (request) => verifyBearer(ctx, request.headers.authorization));
  });
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
    expect(refused.json().issue[0].details.coding[0].code).toBe('access-blocked');
    const anonymous = await app.inject({ method: 'GET', url: `/fhir/Appointment?patient=${marie.id}` });
    expect(anonymous.statusCode).toBe(401);
    await setProfessionalStatus(ctx, patientPrincipal(marie), marie.id, principal.nationalId, {
      blocked: false,
    });
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
    // Marie is 54: breast and colorectal screenings to plan appear as due items.
    expect(events.some((e) => e.summary.startsWith('À prévoir'))).toBe(true);
    const wrong = await app.inject({ method: 'GET', url: `/agenda/${'x'.repeat(43)}.ics` });
    expect(wrong.statusCode).toBe(404);
  });
});
