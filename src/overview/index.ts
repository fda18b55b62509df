/** The patient's home: what needs their attention (new documents, unread messages, prevention, first accesses). */
export type { PatientOverview } from './overview.ts';
export { patientOverview } from './overview.ts';
export type { PreventionAttention, PreventionReminder } from './attention.ts';
export { DUE_SOON_DAYS, preventionAttention } from './attention.ts';
export type { SpaceSearch } from './search.ts';
export { searchPatientSpace } from './search.ts';
