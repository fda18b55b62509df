export {
  PATIENT_SESSION_COOKIE,
  PATIENT_SESSION_HOURS,
  patientPrincipalFromRequest,
  patientPrincipalFromToken,
  createPatientSession,
  revokeSessionToken,
  revokePatientSessions,
  revokeOtherPatientSessions,
} from './sessions.ts';
export type { CookieCarrier } from './sessions.ts';
export { startSignIn, confirmSignIn, resendSignInCode, signInRefusedEarly } from './sign-in.ts';
export type { SignInChallenge } from './sign-in.ts';
export { changePassword, confirmCurrentPassword } from './credentials-change.ts';
export { hashPassword, verifyPassword } from './password.ts';
export { prepareCredentials, createAccount, findAccountByLogin, findAccountByPatient } from './accounts.ts';
export { checkLogin, checkPassword, normalizeLogin, isStrongPassword } from './credential-rules.ts';
export { maskEmail } from './mask-email.ts';
