/** Tables of the patient's medical profile (src/medical-profile). */

/**
 * One entry of one section. Only what sorting and idempotence need is plain (section, a code, the effective
 * date, the source); the entry itself is one sealed JSON (`data_sealed`, AES-256-GCM bound to patient and id).
 */
export interface ProfileEntriesTable {
  patient_id: string;
  id: string;
  section: string;
  /** Measurement kind or vaccine code, for per-kind charts and FHIR `code=` searches; null elsewhere. */
  kind: string | null;
  /** YYYY-MM-DD or ISO instant the entry is about (sorting); null when the entry has none. */
  effective_at: string | null;
  source: string;
  /** The source's own id of the entry (unique per patient and source); null for the patient's own entries. */
  source_ref: string | null;
  source_name: string | null;
  data_sealed: string;
  recorded_at: string;
  updated_at: string;
}

/** A profile part (section or 'care-history') the patient masked from professionals; absent = visible. */
export interface ProfileMasksTable {
  patient_id: string;
  area: string;
  masked_at: string;
}

export interface MedicalProfileTables {
  profile_entries: ProfileEntriesTable;
  profile_masks: ProfileMasksTable;
}
