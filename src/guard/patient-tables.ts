import type { Database } from '../storage/index.ts';

/**
 * The tables that hold a patient's health data or the facts access to it is decided on: a query on one of them
 * runs on an executor the guard handed out, or under one of the named system purposes (see system-purposes.ts).
 * Identity, accounts, sessions, the audit trail and the outbox are not here: they have their own rules.
 */
export const patientTables = [
  'documents',
  'document_event_tokens',
  'document_related_ids',
  'document_search_tokens',
  'submission_sets',
  'record_settings',
  'record_professionals',
  'document_openings',
  'professional_openings',
  'patient_folders',
  'patient_folder_documents',
  'patient_pins',
  'emergency_accesses',
  'author_masks',
  'content_blobs',
  'agenda_events',
  'agenda_prevention_decisions',
  'agenda_reminder_deliveries',
  'profile_entries',
  'profile_masks',
  'insurer_care',
  'insurer_ald',
  'mss_threads',
  'mss_messages',
  'mss_attachments',
] as const satisfies readonly (keyof Database)[];

export type PatientTable = (typeof patientTables)[number];
