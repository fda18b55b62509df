/**
 * Connected health services (docs/features.md, "Catalogue and connected services"): Carnet as the OAuth 2.0 / SMART
 * authorization server for patients.
 */
export { checkAuthorizationRequest, AuthorizationRedirectError } from './authorization-request.ts';
export type { AuthorizationQuery, AuthorizationRequest } from './authorization-request.ts';
export { describeAuthorization, decideAuthorization } from './consent.ts';
export type { ConsentScreen, ConsentDecision } from './consent.ts';
export {
  exchangeToken,
  revokeAppToken,
  revokeAppTokensGrantedBy,
  TokenEndpointError,
} from './token-endpoint.ts';
export type { TokenResponse } from './token-endpoint.ts';
export { appPrincipalOfToken, listConnections, revokeConnection } from './grants.ts';
export type { ConnectionView } from './grants.ts';
export { APP_TOKEN_PREFIX } from './secrets.ts';
export { newSecret, secretHash } from './secrets.ts';
