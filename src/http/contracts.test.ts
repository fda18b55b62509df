import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { loadConfig } from '../config/index.ts';
import { systemClock } from '../shared/index.ts';
import { createTestDatabase, type TestDatabase } from '../storage/test-databases.ts';
import { buildApp, registeredRoutes } from './app.ts';
import { contract } from './contract.ts';
import { registerErrorHandling } from './errors.ts';

/**
 * FHIR routes have their own table; the web apps' files and pages are not an API; the development identity
 * provider's protocol endpoints are oidc-provider's, mounted as they are.
 */
const outsideContracts = (url: string) =>
  url === '/fhir' ||
  (url.startsWith('/fhir/') && !url.startsWith('/fhir/.well-known/')) ||
  url === '/idp' ||
  url === '/idp/*' ||
  url === '/*';

describe('every route of the JSON API declares its contract', () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    const config = loadConfig({ CARNET_DATA_DIR: database.dataDir });
    app = await buildApp(
      { config, db: database.db, dialect: 'sqlite', clock: systemClock },
      { logger: false },
    );
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('lists no route without a contract (FHIR and the web apps’ files aside)', () => {
    const routes = registeredRoutes(app).filter(
      ({ method, url }) => method !== 'HEAD' && !outsideContracts(url),
    );
    expect(routes.length).toBeGreaterThan(80);
    const missing = routes
      .filter(({ contract }) => contract === undefined)
      .map(({ method, url }) => `${method} ${url}`);
    expect(missing).toEqual([]);
  });
});

describe('a route’s contract', () => {
  const titled = contract({
    params: z.object({ id: z.string() }),
    body: z.object({ title: z.string().max(5, 'Le titre est trop long.'), pages: z.number().optional() }),
    response: z.object({ id: z.string(), title: z.string() }),
  });

  async function appAnswering(answer: unknown, checkResponses = true) {
    const app = Fastify();
    registerErrorHandling(app, { checkResponses });
    app.post('/things/:id', { schema: titled }, async () => answer);
    await app.ready();
    return app;
  }

  it('refuses a malformed body with the API’s JSON error, the field and the schema’s French message', async () => {
    const app = await appAnswering({ id: '1', title: 'a' });
    const tooLong = await app.inject({ method: 'POST', url: '/things/1', payload: { title: 'abcdefgh' } });
    expect([tooLong.statusCode, tooLong.json()]).toEqual([
      400,
      { error: { code: 'validation', kind: 'invalid', message: 'Le titre est trop long.', field: 'title' } },
    ]);
    const missing = await app.inject({ method: 'POST', url: '/things/1', payload: { pages: 'x' } });
    expect([missing.statusCode, missing.json().error]).toEqual([
      400,
      {
        code: 'validation',
        kind: 'invalid',
        message: 'La requête est incomplète ou mal formée.',
        field: 'title',
      },
    ]);
    await app.close();
  });

  it('drops what the body does not declare', async () => {
    const app = Fastify();
    registerErrorHandling(app);
    app.post('/things/:id', { schema: titled }, async (request) => ({
      id: '1',
      title: JSON.stringify(request.body),
    }));
    const answer = await app.inject({
      method: 'POST',
      url: '/things/1',
      payload: { title: 'a', admin: true },
    });
    expect(answer.json()).toEqual({ id: '1', title: '{"title":"a"}' });
    await app.close();
  });

  it('fails an answer outside its contract when answers are checked, and sends it unchanged otherwise', async () => {
    const checked = await appAnswering({ id: 1, title: 'a' });
    const refused = await checked.inject({ method: 'POST', url: '/things/1', payload: { title: 'a' } });
    expect(refused.statusCode).toBe(500);
    await checked.close();
    const unchecked = await appAnswering({ id: 1, title: 'a' }, false);
    const sent = await unchecked.inject({ method: 'POST', url: '/things/1', payload: { title: 'a' } });
    expect([sent.statusCode, sent.json()]).toEqual([200, { id: 1, title: 'a' }]);
    await unchecked.close();
  });
});
