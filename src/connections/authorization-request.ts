import {
  type ConnectableService,
  findConnectableService,
  isRegisteredRedirectUri,
  type PurposeCode,
} from '../catalogue/index.ts';
import { invalid } from '../shared/index.ts';
import type { Executor } from '../storage/index.ts';
import { contextScopesOf, requestedPurposes, requestedScopes } from './scopes.ts';

/** The query of `GET /oauth/authorize` (RFC 6749 §4.1.1, RFC 7636, SMART App Launch standalone launch). */
export type AuthorizationQuery = Record<string, string | undefined>;

export interface AuthorizationRequest {
  readonly service: ConnectableService;
  readonly redirectUri: string;
  readonly state: string | undefined;
  readonly codeChallenge: string;
  readonly purposes: readonly PurposeCode[];
  /** Every scope asked for, as asked: the grant keeps those within the purposes the patient consents to. */
  readonly scopes: readonly string[];
  readonly contextScopes: readonly string[];
}

/**
 * An error the client must hear at its redirect URI (RFC 6749 §4.1.2.1): raised only once the client and the
 * redirect URI are known good; before that, the patient is shown the error and nobody is redirected.
 */
export class AuthorizationRedirectError extends Error {
  constructor(
    readonly redirectUri: string,
    readonly state: string | undefined,
    readonly error: 'invalid_request' | 'unsupported_response_type' | 'invalid_scope' | 'access_denied',
    readonly description: string,
  ) {
    super(description);
    this.name = 'AuthorizationRedirectError';
  }

  /** Where the browser goes: the app's redirect URI with the error, its description and the app's state. */
  get location(): string {
    const url = new URL(this.redirectUri);
    url.searchParams.set('error', this.error);
    url.searchParams.set('error_description', this.description);
    if (this.state !== undefined) url.searchParams.set('state', this.state);
    return url.toString();
  }
}

const PKCE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** Checks an authorization request; `fhirBase` is the audience a SMART app must name. */
export async function checkAuthorizationRequest(
  db: Executor,
  query: AuthorizationQuery,
  fhirBase: string,
): Promise<AuthorizationRequest> {
  const clientId = query.client_id ?? '';
  const service = await findConnectableService(db, clientId);
  if (!service) {
    throw invalid(
      'oauth-unknown-client',
      'Ce service n’est pas référencé dans le catalogue ou n’est pas disponible actuellement.',
    );
  }
  const redirectUri = query.redirect_uri ?? '';
  if (!isRegisteredRedirectUri(service.oauth, redirectUri)) {
    throw invalid(
      'oauth-redirect-uri',
      'L’adresse de retour de ce service ne correspond pas à celle déclarée au catalogue.',
    );
  }
  const state = query.state;
  const fail = (error: AuthorizationRedirectError['error'], description: string) =>
    new AuthorizationRedirectError(redirectUri, state, error, description);
  if (query.response_type !== 'code') {
    throw fail('unsupported_response_type', 'Only response_type=code is supported.');
  }
  if (query.code_challenge_method !== 'S256' || !PKCE_CHALLENGE.test(query.code_challenge ?? '')) {
    throw fail('invalid_request', 'PKCE is required: code_challenge with code_challenge_method=S256.');
  }
  // SMART requires the audience, so that a token is never obtained for (and leaked to) another FHIR server.
  if (query.aud?.replace(/\/$/, '') !== fhirBase) {
    throw fail('invalid_request', `aud must be the FHIR base URL ${fhirBase}.`);
  }
  const scopes = requestedScopes(query.scope ?? '');
  const purposes = requestedPurposes(scopes, service.purposes, service.oauth.scopes);
  if (purposes.length === 0) {
    throw fail('invalid_scope', 'The requested scopes match none of the purposes this service may ask for.');
  }
  return {
    service,
    redirectUri,
    state,
    codeChallenge: query.code_challenge!,
    purposes,
    scopes,
    contextScopes: contextScopesOf(scopes),
  };
}
