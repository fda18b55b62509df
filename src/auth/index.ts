export { verifyBearer } from './bearer.ts';
export { issuePatientAccessToken } from './patient-token.ts';
export { createAccount, prepareCredentials } from './patient/accounts.ts';
export { checkPassword } from './patient/credential-rules.ts';
export { confirmCurrentPassword, endPendingSignIns } from './patient/credentials-change.ts';
export {
  PATIENT_SESSION_COOKIE,
  PATIENT_SESSION_HOURS,
  changePassword,
  confirmSignIn,
  createPatientSession,
  findAccountByPatient,
  patientPrincipalFromRequest,
  patientPrincipalFromToken,
  resendSignInCode,
  revokeSessionToken,
  signInRefusedEarly,
  startSignIn,
} from './patient/index.ts';
export { maskEmail } from './patient/mask-email.ts';
export {
  OTP_DIGITS,
  OTP_MAX_ATTEMPTS,
  generateOneTimeCode,
  oneTimeCodeHash,
} from './patient/one-time-code.ts';
export {
  PASSWORD_HASH_COST,
  admitPasswordCheck,
  hashPassword,
  setPasswordHashCostForTests,
} from './patient/password.ts';
export { activationCodeHash, sameHash } from './patient/secret-hash.ts';
export { revokePatientSessions } from './patient/sessions.ts';
export {
  ACCESS_TOKEN_TTL,
  DEV_CLIENT_ID,
  apiAudience,
  devClientSecret,
  devCookieKey,
  devIssuer,
  proCallbackUrl,
} from './professional/dev-client.ts';
export {
  PRO_SESSION_COOKIE,
  PRO_SESSION_HOURS,
  beginLogin,
  completeLogin,
  createProfessionalSession,
  endProfessionalSession,
  professionalPrincipalFromRequest,
  readPscClaims,
  recordProfessional,
} from './professional/index.ts';
export type { LoginTransaction } from './professional/index.ts';
export { principalOf } from './professional/principal.ts';
export { loadDevSigningKeys } from './professional/signing-keys.ts';
export { knownRefusal, limitFailures, rateRules, takeAttempt, windowStart } from './rate-limit.ts';
export type { RateRule } from './rate-limit.ts';
