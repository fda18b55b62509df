export { beginLogin, completeLogin, discoverProvider } from './oidc-client.ts';
export type { LoginTransaction } from './oidc-client.ts';
export {
  PRO_SESSION_COOKIE,
  PRO_SESSION_HOURS,
  createProfessionalSession,
  endProfessionalSession,
  professionalPrincipalFromRequest,
} from './sessions.ts';
export type { RequestWithCookies } from './sessions.ts';
export { readPscClaims } from './psc-claims.ts';
export type { PscIdentity } from './psc-claims.ts';
export { principalOf, recordProfessional } from './principal.ts';
export { providerTrust } from './provider-keys.ts';
