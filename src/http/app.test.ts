import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../config/index.ts';
import { systemClock } from '../shared/index.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../storage/test-databases.ts';
import { buildApp } from './app.ts';

describe.each(testDialects)('HTTP edge on %s', (dialect) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let logs: string;

  async function start() {
    database = await createTestDatabase(dialect);
    const config = loadConfig({
      CARNET_DATA_DIR: database.dataDir,
      ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
    });
    const stream = new PassThrough();
    logs = '';
    stream.on('data', (chunk: Buffer) => (logs += chunk.toString()));
    app = await buildApp({ config, db: database.db, dialect, clock: systemClock }, { logger: { stream } });
  }

  afterEach(async () => {
    await app.close();
    await database.destroy();
  });

  it('answers liveness and readiness', async () => {
    await start();
    expect((await app.inject('/health/live')).json()).toEqual({ status: 'ok' });
    expect((await app.inject('/health/ready')).json()).toEqual({ status: 'ready' });
  });

  it('sends security headers and a request id on every answer', async () => {
    await start();
    const response = await app.inject('/health/live');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown API routes in the JSON error vocabulary, and FHIR ones as an OperationOutcome', async () => {
    await start();
    const api = await app.inject('/api/nothing-here');
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ error: { code: 'route-not-found', kind: 'not-found' } });
    const fhir = await app.inject('/fhir/NoSuchType/1');
    expect(fhir.statusCode).toBe(404);
    expect(fhir.json()).toMatchObject({ resourceType: 'OperationOutcome' });
  });

  // Security review regression: fails on 027241f, before the fix.
  it('answers a malformed percent-encoding in the path in Carnet’s error format, FHIR or not', async () => {
    await start();
    for (const url of ['/fhir/DocumentReference/%E0%A4%A', '/fhir/Patient/%zz', '/fhir/%C0']) {
      const fhir = await app.inject(url);
      expect(fhir.statusCode).toBe(400);
      expect(fhir.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
      expect(fhir.json()).toMatchObject({
        resourceType: 'OperationOutcome',
        issue: [{ code: 'invalid', details: { coding: [{ code: 'url-invalid' }] } }],
      });
    }
    for (const url of ['/api/patient/record/%zz/documents', '/%E0%A4%A']) {
      const api = await app.inject(url);
      expect(api.statusCode).toBe(400);
      expect(api.json()).toMatchObject({ error: { code: 'url-invalid', kind: 'invalid' } });
    }
  });

  it('refuses a state change carrying a session cookie from another origin, even of the same site', async () => {
    await start();
    const post = (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/api/patient/session',
        headers: { cookie: 'carnet_patient=x', host: 'carnet.test', ...headers },
        payload: { login: 'x', password: 'y' },
      });
    const crossOrigin: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'http://carnet.test:8090' },
    ];
    for (const headers of crossOrigin) {
      const refused = await post(headers);
      expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'cross-origin']);
    }
    const sameOrigin: Record<string, string>[] = [
      { 'sec-fetch-site': 'same-origin' },
      { origin: 'http://carnet.test' },
      {},
    ];
    for (const headers of sameOrigin) {
      expect((await post(headers)).statusCode).not.toBe(403);
    }
  });

  it('never logs query strings, headers or bodies (they may hold an INS or a secret)', async () => {
    await start();
    await app.inject({
      method: 'GET',
      url: '/api/pro/patients?ins=279035121518989',
      headers: { authorization: 'Bearer secret-token', cookie: 'carnet_patient=secret-cookie' },
    });
    await app.inject({
      method: 'POST',
      url: '/api/patient/session',
      payload: { login: 'x', password: 'hunter2-secret' },
    });
    for (const url of [
      '/agenda/feed-secret-0123456789abcdef.ics',
      '/agenda/feed-secret-0123456789abcdef%2Eics',
      '/%61genda/feed-secret-0123456789abcdef.ics',
      '/agenda/feed-secret-0123456789abcdef.ics/',
      '/api/patient/opposition/feed-secret-0123456789abcdef/proof.pdf',
    ])
      await app.inject({ method: 'GET', url });
    expect(logs).toContain('/api/pro/patients');
    expect(logs).toContain('/agenda/<secret>');
    for (const secret of [
      '279035121518989',
      'secret-token',
      'secret-cookie',
      'hunter2-secret',
      'feed-secret-0123456789abcdef',
    ]) {
      expect(logs).not.toContain(secret);
    }
  });

  // The security review's burst of sign-ins: fails on fb512e4, which logged two lines a request (arrival and
  // answer), and none with the status for a malformed address.
  it('logs each request once, when answered, with its id, method, path and status', async () => {
    await start();
    const answered = await app.inject({
      method: 'POST',
      url: '/api/patient/session',
      payload: { login: 'x' },
    });
    await app.inject('/fhir/%C0');
    const lines = logs
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string; req?: { id: string }; res?: object });
    const requestLines = lines.filter((line) => line.req);
    expect(requestLines).toEqual([
      expect.objectContaining({
        msg: 'request completed',
        req: { id: answered.headers['x-request-id'], method: 'POST', path: '/api/patient/session' },
        res: { statusCode: 400 },
        responseTime: expect.any(Number),
      }),
      expect.objectContaining({
        msg: 'request completed',
        req: expect.objectContaining({ method: 'GET', path: '/fhir/%C0' }),
        res: { statusCode: 400 },
      }),
    ]);
  });

  // Security review regression: fails on 027241f, before the fix (`/idp?a=1` reached the provider as `?a=1`: a 500).
  it('answers a query on the identity provider’s root without a server error', async () => {
    await start();
    const response = await app.inject('/idp?a=1');
    expect(response.statusCode).toBeLessThan(500);
  });
});
