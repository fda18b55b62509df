export { decide } from './policy.ts';
export type { Action, Decision } from './policy.ts';
export type { Principal, PatientPrincipal, ProfessionalPrincipal } from './principal.ts';
export { authorize } from './authorize.ts';
