/**
 * The ANS terminologies Carnet speaks (JDV J07 types, J06 classes, J10 formats, J02 facility types,
 * J04 practice settings, J01 author specialties, J08 confidentiality), as versioned data.
 */
export * from './concepts.ts';
export { isLoincCode, isSnomedCode } from './check-digits.ts';
export { documentClasses, documentTypes, findDocumentType } from './document-types.ts';
export type { DocumentStatus, DocumentType } from './document-types.ts';
export { isProfileArea, isProfileSection, profileAreaLabels, profileSections } from './profile-areas.ts';
export type { ProfileArea, ProfileSection } from './profile-areas.ts';
