/**
 * The patient's medical profile (docs/features.md, "Medical profile"): entries per section, masks, FHIR shapes,
 * advance directives.
 */
export type { ProfileArea, ProfileSection } from '../terminology/index.ts';
export { isProfileArea, isProfileSection, profileAreaLabels, profileSections } from '../terminology/index.ts';
export type {
  AboGroup,
  AllergyCategory,
  AllergyData,
  AllergySeverity,
  BloodGroupData,
  ConditionData,
  ContactData,
  ContactRole,
  DisabilityData,
  EntrySource,
  FamilyHistoryData,
  FamilyRelation,
  HospitalisationData,
  LifestyleData,
  LifestyleTopic,
  MeasurementData,
  OrganDonationChoice,
  ProfileEntry,
  SectionData,
  SourcedEntryInput,
  TreatmentData,
  VaccinationData,
  WishData,
} from './types.ts';
export {
  aboGroups,
  allergyCategories,
  allergySeverities,
  contactRoles,
  familyRelations,
  lifestyleTopics,
  organDonationChoices,
} from './types.ts';
export type { VaccineCode } from './vaccines.ts';
export { isVaccineCode, vaccineAtcCodes, vaccineCodes, vaccineLabels } from './vaccines.ts';
export type { MeasurementKind, MeasurementKindInfo } from './measurements.ts';
export {
  DIASTOLIC_LOINC,
  SYSTOLIC_LOINC,
  isMeasurementKind,
  measurementKindCodes,
  measurementKinds,
} from './measurements.ts';
export { validateSectionData } from './validate.ts';
export type { AllergenSystem, AllergenTerm, CodedTerm } from './pick-lists.ts';
export {
  allergenSystems,
  allergenTerms,
  conditionTerms,
  isListedCode,
  medicationTerms,
  termNamed,
} from './pick-lists.ts';
export type { ProfileReadOptions, ProfileView } from './services.ts';
export {
  addEntriesFromSource,
  addProfileEntry,
  deleteProfileEntry,
  readProfile,
  readProfileEntry,
  setAreaMasked,
  updateProfileEntry,
} from './services.ts';
export type { AdvanceDirectivesForm, DirectivesInput } from './directives.ts';
export {
  ADVANCE_DIRECTIVES_TYPE,
  advanceDirectivesPdf,
  checkDirectivesForm,
  depositAdvanceDirectives,
} from './directives.ts';
export {
  allergyCategoryLabels,
  allergySeverityLabels,
  contactRoleLabels,
  entrySummary,
  familyRelationLabels,
  lifestyleTopicLabels,
  organDonationLabels,
} from './labels.ts';
/** For system work (reminder computation) that is not a person's access: no policy, no trace. */
export { listEntries } from './repository.ts';
export { lifestyleTopicCodes } from './lifestyle-codes.ts';
export { searchProfile, type ProfileHit } from './search.ts';
