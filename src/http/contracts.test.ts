import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../config/index.ts';
import { systemClock } from '../shared/clock.ts';
import { createTestDatabase, type TestDatabase } from '../storage/test-databases.ts';
import { buildApp, registeredRoutes } from './app.ts';

/** FHIR routes have their own table; the web apps' files and pages are not an API. */
const outsideContracts = (url: string) =>
  url === '/fhir' ||
  url.startsWith('/fhir/') ||
  url === '/*' ||
  url.startsWith('/assets/') ||
  url.startsWith('/pro/') ||
  url === '/pro';

/** Routes not declared yet: this list only shrinks. */
const notYetDeclared: readonly string[] = [];

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
      .map(({ method, url }) => `${method} ${url}`)
      .filter((route) => !notYetDeclared.includes(route));
    expect(missing).toEqual([]);
  });

  it('keeps the list of routes not declared yet up to date', () => {
    const undeclared = new Set(
      registeredRoutes(app)
        .filter(({ contract }) => contract === undefined)
        .map(({ method, url }) => `${method} ${url}`),
    );
    expect(notYetDeclared.filter((route) => !undeclared.has(route))).toEqual([]);
  });
});
