/** The shapes of the shared record's JSON API, as both apps read them: inferred from the routes' contracts. */
export type {
  CdaEntryView,
  CdaFactView,
  CdaSectionView,
  CdaView,
  DocumentFacetsView,
  DocumentGroup,
  DocumentList,
  EpisodeView,
  NarrativeBlock,
  ProDocumentList,
  RecordDocumentView,
  TypeOption,
  UploadOptions,
} from '../../src/http/contracts/record-api.ts';
export type { FolderView, FoldersView } from '../../src/http/contracts/record-api.ts';
