import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/index.ts';
import { patientPrincipalFromRequest } from '../../auth/index.ts';
import { purposes } from '../../catalogue/index.ts';
import {
  AuthorizationRedirectError,
  checkAuthorizationRequest,
  decideAuthorization,
  describeAuthorization,
  exchangeToken,
  listConnections,
  revokeAppToken,
  revokeConnection,
  TokenEndpointError,
  type AuthorizationQuery,
} from '../../connections/index.ts';
import type { PatientId } from '../../identity/index.ts';
import { CarnetError } from '../../shared/index.ts';
import { oauthContracts } from '../contracts/oauth.ts';

/** The patient-space page where the patient consents, purpose by purpose. */
const CONSENT_PAGE = '/autoriser-service';

const authorizationParams = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'aud',
] as const;

/** Only the OAuth parameters, as strings (a repeated parameter is a malformed request: its first value is kept). */
function authorizationQueryOf(raw: unknown): AuthorizationQuery {
  const source = (raw ?? {}) as Record<string, unknown>;
  const query: AuthorizationQuery = {};
  for (const name of authorizationParams) {
    const value = source[name];
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') query[name] = first;
  }
  return query;
}

/**
 * Carnet as the OAuth 2.0 authorization server of the services a patient connects (SMART App Launch,
 * standalone patient launch, public clients with PKCE), and the patient's list of connected services.
 */
export async function registerOAuth(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const fhirBase = `${ctx.config.baseUrl}/fhir`;
  const smartConfiguration = {
    issuer: ctx.config.baseUrl,
    authorization_endpoint: `${ctx.config.baseUrl}/oauth/authorize`,
    token_endpoint: `${ctx.config.baseUrl}/oauth/token`,
    token_endpoint_auth_methods_supported: ['none'],
    revocation_endpoint: `${ctx.config.baseUrl}/oauth/revoke`,
    revocation_endpoint_auth_methods_supported: ['none'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: ['launch/patient', 'offline_access', ...new Set(purposes.flatMap((p) => p.scopes))],
    capabilities: [
      'launch-standalone',
      'client-public',
      'context-standalone-patient',
      'permission-patient',
      // Refresh tokens are issued to an app that asks for `offline_access` (SMART App Launch 2.0 §2.4).
      'permission-offline',
      'permission-v1',
      'permission-v2',
    ],
  };
  for (const path of ['/.well-known/smart-configuration', '/fhir/.well-known/smart-configuration']) {
    app.get(path, { schema: oauthContracts.smartConfiguration }, async () => smartConfiguration);
  }

  // The browser arrives from the app: bad parameters go back to the app when it is safe to, and the patient
  // continues on the consent page otherwise (which explains an unknown service or a wrong return address).
  app.get('/oauth/authorize', { schema: oauthContracts.authorize }, async (request, reply) => {
    const query = authorizationQueryOf(request.query);
    try {
      await checkAuthorizationRequest(ctx.db, query, fhirBase);
    } catch (error) {
      if (error instanceof AuthorizationRedirectError) return reply.redirect(error.location);
      if (!(error instanceof CarnetError)) throw error;
    }
    const params = new URLSearchParams(query as Record<string, string>);
    return reply.redirect(`${CONSENT_PAGE}?${params.toString()}`);
  });

  app.get('/api/patient/oauth/request', { schema: oauthContracts.request }, async (request) => {
    const principal = await patientPrincipalFromRequest(ctx, request);
    return describeAuthorization(ctx, principal, authorizationQueryOf(request.query), fhirBase);
  });

  app.post<{
    Body: { query: Record<string, string>; approve: boolean; patientId?: string; purposes?: string[] };
  }>('/api/patient/oauth/decision', { schema: oauthContracts.decision }, async (request) => {
    const principal = await patientPrincipalFromRequest(ctx, request);
    const { approve, patientId, purposes: ticked } = request.body;
    try {
      const redirectTo = await decideAuthorization(
        ctx,
        principal,
        authorizationQueryOf(request.body.query),
        { approve, patientId: patientId ?? principal.patientId, purposes: ticked ?? [] },
        fhirBase,
      );
      return { redirectTo };
    } catch (error) {
      if (error instanceof AuthorizationRedirectError) return { redirectTo: error.location };
      throw error;
    }
  });

  // The token endpoint speaks OAuth (RFC 6749 §5), not Carnet's JSON error shape.
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 16 * 1024 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    scope.post('/oauth/token', { schema: oauthContracts.token }, async (request: FastifyRequest, reply) => {
      reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      const form =
        request.body && typeof request.body === 'object' ? (request.body as Record<string, string>) : {};
      try {
        return await exchangeToken(ctx, form);
      } catch (error) {
        if (!(error instanceof TokenEndpointError)) throw error;
        return reply.code(error.status).send({ error: error.error, error_description: error.description });
      }
    });
    scope.post('/oauth/revoke', { schema: oauthContracts.revoke }, async (request: FastifyRequest, reply) => {
      reply.header('cache-control', 'no-store');
      const form =
        request.body && typeof request.body === 'object' ? (request.body as Record<string, string>) : {};
      try {
        await revokeAppToken(ctx, form);
        return reply.code(200).send();
      } catch (error) {
        if (!(error instanceof TokenEndpointError)) throw error;
        return reply.code(error.status).send({ error: error.error, error_description: error.description });
      }
    });
  });

  app.get<{ Params: { patientId: string } }>(
    '/api/patient/record/:patientId/connections',
    { schema: oauthContracts.connections },
    async (request) => {
      const principal = await patientPrincipalFromRequest(ctx, request);
      return { connections: await listConnections(ctx, principal, request.params.patientId as PatientId) };
    },
  );

  app.delete<{ Params: { patientId: string; grantId: string } }>(
    '/api/patient/record/:patientId/connections/:grantId',
    { schema: oauthContracts.disconnect },
    async (request, reply) => {
      const principal = await patientPrincipalFromRequest(ctx, request);
      await revokeConnection(ctx, principal, request.params.patientId as PatientId, request.params.grantId);
      return reply.code(204).send();
    },
  );
}
