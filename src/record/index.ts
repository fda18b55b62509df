/** The shared medical record (DMP): every service authorises through the policy and audits in its transaction. */
export type {
  ConfidentialityLevel,
  DocumentCoding,
  DocumentMetadata,
  RelatedIdentifier,
  SourcePatientInfo,
  AuthorKind,
  ConfidentialityFlag,
  ContentFormat,
  DocumentAuthor,
  DocumentId,
  DocumentStatus,
  RecordDocument,
} from '../guard/index.ts';
export { confidentialityFlags, DOCUMENT_TITLE_MAX_LENGTH, titleTooLong } from '../guard/index.ts';
export type { DepositInput } from './deposit-input.ts';
export { DepositInputError } from './deposit-input.ts';
export { depositDocuments } from './deposit.ts';
export { patientDocumentDate } from './document-date.ts';
export type { DepositOptions } from './deposit.ts';
export type {
  AllOf,
  CodeSearch,
  DatePrefix,
  DateSearch,
  DocumentFilters,
  DocumentQuery,
  DocumentSearchResult,
  LevelOrFlag,
  NameSearch,
  SecurityLabelCode,
} from './search.ts';
export { datePrefixes, documentsPage, searchDocuments } from './search.ts';
export { readDocument, retrieveDocumentContent } from './read.ts';
export type { ConfidentialityChange } from './confidentiality.ts';
export { changeConfidentiality, maskAllDocuments } from './confidentiality.ts';
export { deleteDocument } from './delete.ts';
export { archiveDocument } from './archive.ts';
export { getRecordOverview, updateRecordSettings } from './settings.ts';
export type { RecordProfessionalView } from './professional-view.ts';
export type { ProfessionalStatusChange } from './professionals.ts';
export { setProfessionalStatus } from './professionals.ts';
export { declareConsent } from './consent.ts';
export {
  currentEmergencyAccess,
  endEmergencyAccess,
  startEmergencyAccess,
  EMERGENCY_ACCESS_HOURS,
} from '../guard/index.ts';
export type { EmergencyAccessView } from '../guard/index.ts';
export type { AccessHistoryEntry, HistoryActor, HistoryFilter, HistoryPage, HistoryWho } from './history.ts';
export { accessHistory, checkHistoryPeriod, listAuditEntries } from './history.ts';
export * from './history-labels.ts';
export { depositCountsByMonth } from './counts.ts';
export { loadRecordContext } from '../guard/index.ts';
export { findVisibleByIdentifier } from './identifier-lookup.ts';
export { notifyPatient, serviceConnectedNotice } from './notifications.ts';
export type { RecordNotice } from './notifications.ts';
export type {
  SubmissionSet,
  SubmissionSetInput,
  SubmissionSetQuery,
  SubmissionSetSearchResult,
  VisibleSubmissionSet,
} from './submission-sets.ts';
export { readSubmissionSet, searchSubmissionSets } from './submission-sets.ts';
export type { RecordNews } from './news.ts';
export { FIRST_ACCESS_NEWS_DAYS, readRecordNews } from './news.ts';
export { newDocumentsFor, unreadBy } from './openings.ts';
export { classCodesMatching, queryWords } from './document-browse.ts';
export type { DocumentBrowse, DocumentFacets, FacetDimension, FacetValue } from './document-browse.ts';
export { VISIT_GAP_MS, previousVisitAt } from './visits.ts';
export { trace } from '../guard/index.ts';
export { readCdaXml } from './cda/detect.ts';
export { CdaError, decodeXml, parseCda } from './cda/index.ts';
export type {
  CdaCode,
  CdaCoding,
  CdaDocument,
  CdaEntry,
  CdaEntryKind,
  CdaHeader,
  CdaPeriod,
  CdaProduct,
  CdaQuantity,
  CdaSection,
  CdaValue,
} from './cda/index.ts';
export { all, attr, first, kids, nameOf, parseXml, textOf } from './cda/xml.ts';
export type { XmlNode } from './cda/xml.ts';
export { noteConsultation } from './consultation.ts';
export {
  checkContent,
  contentFile,
  contentLimits,
  createContentStore,
  openText,
  sealText,
  sha256Hex,
  sniffFormat,
} from './content/index.ts';
export type { ContentKind, ContentStore } from './content/index.ts';
export { moveContentsToDatabase } from './content/move-to-database.ts';
export { findDocumentById, insertDocuments } from '../guard/index.ts';
export { documentFacts, noMetadataColumns, openTitle } from '../guard/index.ts';
export { emptyMetadata } from '../guard/index.ts';
export type { DocumentCustodian } from '../guard/index.ts';
export { loadRecord } from '../guard/index.ts';
export type { LoadedRecord } from '../guard/index.ts';
export { Refusal, denialError, documentNotFound, inRecordTransaction, refuse } from '../guard/index.ts';
export type { FolderChange, Organisation, PatientFolder } from './folders.ts';
export {
  changeFolderDocument,
  changePin,
  createFolder,
  deleteFolder,
  readFolder,
  readFolders,
  readPinnedDocuments,
  renameFolder,
} from './folders.ts';
export { FOLDER_NAME_MAX, FOLDERS_MAX, PINS_MAX, folderName, pinnedFirst } from './folder-rules.ts';
export { PHOTOS_MAX, PHOTO_MAX_BYTES, checkPhotos, photoFormat, photosToPdf } from './photo-pdf.ts';
export { ENCOUNTER_ID_TYPE, episodeIdOf, parseEpisodeId } from './episodes.ts';
export type { Episode, EpisodeKind } from './episodes.ts';
