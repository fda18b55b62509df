/** Tables of the Assurance Maladie feed (src/insurer). */
export interface InsurerTables {
  insurer_care: InsurerCareTable;
  insurer_ald: InsurerAldTable;
  insurer_imports: InsurerImportsTable;
  insurer_import_rejects: InsurerImportRejectsTable;
}

/** One reimbursed care line of "Mon histoire de santé". */
export interface InsurerCareTable {
  patient_id: string;
  id: string;
  source_ref: string;
  /** YYYY-MM-DD. */
  care_date: string;
  category: string;
  /** sealText of the JSON of the label, professional and amount. */
  sealed: string;
  import_id: string;
  created_at: string;
  /**
   * The insurer's nature of the service (src/insurer/feed/format.ts `careNatures`); null for lines imported before
   * it was kept.
   */
  nature?: string | null;
  /** `8` + the RPPS of the professional who performed it, when the line names one. */
  executant_national_id?: string | null;
}

/** A period of long-term illness (ALD) the insurer recognises for a person. */
export interface InsurerAldTable {
  patient_id: string;
  id: string;
  source_ref: string;
  /** YYYY-MM-DD. */
  start_date: string;
  /** YYYY-MM-DD, last day included; null: no end. */
  end_date: string | null;
  import_id: string;
  created_at: string;
}

/** One run of `carnet import-insurer`, its checkpoint and counters (committed with each batch). */
export interface InsurerImportsTable {
  id: string;
  file_name: string;
  file_sha256: string;
  file_size: number | string;
  byte_offset: number | string;
  line_number: number;
  records: number;
  care_added: number;
  vaccinations_added: number;
  attestations_added: number;
  ald_added?: number;
  duplicates: number;
  rejected: number;
  started_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface InsurerImportRejectsTable {
  import_id: string;
  line: number;
  reason: string;
}
