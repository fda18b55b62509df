/**
 * The one way in to a patient's data: open it for this principal and this purpose. Each entry point loads the
 * context once, asks `access/` for the decision, writes the refusal's trace in the caller's transaction, and
 * hands the service a guarded handle (the executor and the facts the decision was taken on).
 */
export { openRecord, openDocument, checkDocumentAction, openDocumentSearch } from './record.ts';
export type { GuardedRecord, OpenedDocument, SearchRefusal } from './record.ts';
export { openAgenda, openAppointmentChange } from './agenda.ts';
export { openMailbox, auditMailbox } from './mailbox.ts';
export type { GuardedMailbox } from './mailbox.ts';
export { openExport, traceExport } from './export.ts';
export type { ExportFormat, GuardedExport } from './export.ts';
export { patientTables, type PatientTable } from './patient-tables.ts';
