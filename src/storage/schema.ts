import type { MedicalProfileTables } from './schema-medical-profile.ts';
import type { InsurerTables } from './schema-insurer.ts';
import type { AgendaTables } from './schema-agenda.ts';
import type { CatalogueTables } from './schema-catalogue.ts';
import type { ConnectionTables } from './schema-connections.ts';
import type { AccessTables } from './schema-access.ts';
import type { FolderTables } from './schema-folders.ts';

/**
 * Table shapes, shared by SQLite and PostgreSQL. Conventions chosen to behave the same on both:
 * ids are text (UUIDv7), instants are ISO-8601 UTC text (they sort as text), booleans are 0/1 integers,
 * structured values are JSON text. Every table holding a patient's data carries `patient_id`
 * (the distribution key for a sharded PostgreSQL).
 */

export type ProfileState = 'created' | 'opposed' | 'activated' | 'closed';

export interface PatientsTable {
  id: string;
  ins: string;
  ins_oid: string;
  birth_name: string;
  used_name: string | null;
  first_names: string;
  birth_date: string;
  sex: 'male' | 'female';
  birth_place_insee: string | null;
  email: string | null;
  phone: string | null;
  vitale_serial: string | null;
  profile_state: ProfileState;
  state_changed_at: string;
  deletion_requested: number;
  created_at: string;
  updated_at: string;
}

/** A minor's legal representatives, as known to the Assurance Maladie. */
export interface RepresentativesTable {
  patient_id: string;
  representative_ins: string;
  representative_patient_id: string | null;
  created_at: string;
}

export interface OppositionsTable {
  patient_id: string;
  proof_token: string;
  opposed_at: string;
}

export interface ActivationCodesTable {
  id: string;
  patient_id: string;
  code_hash: string;
  issued_at: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
  attempts: number;
}

export interface AccountsTable {
  id: string;
  patient_id: string;
  login: string;
  password_hash: string;
  created_at: string;
  updated_at: string;
}

/** Who holds each login: unique across patients, so keyed by the login rather than by the patient. */
export interface AccountLoginsTable {
  login: string;
  patient_id: string;
}

export interface LoginChallengesTable {
  id: string;
  patient_id: string;
  account_id: string;
  code_hash: string;
  expires_at: string;
  attempts: number;
  consumed_at: string | null;
  created_at: string;
  /** When the code in force was sent (null: at `created_at`); « Renvoyer le code » waits a minute after it. */
  sent_at: string | null;
  /** How many times a fresh code replaced the first one. */
  resends: number;
}

/** A « mot de passe oublié » request that matched an activated account; the code is a keyed hash. */
export interface PasswordResetsTable {
  patient_id: string;
  id: string;
  account_id: string;
  code_hash: string;
  created_at: string;
  expires_at: string;
  attempts: number;
  used_at: string | null;
  /** Set when a newer request or a completed reset replaced this one. */
  revoked_at: string | null;
}

export interface SessionsTable {
  id: string;
  /** `patient` sessions carry the account's patient; `professional` sessions carry the professional. */
  kind: 'patient' | 'professional';
  patient_id: string | null;
  professional_id: string | null;
  data: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface RateLimitsTable {
  bucket: string;
  window_start: string;
  hits: number;
}

export interface StructuresTable {
  id: string;
  /** `1` + FINESS or `3` + SIRET, system 1.2.250.1.71.4.2.2. */
  national_id: string;
  name: string;
  kind: string;
  created_at: string;
}

export interface ProfessionalsTable {
  id: string;
  national_id: string;
  rpps: string | null;
  family_name: string;
  given_name: string;
  profession_code: string;
  specialty_code: string | null;
  mssante_address: string | null;
  structure_id: string | null;
  created_at: string;
  updated_at: string;
}

/** One MSSanté conversation of a patient, opened by a professional (root Message-ID). */
export interface MssThreadsTable {
  patient_id: string;
  id: string;
  root_message_id: string;
  subject: string;
  professional_address: string;
  professional_name: string | null;
  opened_at: string;
  last_message_at: string;
  closed_at: string | null;
  closed_by_address: string | null;
  closed_by_name: string | null;
}

/** One message of a patient's mailbox, received or sent; JSON lists as text. */
export interface MssMessagesTable {
  patient_id: string;
  id: string;
  thread_id: string;
  message_id: string;
  in_reply_to: string | null;
  references_json: string;
  direction: 'inbound' | 'outbound';
  from_address: string;
  from_name: string | null;
  to_json: string;
  cc_json: string;
  subject: string;
  body_text: string;
  mss_headers_json: string;
  sent_at: string;
  received_at: string;
  read_at: string | null;
  dedupe_key: string;
}

/** An attachment of a message; its bytes are encrypted under `$CARNET_DATA_DIR/messages/<patient>/<id>.bin`. */
export interface MssAttachmentsTable {
  patient_id: string;
  id: string;
  message_row_id: string;
  position: number;
  filename: string;
  declared_type: string;
  content_type: string;
  kind: string;
  size: number;
  content_hash: string;
  from_xdm: string | null;
  filed_document_id: string | null;
  created_at: string;
}

/**
 * Outgoing e-mail, written in the transaction that decides to send it, drained by the mail worker. Recipient,
 * subject and body (or raw MIME and envelope) are in `sealed`, encrypted; once sent or abandoned only the
 * metadata below stays.
 */
export interface OutboxTable {
  id: string;
  patient_id: string | null;
  /** `activation-code`, `sign-in-code`, `password-reset-code`, `notice`, `mss-reply`, `dsn` (src/mail/outbox.ts `EmailKind`). */
  kind: string;
  recipient_domain: string;
  /** With its angle brackets; null for a raw message without one. */
  message_id: string | null;
  /** The sealed payload while the e-mail waits; null once sent or abandoned. */
  sealed: string | null;
  created_at: string;
  not_before: string;
  sent_at: string | null;
  attempts: number;
  last_error: string | null;
  locked_until: string | null;
  /**
   * While the e-mail waits unclaimed, what later notices of the same kind join it by (e.g. new documents of
   * one patient for one recipient); cleared when the worker claims it. Unique when set.
   */
  coalesce_key: string | null;
}

/** Persistent state of the embedded development identity provider (oidc-provider adapter). */
export interface OidcStoreTable {
  id: string;
  model: string;
  payload: string;
  grant_id: string | null;
  user_code: string | null;
  uid: string | null;
  expires_at: string | null;
}

/** Signing keys (JWKS) generated once and shared by every server instance. */
export interface ServerKeysTable {
  name: string;
  jwks: string;
  created_at: string;
}

export interface ImportRunsTable {
  id: string;
  source: string;
  file_name: string;
  started_at: string;
  finished_at: string | null;
  accepted: number;
  rejected: number;
}

export interface DocumentsTable {
  patient_id: string;
  id: string;
  master_identifier: string;
  type_code: string;
  type_system: string;
  type_display: string;
  class_code: string;
  /** The title, sealed (src/record/document-row.ts `sealTitle`). */
  sealed_title: string;
  author_kind: string;
  author_national_id: string | null;
  author_patient_id: string | null;
  author_name: string;
  author_profession_code: string | null;
  author_specialty_code: string | null;
  author_structure_national_id: string | null;
  author_structure_name: string | null;
  created_at: string;
  service_start: string | null;
  service_end: string | null;
  deposited_at: string;
  status: string;
  masked_ps: number;
  invisible_patient: number;
  invisible_representatives: number;
  content_hash: string;
  content_size: number;
  content_type: string;
  replaces_id: string | null;
  /** The `submission_sets` row (List id) this version was submitted in. */
  submission_set_id: string | null;
  updated_at: string;
  author_given_name: string | null;
  author_family_name: string | null;
  /** The names as FHIR string search compares them (src/record/search-text.ts). */
  author_given_search: string | null;
  author_family_search: string | null;
  format_system: string | null;
  format_code: string | null;
  facility_system: string | null;
  facility_code: string | null;
  setting_system: string | null;
  setting_code: string | null;
  language: string | null;
  /**
   * Base64 SHA-1 of the plain content (PDSm `attachment.hash`); null for documents stored before Carnet computed it.
   */
  content_sha1: string | null;
  /** HL7 confidentiality level: N, R or V. */
  confidentiality_code: string;
  /** Sealed JSON of the metadata that is not searched (src/record/document-row.ts). */
  sealed_metadata: string | null;
  /**
   * The `mss_messages` row a patient filed this document from: the author is the sending professional, the
   * deposit is the patient's. Null for every other document.
   */
  filed_from_message: string | null;
}

/** Keyed digests of a document's event codes, per patient: `event=` is searchable, the codes stay sealed. */
export interface DocumentEventTokensTable {
  patient_id: string;
  document_id: string;
  token: string;
}

/**
 * The blind index of free-text search (src/guard/search-index.ts): keyed digests of the word prefixes of a
 * document's title, type, author, structure, facility, setting and dates, bound to the patient.
 */
export interface DocumentSearchTokensTable {
  patient_id: string;
  token: string;
  document_id: string;
}

/** When a professional first opened a document of a record (« pas encore ouvert par moi »). */
export interface ProfessionalOpeningsTable {
  patient_id: string;
  national_id: string;
  document_id: string;
  opened_at: string;
}

/** `context.related` identifiers of a document (XDS referenceIdList). */
export interface DocumentRelatedIdsTable {
  patient_id: string;
  document_id: string;
  /** Its rank among the document's identifiers (from 0): the system may be absent, so it cannot be the key. */
  position: number;
  system: string | null;
  value: string;
}

/** One ITI-65 submission (XDS SubmissionSet, FHIR `List`); its documents point at it. */
export interface SubmissionSetsTable {
  patient_id: string;
  id: string;
  master_identifier: string;
  source_id: string | null;
  submitted_at: string;
  author_national_id: string | null;
  content_type_system: string | null;
  content_type_code: string | null;
  status: string;
  sealed_detail: string | null;
}

/** The patient's choices about their record (docs/access.md); a missing row means the defaults. */
export interface RecordSettingsTable {
  patient_id: string;
  mask_new_documents: number;
  allow_bris_de_glace: number;
  allow_regulation: number;
  allow_masked_in_emergency: number;
  updated_at: string;
}

/** Each professional who deposited in or consulted a record, and what the patient decided about them. */
export interface RecordProfessionalsTable {
  patient_id: string;
  national_id: string;
  professional_id: string | null;
  name: string;
  profession_code: string | null;
  blocked: number;
  administrator: number;
  consent_at: string | null;
  first_access_at: string | null;
  last_access_at: string | null;
  /** The last access of the visit before the current one (src/record/visits.ts): « nouveau depuis ma visite ». */
  previous_visit_at: string | null;
  updated_at: string;
}

/** When a reader on the patient's side (the patient, a representative) first opened a document: after, not « Nouveau ». */
export interface DocumentOpeningsTable {
  patient_id: string;
  document_id: string;
  /** The signed-in person's patient id. */
  reader_id: string;
  opened_at: string;
}

/** Append-only, hash-chained traces; one chain per patient (`patient:<id>`), plus `system`. */
export interface AuditEventsTable {
  chain: string;
  seq: number;
  id: string;
  patient_id: string | null;
  at: string;
  actor_kind: string;
  actor_id: string | null;
  actor_name: string | null;
  actor_profession: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  access_mode: string;
  outcome: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadsTable {
  chain: string;
  seq: number;
  hash: string;
}

/** Sealed contents on PostgreSQL (src/record/content/store.ts); unused on SQLite, whose contents are files. */
export interface ContentBlobsTable {
  patient_id: string;
  kind: 'documents' | 'messages';
  content_id: string;
  sealed: Buffer;
}

export interface Database
  extends
    MedicalProfileTables,
    InsurerTables,
    AgendaTables,
    CatalogueTables,
    ConnectionTables,
    AccessTables,
    FolderTables {
  documents: DocumentsTable;
  document_event_tokens: DocumentEventTokensTable;
  document_related_ids: DocumentRelatedIdsTable;
  document_search_tokens: DocumentSearchTokensTable;
  professional_openings: ProfessionalOpeningsTable;
  submission_sets: SubmissionSetsTable;
  record_settings: RecordSettingsTable;
  record_professionals: RecordProfessionalsTable;
  document_openings: DocumentOpeningsTable;
  audit_events: AuditEventsTable;
  audit_heads: AuditHeadsTable;
  patients: PatientsTable;
  representatives: RepresentativesTable;
  oppositions: OppositionsTable;
  activation_codes: ActivationCodesTable;
  accounts: AccountsTable;
  account_logins: AccountLoginsTable;
  login_challenges: LoginChallengesTable;
  password_resets: PasswordResetsTable;
  sessions: SessionsTable;
  rate_limits: RateLimitsTable;
  structures: StructuresTable;
  professionals: ProfessionalsTable;
  outbox: OutboxTable;
  mss_threads: MssThreadsTable;
  mss_messages: MssMessagesTable;
  mss_attachments: MssAttachmentsTable;
  oidc_store: OidcStoreTable;
  server_keys: ServerKeysTable;
  import_runs: ImportRunsTable;
  content_blobs: ContentBlobsTable;
  schema_migrations: { name: string; applied_at: string };
}
