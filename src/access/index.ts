export { decide } from './policy.ts';
export type { Action } from './policy.ts';
export { denyMessages, denyReasons, isDenyReason } from './decision.ts';
export type { Decision, DenyReason } from './decision.ts';
export type {
  Principal,
  PatientPrincipal,
  ProfessionalPrincipal,
  InsurerPrincipal,
  AuditorPrincipal,
  AppPrincipal,
  AppPurpose,
  AccessMode,
  EmergencyMode,
  EmergencyRequest,
  ProfessionalSignIn,
} from './principal.ts';
export { authorize } from './authorize.ts';
export {
  decideRecord,
  decideDocument,
  decideRecordExport,
  decideEmergencyStart,
  defaultRecordSettings,
} from './record-policy.ts';
export {
  decideDeposit,
  decideFiledDeposit,
  isProfessionalType,
  mayProduce,
  mayProduceType,
  mayWriteVsm,
  mayHideFromPatient,
  masksOnDeposit,
  mayDeclareAuthor,
  insurerDepositTypes,
} from './deposit-policy.ts';
export type {
  RecordSettings,
  ProfessionalRelation,
  RecordContext,
  EmergencyAccess,
  DocumentFacts,
  RecordAction,
  DocumentAction,
} from './record-policy.ts';
export { visibleDocumentsWhere } from './document-filter.ts';
export {
  loadHabilitationMatrix,
  parseHabilitationMatrix,
  isTypeAllowed,
  habilitationFor,
  activeHabilitationMatrix,
  defaultHabilitationMatrixPath,
  installHabilitationMatrix,
} from './habilitation-matrix.ts';
export type { HabilitationMatrix, HabilitationAccess } from './habilitation-matrix.ts';
export { decideProfile, mayEditProfileEntry, profileAreaDocumentType } from './profile-policy.ts';
export type { ProfileAction } from './profile-policy.ts';
export { decideAgenda } from './agenda-policy.ts';
export type { AgendaAction } from './agenda-policy.ts';
export {
  agendaAuthorOf,
  agendaShowsCancelled,
  agendaWriteOf,
  decideAppointmentChange,
} from './agenda-policy.ts';
export { matrixHiddenDocumentsWhere } from './document-filter.ts';
export { maskedAreasShown } from './profile-policy.ts';
export { decideDocumentSearch } from './record-policy.ts';
