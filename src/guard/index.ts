/**
 * The one way in to a patient's data: open it for this principal and this purpose. Each entry point loads the
 * context once, asks `access/` for the decision, writes the refusal's trace in the caller's transaction, and
 * hands the service a guarded handle (the executor and the facts the decision was taken on).
 */
export { openRecord, openDocument, checkDocumentAction, openDocumentSearch } from './record.ts';
export type { GuardedRecord, OpenedDocument, SearchRefusal } from './record.ts';
export { openAgenda, openAppointmentChange } from './agenda.ts';
export { openProfile, openProfileEntry, readMaskedAreas } from './profile.ts';
export type { GuardedProfile, GuardedProfileEntry, ProfileOpening } from './profile.ts';
export { openMailbox, auditMailbox } from './mailbox.ts';
export type { GuardedMailbox } from './mailbox.ts';
export { openExport, traceExport } from './export.ts';
export type { ExportFormat, GuardedExport } from './export.ts';
export { patientTables, type PatientTable } from './patient-tables.ts';
export { trace } from './audit-trace.ts';
export {
  findDocumentById,
  findDocumentsByIdentifier,
  insertDocuments,
  setDocumentFlags,
  setDocumentStatus,
  usedMasterIdentifiers,
} from './document-repository.ts';
export {
  documentFacts,
  eventTokens,
  noMetadataColumns,
  openTitle,
  sealTitle,
  toRecordDocument,
} from './document-row.ts';
export { DOCUMENT_TITLE_MAX_LENGTH, confidentialityFlags, emptyMetadata, titleTooLong } from './document.ts';
export type {
  AuthorKind,
  ConfidentialityFlag,
  ConfidentialityLevel,
  ContentFormat,
  DocumentAuthor,
  DocumentCoding,
  DocumentCustodian,
  DocumentId,
  DocumentMetadata,
  DocumentStatus,
  RecordDocument,
  RelatedIdentifier,
  SourcePatientInfo,
} from './document.ts';
export {
  EMERGENCY_ACCESS_HOURS,
  currentEmergencyAccess,
  endEmergencyAccess,
  startEmergencyAccess,
} from './emergency-access.ts';
export type { EmergencyAccessView } from './emergency-access.ts';
export {
  ensureRecordProfessional,
  findRecordProfessional,
  listRecordProfessionals,
  principalIdentity,
  updateRecordProfessional,
} from './professionals-repository.ts';
export type { RecordProfessionalRow } from './professionals-repository.ts';
export { loadRecord, loadRecordContext } from './record-context.ts';
export type { LoadedRecord } from './record-context.ts';
export { Refusal, denialError, documentNotFound, inRecordTransaction, refuse } from './refusal.ts';
export { searchableName } from './search-text.ts';
export {
  SEARCH_PREFIX_MAX,
  SEARCH_PREFIX_MIN,
  allWordsStart,
  dateWords,
  documentSearchWords,
  searchToken,
  searchWords,
  type ContentSearchTexts,
} from './search-index.ts';
export { readRecordSettings, writeRecordSettings } from './settings-repository.ts';
