import Provider, { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { AppContext } from '../app/index.ts';
import { isoInstant } from '../storage/index.ts';
import { KyselyOidcAdapter } from './adapter.ts';
import { findDevSubject } from './accounts.ts';
import {
  ACCESS_TOKEN_TTL,
  DEV_CLIENT_ID,
  apiAudience,
  devClientSecret,
  devCookieKey,
  devIssuer,
  proCallbackUrl,
  loadDevSigningKeys,
} from '../auth/index.ts';
import { PSC_CLAIM_NAMES, pscClaims } from './psc-claims.ts';
import { renderIdpErrorPage } from './pages.ts';

const RESOURCE_SCOPE = 'openid scope_all';

/**
 * First-party client: the grant is given without a consent screen (Pro Santé Connect shows none either),
 * covering what Carnet's portal asks: the PSC scope and the API as resource.
 */
async function loadExistingGrant(octx: KoaContextWithOIDC, resource: string) {
  const { client, session, result, provider } = octx.oidc;
  if (!client || !session?.accountId) return undefined;
  const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
  const existing = grantId ? await provider.Grant.find(grantId) : undefined;
  if (existing) return existing;
  const grant = new provider.Grant({ accountId: session.accountId, clientId: client.clientId });
  grant.addOIDCScope(RESOURCE_SCOPE);
  grant.addResourceScope(resource, RESOURCE_SCOPE);
  await grant.save();
  return grant;
}

/**
 * The embedded development identity provider, shaped like Pro Santé Connect (docs/identifiers.md, "Pro Santé
 * Connect").
 */
export async function createDevIdentityProvider(ctx: AppContext): Promise<Provider> {
  const { config } = ctx;
  const keys = await loadDevSigningKeys(ctx.db, isoInstant(ctx.clock.now()));
  const resource = apiAudience(config);
  const claimsOf = async (sub: string) => {
    const subject = await findDevSubject(ctx.db, sub);
    return subject && pscClaims(subject);
  };
  const provider = new Provider(devIssuer(config), {
    adapter: (model: string) => new KyselyOidcAdapter(ctx.db, model),
    clients: [
      {
        client_id: DEV_CLIENT_ID,
        client_secret: devClientSecret(config),
        redirect_uris: [proCallbackUrl(config)],
        post_logout_redirect_uris: [`${config.baseUrl}/pro/`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [keys.privateJwk] },
    cookies: { keys: [devCookieKey(config)] },
    scopes: ['openid', 'scope_all'],
    claims: { openid: ['sub'], scope_all: [...PSC_CLAIM_NAMES] },
    acrValues: ['eidas1'],
    // PSC's claims travel in the ID token too, since the access token is audience-restricted to the API.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    findAccount: async (_octx: unknown, sub: string) => {
      const claims = await claimsOf(sub);
      return claims && { accountId: sub, claims: async () => ({ sub, ...claims }) };
    },
    extraTokenClaims: async (_octx: unknown, token: { accountId?: string }) =>
      token.accountId ? claimsOf(token.accountId) : undefined,
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => resource,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_octx: unknown, indicator: string) => {
          if (indicator !== resource) throw new errors.InvalidTarget();
          return {
            scope: RESOURCE_SCOPE,
            audience: resource,
            accessTokenTTL: ACCESS_TOKEN_TTL,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    loadExistingGrant: (octx: KoaContextWithOIDC) => loadExistingGrant(octx, resource),
    interactions: {
      url: async (_octx: unknown, interaction: { uid: string }) => `/idp/interaction/${interaction.uid}`,
    },
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL,
      AuthorizationCode: 60,
      IdToken: ACCESS_TOKEN_TTL,
      Interaction: 600,
      Session: 12 * 3600,
      Grant: 12 * 3600,
    },
    clientBasedCORS: () => false,
    renderError: async (octx: KoaContextWithOIDC, out: { error?: string; error_description?: string }) => {
      octx.type = 'html';
      octx.body = renderIdpErrorPage(out.error_description ?? out.error ?? 'erreur');
    },
  });
  // Carnet's Fastify terminates HTTP (possibly behind a reverse proxy): trust X-Forwarded-*.
  provider.proxy = true;
  return provider;
}
