import type { Principal, RecordContext } from '../access/index.ts';
import type { PatientId } from '../identity/index.ts';
import { findInsuredById, isMinorOn, type InsuredPerson } from '../insured/index.ts';
import { notFound } from '../shared/index.ts';
import type { Executor } from '../storage/index.ts';
import { emergencyAccessOn } from './emergency-access.ts';
import { findRecordProfessional, type KnownRecordProfessional } from './professionals-repository.ts';
import { readRecordSettings } from './settings-repository.ts';

export interface LoadedRecord {
  readonly context: RecordContext;
  readonly person: InsuredPerson;
  /**
   * The asking professional's `record_professionals` row as read, and the executor it was read with: a
   * consultation or deposit noted in that same transaction starts from it instead of reading it again.
   */
  readonly professionalRow?: KnownRecordProfessional;
}

export const patientNotFound = () => notFound('patient-not-found', 'Patient introuvable.');

/**
 * The patient, their settings, the asking professional's relation and emergency access to this patient:
 * everything the policy decides on. `known`: the patient as the caller has just read them, for an early check
 * that a later one in the writing transaction confirms.
 */
export async function loadRecord(
  db: Executor,
  patientId: PatientId,
  principal: Principal,
  now: Date,
  known?: InsuredPerson,
): Promise<LoadedRecord> {
  const person = known?.id === patientId ? known : await findInsuredById(db, patientId);
  if (!person) throw patientNotFound();
  const settings = await readRecordSettings(db, patientId);
  const row =
    principal.kind === 'professional'
      ? await findRecordProfessional(db, patientId, principal.nationalId)
      : undefined;
  const context: RecordContext = {
    patientId,
    profileState: person.profileState,
    patientIsMinor: isMinorOn(person, now),
    settings,
    relation: row
      ? {
          blocked: row.blocked === 1,
          administrator: row.administrator === 1,
          consent: row.consent_at !== null,
        }
      : undefined,
  };
  if (principal.kind !== 'professional') return { context, person };
  const emergency = await emergencyAccessOn(db, principal, context, now);
  // Only asked when the relation alone does not open the record: a deposit opens its author's documents only.
  const opened = row !== undefined && (row.consent_at !== null || row.administrator === 1);
  const ownDocuments = !opened && (await authoredDocumentsIn(db, patientId, principal.nationalId));
  return {
    context: { ...context, emergency, ownDocuments },
    person,
    professionalRow: { readWith: db, nationalId: principal.nationalId, row },
  };
}

/** The policy's view of one record for one principal (`now` decides whether the patient is a minor). */
export async function loadRecordContext(
  db: Executor,
  patientId: PatientId,
  principal: Principal,
  now: Date,
): Promise<RecordContext> {
  return (await loadRecord(db, patientId, principal, now)).context;
}

/** Whether a professional is the author of documents of this record that still exist. */
async function authoredDocumentsIn(db: Executor, patientId: PatientId, nationalId: string): Promise<boolean> {
  const row = await db
    .selectFrom('documents')
    .select('id')
    .where('patient_id', '=', patientId)
    .where('author_national_id', '=', nationalId)
    .where('status', '!=', 'deleted')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
