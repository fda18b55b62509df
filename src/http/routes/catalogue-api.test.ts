import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../app/index.ts';
import { createPatientSession, PATIENT_SESSION_COOKIE } from '../../auth/index.ts';
import { createTestContext } from '../../auth/test-context.ts';
import { decideServiceStatus, seedDemoCatalogue } from '../../catalogue/index.ts';
import { seedDemo } from '../../demo/index.ts';
import type { Ins } from '../../identity/index.ts';
import { findInsuredByIns } from '../../insured/index.ts';
import { type TestDatabase, testDialects } from '../../storage/test-databases.ts';
import { registerErrorHandling } from '../errors.ts';
import { registerCatalogueApi } from './catalogue-api.ts';

/**
 * The routes on a bare Fastify with the same error handling as the app. (Once `buildApp` registers them,
 * this can move to `startTestCarnet`.)
 */
describe.each(testDialects)('the patient catalogue API on %s', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  let app: FastifyInstance;
  let session: string;

  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect));
    await seedDemo(ctx);
    await seedDemoCatalogue(ctx);
    const jean = (await findInsuredByIns(ctx.db, '168047505611243' as Ins))!;
    session = `${PATIENT_SESSION_COOKIE}=${(await createPatientSession(ctx.db, jean.id, ctx.clock.now())).token}`;
    app = Fastify({ logger: false });
    await app.register(cookie);
    registerErrorHandling(app);
    await registerCatalogueApi(app, ctx);
    await app.ready();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await database?.destroy();
  });

  const get = (url: string, headers: Record<string, string> = { cookie: session }) =>
    app.inject({ method: 'GET', url, headers });
  type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

  it('is for signed-in patients only', async () => {
    const answer = await get('/api/patient/catalogue', {});
    expect(answer.statusCode).toBe(401);
    expect(answer.json().error.message).toMatch(/Authentification/);
    expect(
      (await get('/api/patient/catalogue/services/glucosuivi', { cookie: 'carnet_patient=x' })).statusCode,
    ).toBe(401);
  });

  it('lists the browsable services as cards with the filters’ vocabulary', async () => {
    const body: Json = (await get('/api/patient/catalogue')).json();
    expect(body.total).toBe(body.services.length);
    const ids = body.services.map((s: Json) => s.id);
    expect(ids).toContain('glucosuivi');
    expect(ids).not.toContain('dossier-express');
    expect(body.services.find((s: Json) => s.id === 'glucosuivi')).toEqual({
      id: 'glucosuivi',
      name: 'GlucoSuivi',
      editor: 'Diabéto Connect SAS',
      summary: expect.any(String),
      category: { code: 'maladies-chroniques', label: 'Suivi des maladies chroniques' },
      purposes: [
        { code: 'write-measurements', label: 'Ajouter des mesures à votre profil médical' },
        { code: 'read-measurements', label: 'Consulter vos mesures de santé' },
      ],
      status: { code: 'online', label: 'En ligne' },
    });
    expect(body.services.find((s: Json) => s.id === 'sommeil-zen').status.code).toBe('suspended');
    expect(body.categories.map((c: Json) => c.code)).toContain('maladies-chroniques');
    expect(body.purposes.map((p: Json) => p.code)).toContain('write-measurements');
  });

  it('searches by words and filters by category and purpose', async () => {
    const ids = async (query: string) =>
      (await get(`/api/patient/catalogue?${query}`)).json().services.map((s: Json) => s.id);
    expect(await ids('q=glyc%C3%A9mie')).toEqual(['glucosuivi']);
    expect(await ids('category=rendez-vous')).toEqual(['rdv-sante-proche']);
    expect(await ids('purpose=read-documents')).toEqual(['neuf-mois-serein']);
    expect(await ids('q=tension&purpose=write-agenda')).toEqual([]);
    const bad = await get('/api/patient/catalogue?category=inconnue');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toBe('Cette catégorie n’existe pas.');
  });

  it('shows a service page with editor, purposes, data, links, and no OAuth internals', async () => {
    const answer = await get('/api/patient/catalogue/services/glucosuivi');
    expect(answer.statusCode).toBe(200);
    const page: Json = answer.json();
    expect(page).toMatchObject({
      name: 'GlucoSuivi',
      editor: { name: 'Diabéto Connect SAS', url: 'https://www.diabeto-connect.example.fr/' },
      connectable: true,
      statusReason: null,
      links: { googlePlay: 'https://play.google.com/store/apps/details?id=fr.example.glucosuivi' },
    });
    expect(page.dataExchanged[0]).toMatch(/Glycémies/);
    expect(JSON.stringify(page)).not.toMatch(/redirect|clientId|glucosuivi-demo/);
  });

  it('shows a suspended service as unavailable with its reason, and a dereferenced one as gone', async () => {
    const suspended: Json = (await get('/api/patient/catalogue/services/sommeil-zen')).json();
    expect(suspended).toMatchObject({ status: { code: 'suspended', label: 'Suspendu' }, connectable: false });
    expect(suspended.statusReason).toMatch(/hébergement/);
    const gone = await get('/api/patient/catalogue/services/dossier-express');
    expect(gone.statusCode).toBe(410);
    expect(gone.json().error.message).toBe('Ce service n’est plus référencé dans le catalogue.');
    expect((await get('/api/patient/catalogue/services/inconnu')).statusCode).toBe(404);
  });

  it('reflects an operator’s decision at the next request', async () => {
    await decideServiceStatus(ctx, 'tensio-carnet', 'dereference');
    const ids = (await get('/api/patient/catalogue')).json().services.map((s: Json) => s.id);
    expect(ids).not.toContain('tensio-carnet');
    await decideServiceStatus(ctx, 'tensio-carnet', 'reinstate');
  });
});
