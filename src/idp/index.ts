/**
 * Loads the development identity provider only when it is mounted: oidc-provider warns on import about
 * Node 20, and production never needs it.
 */
export const loadDevIdentityProvider = () => import('./provider.ts');
export { demoSubjects, findDevSubject } from './accounts.ts';
export { issueDevAccessToken } from './dev-token.ts';
export type { DevTokenSubject } from './dev-token.ts';
export { renderIdpErrorPage, renderLoginPage } from './pages.ts';
export { pscClaims } from './psc-claims.ts';
