import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandling } from '../errors.ts';
import { precompressDirectory } from '../../../web/precompress.ts';
import { serveWebApps } from './web.ts';

async function appServing(distDir: string): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  registerErrorHandling(app);
  app.get('/api/known', async () => ({ ok: true }));
  await serveWebApps(app, distDir);
  return app;
}

// Big enough for the build to compress them.
const patientIndex = `<title>patient</title>\n${'<meta name="x" content="y">\n'.repeat(60)}`;
const pageScript = Array.from({ length: 200 }, (_, i) => `export const label${i} = 'Chargement ${i}…';`).join(
  '\n',
);

describe('web apps serving', () => {
  const distDir = mkdtempSync(join(tmpdir(), 'carnet-web-'));
  let app: FastifyInstance;

  beforeAll(async () => {
    mkdirSync(join(distDir, 'patient'));
    mkdirSync(join(distDir, 'pro'));
    mkdirSync(join(distDir, 'assets'));
    writeFileSync(join(distDir, 'patient', 'index.html'), patientIndex);
    writeFileSync(join(distDir, 'pro', 'index.html'), '<title>pro</title>');
    writeFileSync(join(distDir, 'assets', 'app-abc123.js'), 'console.log(1)');
    writeFileSync(join(distDir, 'assets', 'page-def456.js'), pageScript);
    // As `npm run build:web` does after bundling.
    await precompressDirectory(distDir);
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

  it('sends the brotli copy to a browser that accepts brotli', async () => {
    const response = await app.inject({
      url: '/assets/page-def456.js',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['content-type']).toContain('javascript');
    expect(response.headers['vary']).toContain('accept-encoding');
    expect(response.headers['cache-control']).toContain('immutable');
    expect(response.rawPayload.length).toBeLessThan(Buffer.byteLength(pageScript) / 2);
    expect(brotliDecompressSync(response.rawPayload).toString()).toBe(pageScript);
  });

  it('sends the gzip copy to a browser that accepts only gzip', async () => {
    const response = await app.inject({
      url: '/assets/page-def456.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers['vary']).toContain('accept-encoding');
    expect(gunzipSync(response.rawPayload).toString()).toBe(pageScript);
  });

  it.each([undefined, 'identity'])(
    'sends the file as it is when the browser accepts no compression (%s)',
    async (acceptEncoding) => {
      const response = await app.inject({
        url: '/assets/page-def456.js',
        headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {},
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-encoding']).toBeUndefined();
      // A cache must not hand this answer to a browser that asked for brotli, nor the other way round.
      expect(response.headers['vary']).toContain('accept-encoding');
      expect(response.body).toBe(pageScript);
    },
  );

  it('sends the original of a file too small to be worth compressing', async () => {
    const response = await app.inject({ url: '/assets/app-abc123.js', headers: { 'accept-encoding': 'br' } });
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.body).toBe('console.log(1)');
  });

  it('compresses the page answered for an app address too', async () => {
    const response = await app.inject({ url: '/accueil', headers: { 'accept-encoding': 'br' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['vary']).toContain('accept-encoding');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(brotliDecompressSync(response.rawPayload).toString()).toBe(patientIndex);
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
