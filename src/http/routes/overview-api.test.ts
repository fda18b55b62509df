import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../app/index.ts';
import { createPatientSession, PATIENT_SESSION_COOKIE } from '../../auth/index.ts';
import { createTestContext } from '../../auth/test-context.ts';
import { demoPerson, demoProfessional, seedDemo, seedDemoContent } from '../../demo/index.ts';
import type { InsuredPerson } from '../../insured/index.ts';
import { makePdf } from '../../record/content/test-files.ts';
import { depositDocuments } from '../../record/index.ts';
import { type TestDatabase, testDialects } from '../../storage/test-databases.ts';
import { registerErrorHandling } from '../errors.ts';
import { registerOverviewApi } from './overview-api.ts';
import { registerRecordApi } from './record-api.ts';

const clock = { now: () => new Date('2026-12-06T10:00:00Z') };

describe.each(testDialects)('the home’s API and « Nouveau » in the documents list (%s)', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  let app: FastifyInstance;
  let marie: InsuredPerson;
  let chloe: InsuredPerson;
  let marieSession: string;
  let emilieSession: string;

  const get = (url: string, session = marieSession) =>
    app.inject({ method: 'GET', url, headers: { cookie: session } });

  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect, { clock }));
    await seedDemo(ctx);
    // What `npm start` shows: Marie's profile, the insurer's feed, her GP's unread message.
    await seedDemoContent(ctx);
    marie = await demoPerson(ctx, 'marie');
    chloe = await demoPerson(ctx, 'chloe');
    const emilie = await demoPerson(ctx, 'emilie');
    const session = async (person: InsuredPerson) =>
      `${PATIENT_SESSION_COOKIE}=${(await createPatientSession(ctx.db, person.id, clock.now())).token}`;
    marieSession = await session(marie);
    emilieSession = await session(emilie);
    app = Fastify({ logger: false });
    await app.register(cookie);
    registerErrorHandling(app);
    await registerRecordApi(app, ctx);
    await registerOverviewApi(app, ctx);
  });
  afterAll(async () => {
    await app?.close();
    await database?.destroy();
  });

  it('gives Marie’s home her unread message, her new documents and her overdue screenings', async () => {
    const martin = await demoProfessional(ctx, '10001000115');
    await depositDocuments(ctx, martin, [
      {
        patientId: marie.id,
        typeCode: '11488-4',
        title: 'Compte rendu de consultation',
        content: await makePdf('Compte rendu'),
        declaredContentType: 'application/pdf',
      },
    ]);
    const response = await get(`/api/patient/overview/${marie.id}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.unreadMessages).toBe(1);
    // The insurer's COVID-19 vaccination attestation (demo feed) and Dr Martin's report.
    expect(body.newDocuments).toBe(2);
    expect(body.prevention.overdue.map((i: { label: string }) => i.label)).toEqual(
      expect.arrayContaining([expect.stringMatching(/cancer du sein/i)]),
    );
    expect(body.firstAccesses).toEqual([]);

    const list = (await get(`/api/patient/record/${marie.id}/documents`)).json();
    const docs = list.groups.flatMap((g: { documents: unknown[] }) => g.documents) as {
      id: string;
      title: string;
      isNew: boolean;
    }[];
    const report = docs.find((d) => d.title === 'Compte rendu de consultation')!;
    expect(report.isNew).toBe(true);
    expect((await get(`/api/patient/record/${marie.id}/documents/${report.id}`)).statusCode).toBe(200);
    const after = (await get(`/api/patient/record/${marie.id}/documents`)).json();
    const again = after.groups
      .flatMap((g: { documents: { id: string; isNew: boolean }[] }) => g.documents)
      .find((d: { id: string }) => d.id === report.id);
    expect(again.isNew).toBe(false);
    expect((await get(`/api/patient/overview/${marie.id}`)).json().newDocuments).toBe(1);
  });

  it('serves a parent the overview of their child, and refuses anyone else’s with a French message', async () => {
    const child = await get(`/api/patient/overview/${chloe.id}`, emilieSession);
    expect(child.statusCode).toBe(200);
    expect(child.json()).toMatchObject({ newDocuments: 0, firstAccesses: [] });
    const other = await get(`/api/patient/overview/${marie.id}`, emilieSession);
    expect(other.statusCode).toBe(403);
    expect(other.json().error).toMatchObject({ code: 'not-own-record', message: expect.any(String) });
    expect((await app.inject({ method: 'GET', url: `/api/patient/overview/${marie.id}` })).statusCode).toBe(
      401,
    );
  });
});
