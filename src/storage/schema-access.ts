/** Access facts of one patient's record (src/access, src/record): emergency accesses and authors' masks. */

/**
 * A professional's emergency access to one patient's record, for a bounded time (docs/access.md, "Emergency
 * access").
 */
export interface EmergencyAccessesTable {
  id: string;
  patient_id: string;
  professional_national_id: string;
  /** `bris-de-glace` or `centre-de-regulation`. */
  mode: string;
  /** The reason the professional stated (shown to the patient in their history, never e-mailed). */
  reason: string | null;
  started_at: string;
  ends_at: string;
  /** Set when the professional ends it before `ends_at`. */
  ended_at: string | null;
}

/** A `MASQUE_PS` set by the document's author; a masked document without a row was masked by the patient. */
export interface AuthorMasksTable {
  patient_id: string;
  document_id: string;
  masked_at: string;
}

export interface AccessTables {
  emergency_accesses: EmergencyAccessesTable;
  author_masks: AuthorMasksTable;
}
