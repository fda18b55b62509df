import * as client from 'openid-client';
import type { AppContext } from '../../app/index.ts';
import type { Config } from '../../config/index.ts';
import { DEV_CLIENT_ID, PSC_SCOPE, devClientSecret, devIssuer, proCallbackUrl } from './dev-client.ts';

/** Discovery results, one per configuration; a failed discovery is forgotten so the next login retries. */
const discoveries = new WeakMap<Config, Promise<client.Configuration>>();

function clientSettings(config: Config): { issuer: string; clientId: string; clientSecret: string } {
  if (config.oidc) return config.oidc;
  return { issuer: devIssuer(config), clientId: DEV_CLIENT_ID, clientSecret: devClientSecret(config) };
}

/**
 * The identity provider's metadata, discovered lazily: in development the provider is this very server,
 * which does not answer before it listens.
 */
export function discoverProvider(ctx: AppContext): Promise<client.Configuration> {
  const cached = discoveries.get(ctx.config);
  if (cached) return cached;
  const { issuer, clientId, clientSecret } = clientSettings(ctx.config);
  const url = new URL(issuer);
  const discovered = client
    .discovery(url, clientId, clientSecret, client.ClientSecretBasic(clientSecret), {
      ...(url.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
    })
    .catch((error: unknown) => {
      discoveries.delete(ctx.config);
      throw error;
    });
  discoveries.set(ctx.config, discovered);
  return discovered;
}

/** What the browser carries between the login redirect and the callback (in a signed, short-lived cookie). */
export interface LoginTransaction {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

/** Starts authorization code + PKCE S256 with Pro Santé Connect's scope and level of assurance. */
export async function beginLogin(ctx: AppContext): Promise<{ url: string; transaction: LoginTransaction }> {
  const configuration = await discoverProvider(ctx);
  const transaction: LoginTransaction = {
    state: client.randomState(),
    nonce: client.randomNonce(),
    codeVerifier: client.randomPKCECodeVerifier(),
  };
  const url = client.buildAuthorizationUrl(configuration, {
    redirect_uri: proCallbackUrl(ctx.config),
    scope: PSC_SCOPE,
    acr_values: 'eidas1',
    response_type: 'code',
    state: transaction.state,
    nonce: transaction.nonce,
    code_challenge: await client.calculatePKCECodeChallenge(transaction.codeVerifier),
    code_challenge_method: 'S256',
  });
  return { url: url.href, transaction };
}

/**
 * Exchanges the code (checking state, PKCE and the ID token's signature, issuer, audience, nonce) and returns
 * the professional's claims: from the ID token, or from UserInfo when the provider keeps them there.
 */
export async function completeLogin(
  ctx: AppContext,
  callbackQuery: string,
  transaction: LoginTransaction,
): Promise<Record<string, unknown>> {
  const configuration = await discoverProvider(ctx);
  const currentUrl = new URL(`${proCallbackUrl(ctx.config)}?${callbackQuery}`);
  const tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
    pkceCodeVerifier: transaction.codeVerifier,
    expectedState: transaction.state,
    expectedNonce: transaction.nonce,
    idTokenExpected: true,
  });
  const idClaims = tokens.claims();
  if (!idClaims) throw new Error('no ID token');
  if (typeof idClaims.SubjectNameID === 'string') return idClaims;
  const userInfo = await client.fetchUserInfo(configuration, tokens.access_token, idClaims.sub);
  return { ...idClaims, ...userInfo };
}
