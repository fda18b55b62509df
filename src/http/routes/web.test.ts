import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandling } from '../errors.ts';
import { serveWebApps } from './web.ts';

async function appServing(distDir: string): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  registerErrorHandling(app);
  app.get('/api/known', async () => ({ ok: true }));
  await serveWebApps(app, distDir);
  return app;
}

describe('web apps serving', () => {
  const distDir = mkdtempSync(join(tmpdir(), 'carnet-web-'));
  let app: FastifyInstance;

  beforeAll(async () => {
    mkdirSync(join(distDir, 'patient'));
    mkdirSync(join(distDir, 'pro'));
    mkdirSync(join(distDir, 'assets'));
    writeFileSync(join(distDir, 'patient', 'index.html'), '<title>patient</title>');
    writeFileSync(join(distDir, 'pro', 'index.html'), '<title>pro</title>');
    writeFileSync(join(distDir, 'assets', 'app-abc123.js'), 'console.log(1)');
    app = await appServing(distDir);
  });
  afterAll(async () => {
    await app.close();
    rmSync(distDir, { recursive: true, force: true });
  });

  it.each(['/', '/activation', '/parametres/', '/accueil?profil=1'])(
    'answers %s with the patient space',
    async (url) => {
      const response = await app.inject({ url });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.body).toContain('patient');
    },
  );

  it.each(['/pro', '/pro/', '/pro/patient?ins=279035121518989'])(
    'answers %s with the portal',
    async (url) => {
      const response = await app.inject({ url });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('<title>pro</title>');
    },
  );

  it('serves hashed assets as immutable files', async () => {
    const response = await app.inject({ url: '/assets/app-abc123.js' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('console.log(1)');
    expect(response.headers['cache-control']).toContain('immutable');
  });

  it('keeps JSON 404s for missing files and unknown API routes', async () => {
    for (const url of [
      '/assets/missing.js',
      '/api/unknown',
      '/auth/nothing',
      '/health/nope',
      '/dev/nothing',
    ]) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json(), url).toMatchObject({ error: { code: 'route-not-found' } });
    }
    expect((await app.inject({ url: '/api/known' })).json()).toEqual({ ok: true });
  });

  it('keeps OperationOutcome 404s under /fhir', async () => {
    const response = await app.inject({ url: '/fhir/Nothing' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ resourceType: 'OperationOutcome' });
  });

  it('refuses to read outside the build folder', async () => {
    const secret = `${distDir}-secret.txt`;
    writeFileSync(secret, 'secret');
    try {
      const response = await app.inject({ url: `/..%2f${basename(secret)}` });
      expect(response.statusCode).toBe(404);
      expect(response.body).not.toContain('secret');
    } finally {
      rmSync(secret);
    }
  });

  it('says in French how to build the apps when they are missing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'carnet-web-empty-'));
    const bare = await appServing(join(empty, 'absent'));
    try {
      const response = await bare.inject({ url: '/connexion' });
      expect(response.statusCode).toBe(503);
      expect(response.body).toContain('npm run build:web');
      expect((await bare.inject({ url: '/api/unknown' })).statusCode).toBe(404);
    } finally {
      await bare.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
