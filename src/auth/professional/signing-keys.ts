import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Executor } from '../../storage/index.ts';

/** Name of the development identity provider's key set in `server_keys`. */
export const DEV_IDP_KEY_NAME = 'dev-idp';

export interface SigningKeys {
  /** Private RS256 JWK (with `kid`, `alg`, `use`), as oidc-provider's `jwks` wants it. */
  readonly privateJwk: JWK;
  /** Its public half, for verifying tokens. */
  readonly publicJwk: JWK;
}

async function generate(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'RS256', use: 'sig' };
}

function publicHalf(jwk: JWK): JWK {
  const { kty, n, e, kid, alg, use } = jwk;
  return { kty, n, e, kid, alg, use } as JWK;
}

/**
 * The signing key of the development identity provider: generated once, then shared by every server
 * instance through the database (insert-if-absent, then re-read, so concurrent starts agree on one key).
 */
export async function loadDevSigningKeys(db: Executor, now: string): Promise<SigningKeys> {
  const existing = await readKeys(db);
  if (existing) return existing;
  const jwks = JSON.stringify({ keys: [await generate()] });
  await db
    .insertInto('server_keys')
    .values({ name: DEV_IDP_KEY_NAME, jwks, created_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const stored = await readKeys(db);
  if (!stored) throw new Error('dev-idp signing key could not be stored');
  return stored;
}

async function readKeys(db: Executor): Promise<SigningKeys | undefined> {
  const row = await db
    .selectFrom('server_keys')
    .select('jwks')
    .where('name', '=', DEV_IDP_KEY_NAME)
    .executeTakeFirst();
  if (!row) return undefined;
  const privateJwk = (JSON.parse(row.jwks) as { keys: JWK[] }).keys[0]!;
  return { privateJwk, publicJwk: publicHalf(privateJwk) };
}
