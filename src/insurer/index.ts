/** The Assurance Maladie feed: reimbursed care ("Mon histoire de santé"), vaccinations and COVID-19 attestations. */
export type {
  AldRecord,
  CareCategory,
  CareNature,
  CareRecord,
  CovidAttestationRecord,
  FeedRecord,
  VaccinationRecord,
} from './feed/format.ts';
export {
  aldLine,
  careCategories,
  careNatures,
  careCategoryLabels,
  careLine,
  covidAttestationLine,
  isCareCategory,
  parseFeedLine,
  vaccinationLine,
} from './feed/format.ts';
export type { FeedSource } from './feed/lines.ts';
export type {
  ImportProgress,
  InsurerImportOptions,
  InsurerImportReport,
  RejectedLine,
} from './feed/import.ts';
export { DEFAULT_BATCH_LINES, importInsurerFeed, importInsurerFile, INSURER } from './feed/import.ts';
export { attestationMasterIdentifier } from './feed/covid-attestation.ts';
export type { CareHistoryQuery, CareHistoryView, CareItem } from './history.ts';
export { MAX_CARE_PAGE, readCareHistory } from './history.ts';
export { CARE_CATEGORY_SYSTEM, careItemToExplanationOfBenefit } from './explanation-of-benefit.ts';
