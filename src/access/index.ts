export { decide } from './policy.ts';
export type { Action, Decision } from './policy.ts';
export type {
  Principal,
  PatientPrincipal,
  ProfessionalPrincipal,
  InsurerPrincipal,
  AuditorPrincipal,
  AccessMode,
  ProfessionalAccess,
} from './principal.ts';
export { authorize } from './authorize.ts';
