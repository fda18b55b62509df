/** Tables of the patient's connected services (src/connections): grants, authorization codes, tokens. */
export interface AppGrantsTable {
  patient_id: string;
  id: string;
  service_id: string;
  client_id: string;
  /** JSON array of purpose codes the patient consented to. */
  purposes: string;
  /**
   * Space-separated SMART data scopes granted, exactly as the app asked for them within the consented purposes
   * (`patient/Observation.c` stays create only): what the app's tokens carry and the policy enforces.
   */
  data_scopes: string;
  /** Space-separated scopes without health data the app asked for (launch/patient, offline_access…). */
  context_scopes: string;
  /** The signed-in person who consented: the patient, or a minor's legal representative. */
  granted_by: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

/** Keyed by the code's hash: the token endpoint knows only the code (one-use, minutes long). */
export interface AppCodesTable {
  code_hash: string;
  patient_id: string;
  grant_id: string;
  client_id: string;
  redirect_uri: string;
  code_challenge: string;
  expires_at: string;
  used_at: string | null;
}

/** Keyed by the token's hash: a bearer call knows only the token. */
export interface AppTokensTable {
  token_hash: string;
  patient_id: string;
  grant_id: string;
  kind: 'access' | 'refresh';
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface ConnectionTables {
  app_grants: AppGrantsTable;
  app_codes: AppCodesTable;
  app_tokens: AppTokensTable;
}
