import { z } from 'zod';
import { contract, multipart, noContent, raw } from '../contract.ts';
import { downloadQuery, pageQuery, patientDocParams, patientParams } from './common.ts';

/** The shared record's JSON API (patient space and portal): one document, as both apps read it. */
export const recordDocumentView = z.object({
  id: z.string(),
  title: z.string(),
  typeCode: z.string(),
  typeDisplay: z.string(),
  classCode: z.string(),
  classLabel: z.string(),
  author: z.object({
    kind: z.string(),
    name: z.string(),
    nationalId: z.string().nullable(),
    profession: z.string().nullable(),
    structure: z.string().nullable(),
  }),
  createdAt: z.string(),
  depositedAt: z.string(),
  serviceStart: z.string().nullable(),
  serviceEnd: z.string().nullable(),
  status: z.string(),
  masked: z.boolean(),
  invisiblePatient: z.boolean(),
  invisibleRepresentatives: z.boolean(),
  uploadedByPatient: z.boolean(),
  contentType: z.string(),
  size: z.number(),
  contentUrl: z.string(),
  viewUrl: z.string().nullable(),
  /** Patient space only: not opened yet by the signed-in person (« Nouveau »). */
  isNew: z.boolean().optional(),
  /** Portal only: this professional deposited it (may replace it). */
  ownDeposit: z.boolean().optional(),
  /** `view=list`: the episode of care it belongs to, one of the answer's `episodes`. */
  episodeId: z.string().optional(),
});
export type RecordDocumentView = z.infer<typeof recordDocumentView>;

export const documentGroup = z.object({
  classCode: z.string(),
  label: z.string(),
  documents: z.array(recordDocumentView),
});
export type DocumentGroup = z.infer<typeof documentGroup>;

const facetValue = z.object({ value: z.string(), label: z.string(), count: z.number() });
export const documentFacets = z.object({
  classes: z.array(facetValue),
  types: z.array(facetValue),
  authors: z.array(facetValue),
  facilities: z.array(facetValue),
  settings: z.array(facetValue),
});
export type DocumentFacetsView = z.infer<typeof documentFacets>;

/**
 * An episode of care (src/record/episodes.ts): the encounter its documents share (a hospital stay), else their
 * submission set (one professional's day of care), else one document alone.
 */
export const episodeView = z.object({
  /** `encounter:<id>`, `submission-set:<id>` or `document:<id>`, as the documents' `episodeId`. */
  id: z.string(),
  kind: z.enum(['encounter', 'submission-set', 'document']),
  /** The authors' structure, facility type and practice setting, from the page's documents of the episode. */
  structure: z.string().nullable(),
  facility: z.string().nullable(),
  setting: z.string().nullable(),
  /** Its span over the whole record (ISO instants): earliest start, latest end of its documents. */
  start: z.string(),
  end: z.string(),
  /** Its documents the reader may see in the whole record (current versions), this page's and others'. */
  documentCount: z.number(),
});
export type EpisodeView = z.infer<typeof episodeView>;

export const documentList = z.object({
  /** The documents matching the search and filters, whatever the page. */
  total: z.number(),
  /** By class (the default view); empty with `view=list`. */
  groups: z.array(documentGroup),
  /** `view=list`: the page, newest deposit first, and the facet counts. */
  documents: z.array(recordDocumentView).optional(),
  count: z.number().optional(),
  offset: z.number().optional(),
  facets: documentFacets.optional(),
  /** The searched words as compared (lower case, no accents), for highlighting. */
  words: z.array(z.string()).optional(),
  /** `view=list`: the episodes of care of the page's documents, in the order they first appear on it. */
  episodes: z.array(episodeView).optional(),
});
export type DocumentList = z.infer<typeof documentList>;

/** The portal's list also says what the professional does not see. */
export const proDocumentList = documentList.extend({
  /** How many documents the habilitation matrix hides, and from which profession. */
  hiddenByMatrix: z.number(),
  profession: z.string(),
  /** Without the right to consult the record, the professional lists the documents they wrote only. */
  ownDocumentsOnly: z.boolean(),
  /** `view=list`: the end of this professional's previous visit to the record (null before a second visit). */
  lastVisitAt: z.string().nullable().optional(),
});
export type ProDocumentList = z.infer<typeof proDocumentList>;

export const typeOption = z.object({ code: z.string(), display: z.string() });
export type TypeOption = z.infer<typeof typeOption>;

const narrativeBlock = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('paragraph'), text: z.string() }),
  z.object({ kind: z.literal('list'), ordered: z.boolean(), items: z.array(z.string()) }),
  z.object({
    kind: z.literal('table'),
    caption: z.string().optional(),
    header: z.array(z.array(z.string())),
    rows: z.array(z.array(z.string())),
  }),
]);
export type NarrativeBlock = z.infer<typeof narrativeBlock>;

export const cdaFactView = z.object({
  term: z.string(),
  text: z.string().nullable(),
  /** ISO, as partial as the document gives it (2019, 2019-08, 2019-08-11, or a date-time). */
  date: z.string().nullable(),
  /** An abnormal result's interpretation. */
  alert: z.literal(true).optional(),
});
export type CdaFactView = z.infer<typeof cdaFactView>;

/** A coded entry of a CDA section: what it is, its codes ("CIM-10 I21.1"), its facts, the entries it holds. */
export interface CdaEntryView {
  readonly label: string;
  readonly relation: string | null;
  readonly negated: boolean;
  readonly codes: readonly string[];
  readonly facts: readonly CdaFactView[];
  readonly entries: readonly CdaEntryView[];
}
export const cdaEntryView: z.ZodType<CdaEntryView> = z.object({
  label: z.string(),
  relation: z.string().nullable(),
  negated: z.boolean(),
  codes: z.array(z.string()),
  facts: z.array(cdaFactView),
  get entries() {
    return z.array(cdaEntryView);
  },
});

export interface CdaSectionView {
  readonly title: string | null;
  readonly code: { readonly code: string; readonly system?: string; readonly display?: string } | null;
  readonly blocks: readonly NarrativeBlock[];
  readonly entries: readonly CdaEntryView[];
  readonly sections: readonly CdaSectionView[];
}
export const cdaSectionView: z.ZodType<CdaSectionView> = z.object({
  title: z.string().nullable(),
  code: z
    .object({ code: z.string(), system: z.string().optional(), display: z.string().optional() })
    .nullable(),
  blocks: z.array(narrativeBlock),
  entries: z.array(cdaEntryView),
  get sections() {
    return z.array(cdaSectionView);
  },
});

export const cdaView = z.object({
  title: z.string(),
  type: z.object({ code: z.string(), display: z.string().optional() }),
  effectiveTime: z.string().nullable(),
  serviceStart: z.string().nullable(),
  serviceEnd: z.string().nullable(),
  /** The patient the document names (recordTarget): INS, names, birth date (YYYY-MM-DD or shorter). */
  patient: z
    .object({
      ins: z.string().optional(),
      family: z.string().optional(),
      given: z.string().optional(),
      birthDate: z.string().optional(),
      /** F, M or U. */
      sex: z.string().optional(),
    })
    .optional(),
  authors: z.array(
    z.object({
      name: z.string().nullable(),
      profession: z.string().nullable(),
      organization: z.string().nullable(),
    }),
  ),
  custodian: z.string().nullable(),
  sections: z.array(cdaSectionView),
  embedded: z.object({ mediaType: z.string(), url: z.string() }).nullable(),
});
export type CdaView = z.infer<typeof cdaView>;

const settings = z.object({
  maskNewDocuments: z.boolean(),
  allowBrisDeGlace: z.boolean(),
  allowRegulation: z.boolean(),
  allowMaskedInEmergency: z.boolean(),
});
export type SettingKey = keyof z.infer<typeof settings>;
export const recordSettingsView = z.object({
  settings,
  /** Each setting's French label and hint (`settingLabels`, src/http/routes/record-views.ts). */
  labels: z.record(settings.keyof(), z.object({ label: z.string(), hint: z.string() })),
});
export type RecordSettingsView = z.infer<typeof recordSettingsView>;

export const recordProfessionalView = z.object({
  nationalId: z.string(),
  name: z.string(),
  profession: z.string().nullable(),
  status: z.enum(['blocked', 'administrateur', 'authorised']),
  administrator: z.boolean(),
  blocked: z.boolean(),
  firstAccessAt: z.string().nullable(),
  lastAccessAt: z.string().nullable(),
});
export type RecordProfessionalView = z.infer<typeof recordProfessionalView>;

export const historyEntryView = z.object({
  at: z.string(),
  actorName: z.string(),
  actorKind: z.string(),
  actorProfession: z.string().nullable(),
  actorRole: z.string().nullable(),
  action: z.string(),
  kind: z.string().nullable(),
  actionLabel: z.string(),
  firstAccess: z.boolean(),
  documentTitle: z.string().nullable(),
  accessMode: z.string(),
  accessModeLabel: z.string(),
  emergency: z.boolean(),
  outcome: z.string(),
  outcomeLabel: z.string(),
  reason: z.string().nullable(),
});
export type HistoryEntryView = z.infer<typeof historyEntryView>;
export const accessHistoryView = z.object({
  total: z.number(),
  count: z.number(),
  offset: z.number(),
  actors: z.array(
    z.object({
      value: z.string(),
      kind: z.enum(['professional', 'app']),
      name: z.string(),
      profession: z.string().nullable(),
    }),
  ),
  kinds: z.array(z.object({ value: z.string(), label: z.string() })),
  entries: z.array(historyEntryView),
});
export type AccessHistoryView = z.infer<typeof accessHistoryView>;

/**
 * The search and filters of a record's list (patient space and portal); lists are comma-separated, each taking any
 * of its values; `from`/`to` are days (YYYY-MM-DD) on the document's date. `since=last-visit` is the portal's
 * (the patient's list refuses it with `since-professional-only`).
 */
export const documentsQuery = pageQuery.extend({
  q: z.string().max(200).optional(),
  class: z.string().optional(),
  type: z.string().optional(),
  author: z.string().optional(),
  facility: z.string().optional(),
  setting: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  /** `1` or `true`: not yet opened by the signed-in person. */
  unread: z.string().optional(),
  since: z.enum(['last-visit']).optional(),
  /** One episode of care, as the list's `episodeId` names it (`encounter:<id>`…). */
  episode: z.string().max(300).optional(),
  view: z.enum(['groups', 'list']).optional(),
});
export type DocumentsQuery = z.infer<typeof documentsQuery>;

/** The access history's filters (patient space), applied by the server; `historyFilterOf` checks them. */
export const historyQuery = pageQuery.extend({
  /** `professionals`, `apps`, `me`, `professional:<national id>`, `app:<service id>`; absent: everyone else. */
  who: z.string().optional(),
  kind: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  /** `true`: the patient's own actions (and their representatives') are shown too. */
  own: z.string().optional(),
});

/** What the patient may upload: the size limit, the formats and the document types offered. */
export const uploadOptionsView = z.object({
  maxBytes: z.number(),
  formats: z.array(z.string()),
  types: z.array(typeOption),
});
export type UploadOptions = z.infer<typeof uploadOptionsView>;

const professionalParams = patientParams.extend({ nationalId: z.string() });
const content = raw('application/pdf', 'text/xml', 'image/jpeg', 'image/png', 'application/octet-stream');

/** The patient space's routes under /api/patient/record/:patientId. */
export const patientRecordContracts = {
  documents: contract({ params: patientParams, query: documentsQuery, response: documentList }),
  document: contract({ params: patientDocParams, response: recordDocumentView }),
  content: contract({ params: patientDocParams, query: downloadQuery, response: content }),
  view: contract({ params: patientDocParams, response: cdaView }),
  embedded: contract({ params: patientDocParams, query: downloadQuery, response: content }),
  uploadOptions: contract({ params: patientParams, response: uploadOptionsView }),
  deposit: contract({ params: patientParams, multipart, response: recordDocumentView, status: 201 }),
  confidentiality: contract({ params: patientDocParams, response: recordDocumentView }),
  delete: contract({ params: patientDocParams, response: noContent }),
  maskAll: contract({ params: patientParams, response: z.object({ masked: z.number() }) }),
  settings: contract({ params: patientParams, response: recordSettingsView }),
  // Unknown settings are dropped; a body with none of ours is refused by the route.
  updateSettings: contract({ params: patientParams, body: settings.partial(), response: recordSettingsView }),
  professionals: contract({
    params: patientParams,
    response: z.object({ professionals: z.array(recordProfessionalView) }),
  }),
  professionalStatus: contract({ params: professionalParams, response: recordProfessionalView }),
  history: contract({ params: patientParams, query: historyQuery, response: accessHistoryView }),
};

const emergencyModes = ['bris-de-glace', 'centre-de-regulation'] as const;
export const emergencyView = z.object({
  mode: z.enum(['normal', ...emergencyModes]),
  reason: z.string().nullable(),
  startedAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  regulator: z.boolean(),
});
export type EmergencyView = z.infer<typeof emergencyView>;
/** The longest reason a professional may give for an emergency access. */
export const EMERGENCY_REASON_MAX = 500;

/** The portal's routes under /api/pro/patients/:patientId, and the deposit types it offers. */
export const proRecordContracts = {
  documentTypes: contract({ response: z.object({ types: z.array(typeOption) }) }),
  documents: contract({ params: patientParams, query: documentsQuery, response: proDocumentList }),
  document: contract({ params: patientDocParams, response: recordDocumentView }),
  view: contract({ params: patientDocParams, response: cdaView }),
  embedded: contract({ params: patientDocParams, query: downloadQuery, response: content }),
  content: contract({ params: patientDocParams, query: downloadQuery, response: content }),
  deposit: contract({ params: patientParams, multipart, response: recordDocumentView, status: 201 }),
  replace: contract({ params: patientDocParams, multipart, response: recordDocumentView, status: 201 }),
  reveal: contract({ params: patientDocParams, response: recordDocumentView }),
  consent: contract({ params: patientParams, response: noContent }),
  emergency: contract({ params: patientParams, response: emergencyView }),
  startEmergency: contract({
    params: patientParams,
    body: z.object({ mode: z.enum(emergencyModes), reason: z.string().max(EMERGENCY_REASON_MAX).optional() }),
    response: emergencyView,
    status: 201,
  }),
  endEmergency: contract({ params: patientParams, response: noContent }),
  depositsByMonth: contract({
    response: z.object({ months: z.array(z.object({ month: z.string(), count: z.number() })) }),
  }),
};

/** A personal folder of the patient: its name and the documents in it the reader may see. */
export const folderView = z.object({
  id: z.string(),
  name: z.string(),
  documentIds: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type FolderView = z.infer<typeof folderView>;
export const foldersView = z.object({
  folders: z.array(folderView),
  /** The pinned documents, most recently pinned first. */
  pinnedIds: z.array(z.string()),
});
export type FoldersView = z.infer<typeof foldersView>;
const folderParams = patientParams.extend({ folderId: z.string() });
const folderDocParams = folderParams.extend({ id: z.string() });
const folderName = z.object({ name: z.string({ message: 'Donnez un nom au dossier.' }) });

/**
 * The patient's own organisation under /api/patient/record/:patientId: personal folders, pinned documents, and
 * a deposit made of photos (merged into one PDF). Never offered to the portal.
 */
export const patientFolderContracts = {
  folders: contract({ params: patientParams, response: foldersView }),
  createFolder: contract({ params: patientParams, body: folderName, response: folderView, status: 201 }),
  renameFolder: contract({ params: folderParams, body: folderName, response: folderView }),
  deleteFolder: contract({ params: folderParams, response: noContent }),
  folder: contract({
    params: folderParams,
    response: z.object({ folder: folderView, documents: z.array(recordDocumentView) }),
  }),
  fileDocument: contract({ params: folderDocParams, response: noContent }),
  unfileDocument: contract({ params: folderDocParams, response: noContent }),
  pins: contract({ params: patientParams, response: z.object({ documents: z.array(recordDocumentView) }) }),
  pin: contract({ params: patientDocParams, response: noContent }),
  unpin: contract({ params: patientDocParams, response: noContent }),
  depositPhotos: contract({ params: patientParams, multipart, response: recordDocumentView, status: 201 }),
};
