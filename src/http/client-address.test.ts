import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../config/index.ts';
import { productionEnv } from '../config/test-env.ts';
import { withKey } from '../profile/import/test-people.ts';
import { systemClock } from '../shared/index.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../storage/test-databases.ts';
import { buildApp } from './app.ts';

describe.each(testDialects)('the client address and cookies on %s', (dialect) => {
  let database: TestDatabase;
  let app: FastifyInstance;

  async function start(env: Record<string, string> = {}) {
    database = await createTestDatabase(dialect);
    const config = loadConfig({
      CARNET_DATA_DIR: database.dataDir,
      ...env,
      ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
    });
    app = await buildApp({ config, db: database.db, dialect, clock: systemClock }, { logger: false });
  }
  afterEach(async () => {
    await app.close();
    await database.destroy();
  });

  /** Activation checks of unknown NIRs, each a new one (the per-NIR limit stays out of the way). */
  const attempts = (count: number, from: string, forwardedFor: (i: number) => string | undefined) =>
    Promise.all(
      Array.from({ length: count }, (_, i) => {
        const forwarded = forwardedFor(i);
        return app.inject({
          method: 'POST',
          url: '/api/patient/activation/verify',
          remoteAddress: from,
          headers: forwarded ? { 'x-forwarded-for': forwarded } : {},
          payload: {
            nir: withKey(`1800575056${String(i).padStart(3, '0')}`),
            vitaleSerial: '00000000',
            code: 'AAAAAAAA',
          },
        });
      }),
    );

  // Security review regression: fails on 027241f, before the fix.
  it('counts per-address limits on the connection, whatever X-Forwarded-For says', async () => {
    await start();
    const answers = await attempts(31, '203.0.113.9', (i) => `198.51.100.${i}`);
    expect(answers.filter((a) => a.statusCode === 429)).toHaveLength(1);
  });

  // Security review regression: fails on 027241f, before the fix.
  it('counts one IPv6 subscriber (a /64) as one client, whichever of its addresses it uses', async () => {
    await start();
    const answers = await Promise.all(
      Array.from({ length: 31 }, (_, i) =>
        app.inject({
          method: 'POST',
          url: '/api/patient/activation/verify',
          remoteAddress: `2001:db8:1:2::${(i + 1).toString(16)}`,
          payload: {
            nir: withKey(`1800575057${String(i).padStart(3, '0')}`),
            vitaleSerial: '00000000',
            code: 'AAAAAAAA',
          },
        }),
      ),
    );
    expect(answers.filter((a) => a.statusCode === 429)).toHaveLength(1);
  });

  it('believes X-Forwarded-For only from the proxies CARNET_TRUST_PROXY names', async () => {
    await start({ CARNET_TRUST_PROXY: '10.1.2.3, 10.9.0.0/16' });
    const viaProxy = await attempts(31, '10.9.4.4', (i) => `198.51.100.${i}`);
    expect(viaProxy.filter((a) => a.statusCode === 429)).toHaveLength(0);
    const direct = await attempts(31, '203.0.113.10', (i) => `198.51.100.${i}`);
    expect(direct.filter((a) => a.statusCode === 429)).toHaveLength(1);
  });

  // Security review regression: fails on 027241f, before the fix.
  it('marks every cookie Secure in production, those that end a session included', async () => {
    await start(productionEnv());
    const host = { host: 'monespacesante.example' };
    const answers = [
      await app.inject({ method: 'DELETE', url: '/api/patient/session', headers: host }),
      await app.inject({ method: 'POST', url: '/auth/pro/logout', headers: host }),
    ];
    const cookies = answers.flatMap((a) => a.cookies);
    expect(cookies.map((c) => c.name).sort()).toEqual(['carnet_patient', 'carnet_pro']);
    for (const cookie of cookies) expect(cookie).toMatchObject({ secure: true, httpOnly: true });
  });
});
