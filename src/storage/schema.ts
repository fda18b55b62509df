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

export interface LoginChallengesTable {
  id: string;
  patient_id: string;
  account_id: string;
  code_hash: string;
  expires_at: string;
  attempts: number;
  consumed_at: string | null;
  created_at: string;
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

/** Outgoing e-mail, written in the transaction that decides to send it, drained by the mail worker. */
export interface OutboxTable {
  id: string;
  patient_id: string | null;
  recipient: string;
  subject: string;
  body_text: string;
  created_at: string;
  not_before: string;
  sent_at: string | null;
  attempts: number;
  last_error: string | null;
  locked_until: string | null;
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

export interface Database {
  patients: PatientsTable;
  representatives: RepresentativesTable;
  oppositions: OppositionsTable;
  activation_codes: ActivationCodesTable;
  accounts: AccountsTable;
  login_challenges: LoginChallengesTable;
  sessions: SessionsTable;
  rate_limits: RateLimitsTable;
  structures: StructuresTable;
  professionals: ProfessionalsTable;
  outbox: OutboxTable;
  oidc_store: OidcStoreTable;
  server_keys: ServerKeysTable;
  import_runs: ImportRunsTable;
  kysely_migration: { name: string; timestamp: string };
}
