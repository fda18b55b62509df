import { deriveKey, type Config } from '../../config/index.ts';

/** The development provider's one client: Carnet's own professional portal. */
export const DEV_CLIENT_ID = 'carnet-portal';

export function devClientSecret(config: Pick<Config, 'secret'>): string {
  return deriveKey(config, 'dev-idp-client').toString('base64url');
}

export function devCookieKey(config: Pick<Config, 'secret'>): string {
  return deriveKey(config, 'dev-idp-cookie').toString('base64url');
}

export const devIssuer = (config: Pick<Config, 'baseUrl'>): string => `${config.baseUrl}/idp`;

/** The audience of access tokens: Carnet's API (FHIR and the portal API). */
export const apiAudience = (config: Pick<Config, 'baseUrl'>): string => `${config.baseUrl}/fhir`;

export const proCallbackUrl = (config: Pick<Config, 'baseUrl'>): string =>
  `${config.baseUrl}/auth/pro/callback`;

/** Lifetime of access tokens, from the provider and from `carnet dev-token` alike (seconds). */
export const ACCESS_TOKEN_TTL = 3600;
export const PSC_SCOPE = 'openid scope_all';
