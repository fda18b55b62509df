import { createLocalJWKSet, createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import type { AppContext } from '../../app/index.ts';
import type { Config } from '../../config/index.ts';
import { apiAudience, devIssuer } from './dev-client.ts';
import { loadDevSigningKeys } from './signing-keys.ts';
import { isoInstant } from '../../storage/index.ts';
import { discoverProvider } from './oidc-client.ts';

export interface ProviderTrust {
  readonly issuer: string;
  readonly audiences: string[];
  readonly keys: JWTVerifyGetKey;
}

/** A remote key set caches its keys and refetches on an unknown `kid`: one per configuration, not per call. */
const remoteKeySets = new WeakMap<Config, JWTVerifyGetKey>();
/**
 * The development provider's key never changes once generated (every instance reads the same row), so it is
 * read and imported once per configuration rather than on every request.
 */
const devKeySets = new WeakMap<Config, JWTVerifyGetKey>();

/**
 * What a professional access token must satisfy: the provider's issuer and keys (the development provider's
 * key from `server_keys`; Pro Santé Connect's published JWKS), and Carnet's API as audience.
 */
export async function providerTrust(ctx: AppContext): Promise<ProviderTrust> {
  const { config } = ctx;
  if (!config.oidc) {
    let keys = devKeySets.get(config);
    if (!keys) {
      const { publicJwk } = await loadDevSigningKeys(ctx.db, isoInstant(ctx.clock.now()));
      keys = createLocalJWKSet({ keys: [publicJwk] });
      devKeySets.set(config, keys);
    }
    return { issuer: devIssuer(config), audiences: [apiAudience(config)], keys };
  }
  let keys = remoteKeySets.get(config);
  if (!keys) {
    const jwksUri = (await discoverProvider(ctx)).serverMetadata().jwks_uri;
    if (!jwksUri) throw new Error('the identity provider publishes no jwks_uri');
    keys = createRemoteJWKSet(new URL(jwksUri));
    remoteKeySets.set(config, keys);
  }
  // A real provider may put the client id as audience rather than the resource (PSC does).
  return { issuer: config.oidc.issuer, audiences: [apiAudience(config), config.oidc.clientId], keys };
}
