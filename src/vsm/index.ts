/** The Volet de Synthèse Médicale: model, CDA R2 generation and reading, draft and deposit services. */
export type { VsmContent, VsmSection, VsmSectionKey } from './model.ts';
export {
  emptyVsmContent,
  normalizeLine,
  normalizeVsmContent,
  parseVsmContent,
  vsmSectionKeys,
  vsmSectionLabels,
  VSM_LIMITS,
} from './model.ts';
export type {
  FamilyRelative,
  PartialDate,
  VsmAllergySeverity,
  VsmCode,
  VsmCodeSystem,
  VsmItem,
  VsmValue,
} from './items.ts';
export { allergySeverities, familyRelatives, parseVsmItem, sectionCoding, vsmCodeSystems } from './items.ts';
export type { VsmAuthor, VsmCdaInput } from './cda-builder.ts';
export { buildVsmCda, VSM_TITLE, VSM_TYPE_CODE } from './cda-builder.ts';
export { hl7Time, uuidOid } from './cda-parts.ts';
export { isVitalSign } from './body.ts';
export { isVsmType, readVsmContent, vsmTypeCodes } from './reader.ts';
export type { PreviousVsm, VsmDraft, WrittenVsm } from './services.ts';
export { latestVsm, vsmDraft, writeVsm } from './services.ts';
export {
  ALLERGY_CONCERN,
  DIAGNOSIS,
  PROBLEM_CONCERN,
  SOCIAL_HISTORY_OBSERVATION,
  VITAL_SIGNS_CODE,
  VITAL_SIGNS_ORGANIZER,
  VITAL_SIGN_OBSERVATION,
  absentAttrs,
  allergyAgent,
  clinicalDocument,
  codeAttrs,
  completed,
  concern,
  el,
  encompassingEncounter,
  frenchPartialDate,
  loincCode,
  manufacturedProduct,
  medication,
  originalText,
  procedure,
  productMaterial,
  section,
  templateIds,
  textEl,
  textReference,
  time,
} from './cda-parts.ts';
export type { SectionHeading } from './cda-parts.ts';
export { OTHER_SOCIAL_ELEMENT } from './codes.ts';
export { isValidCode } from './items.ts';
