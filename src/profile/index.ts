export { issueActivationCode, revokePendingCodes } from './activation-codes.ts';
export {
  verifyActivation,
  completeActivation,
  reissueActivation,
  identifyWithCode,
  activationRefusedEarly,
  parseNir,
} from './activation.ts';
export type { ActivationRequest } from './activation.ts';
export { opposeProfile, oppositionProof } from './opposition.ts';
export {
  requestPasswordReset,
  confirmPasswordReset,
  passwordResetRefusedEarly,
  PASSWORD_RESET_MESSAGE,
  PASSWORD_RESET_MINUTES,
} from './password-reset.ts';
export { closeProfile } from './closure.ts';
export { activateChildProfile } from './minors.ts';
export { updateContact, normalizeContact } from './contact.ts';
export { profileView } from './profile-view.ts';
export type { ProfileView } from './profile-view.ts';
export { nextProfileState, transition } from './lifecycle.ts';
export type { ProfileEvent } from './lifecycle.ts';
export {
  CODE_ALPHABET,
  CODE_LENGTH,
  CODE_VALIDITY_DAYS,
  generateActivationCode,
  normalizeActivationCode,
} from './activation-code-rules.ts';
export { getNotificationPreferences, updateNotificationPreferences } from './notification-settings.ts';
export { ImportFormatError, importInsured } from './import/index.ts';
export type { ImportReport } from './import/index.ts';
