import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { AppContext } from '../app/index.ts';
import { createTestContext } from '../auth/test-context.ts';
import { devTokenCommand } from '../cli/index.ts';
import type { CarnetError } from '../shared/index.ts';
import { testDialects, type TestDatabase } from '../storage/test-databases.ts';
import { issueDevAccessToken } from './dev-token.ts';
import { withLuhnKey } from '../identity/index.ts';
import { loadDevSigningKeys } from '../auth/index.ts';

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as CarnetError,
  );

describe.each(testDialects)('development access tokens (%s)', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect));
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('shapes a professional token like the provider’s JWT access tokens', async () => {
    const token = await issueDevAccessToken(ctx, { rpps: '10001000313' });
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: 'http://carnet.test/idp',
      aud: 'http://carnet.test/fhir',
      sub: '810001000313',
      client_id: 'carnet-portal',
      SubjectNameID: '810001000313',
      SubjectRole: ['21^1.2.250.1.213.1.1.5.5'],
      family_name: 'Petit',
    });
    expect(claims.exp! - claims.iat!).toBe(3600);
  });

  it('explains a wrong RPPS key, an invalid INS and unknown people', async () => {
    expect(await failure(issueDevAccessToken(ctx, { rpps: '10001000116' }))).toMatchObject({
      code: 'rpps-invalid',
      message: expect.stringContaining('clé'),
    });
    expect(await failure(issueDevAccessToken(ctx, { rpps: '1234' }))).toMatchObject({ code: 'rpps-invalid' });
    expect(await failure(issueDevAccessToken(ctx, { rpps: withLuhnKey('1000100999') }))).toMatchObject({
      code: 'professional-unknown',
    });
    expect(await failure(issueDevAccessToken(ctx, { ins: '279035121518988' }))).toMatchObject({
      code: 'ins-invalid',
    });
    expect(await failure(issueDevAccessToken(ctx, { ins: '279035121518989' }))).toMatchObject({
      code: 'insured-unknown',
    });
  });

  it('keeps one signing key, even when instances start together', async () => {
    const [a, b] = await Promise.all([
      loadDevSigningKeys(ctx.db, '2026-01-01T00:00:00.000Z'),
      loadDevSigningKeys(ctx.db, '2026-01-01T00:00:00.000Z'),
    ]);
    expect(a.publicJwk.kid).toBe(b.publicJwk.kid);
    expect(a.publicJwk).not.toHaveProperty('d');
    expect(await ctx.db.selectFrom('server_keys').select('name').execute()).toHaveLength(1);
  });
});

describe('carnet dev-token', () => {
  it('is refused when a real identity provider is configured', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const env = {
      CARNET_DATA_DIR: '/nonexistent-carnet-data',
      CARNET_SECRET: Buffer.alloc(32, 1).toString('base64'),
      CARNET_OIDC_ISSUER: 'https://auth.esante.gouv.fr/auth/realms/esante-wallet',
      CARNET_OIDC_CLIENT_ID: 'carnet',
      CARNET_OIDC_CLIENT_SECRET: 'secret',
    };
    expect(await devTokenCommand(['--rpps', '10001000115'], env)).toBe(1);
    expect(errors.mock.calls.flat().join(' ')).toContain('CARNET_OIDC_ISSUER');
    errors.mockRestore();
  });

  it('refuses the same when called as a function', async () => {
    const { ctx, database } = await createTestContext('sqlite', {
      env: {
        CARNET_OIDC_ISSUER: 'https://auth.esante.gouv.fr/auth/realms/esante-wallet',
        CARNET_OIDC_CLIENT_ID: 'carnet',
        CARNET_OIDC_CLIENT_SECRET: 'secret',
      },
    });
    try {
      expect(await failure(issueDevAccessToken(ctx, { rpps: '10001000115' }))).toMatchObject({
        kind: 'forbidden',
        code: 'dev-token-disabled',
      });
    } finally {
      await database.destroy();
    }
  });
});
