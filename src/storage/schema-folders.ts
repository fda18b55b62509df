/** The patient's own organisation of their record (src/record/folders.ts): personal folders and pins. */

/** A personal folder. Its name is personal data (« Cancer du sein », « Grossesse »): sealed like a title. */
export interface PatientFoldersTable {
  patient_id: string;
  id: string;
  /** `sealField` under `folder:<id>`. */
  sealed_name: string;
  created_at: string;
  updated_at: string;
}

/** A document filed in a folder; a document may be in several folders or none. */
export interface PatientFolderDocumentsTable {
  patient_id: string;
  folder_id: string;
  document_id: string;
  added_at: string;
}

/** A document the patient pinned: shown first in their list. */
export interface PatientPinsTable {
  patient_id: string;
  document_id: string;
  pinned_at: string;
}

export interface FolderTables {
  patient_folders: PatientFoldersTable;
  patient_folder_documents: PatientFolderDocumentsTable;
  patient_pins: PatientPinsTable;
}
