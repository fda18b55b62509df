import type { ExpressionBuilder } from 'kysely';
import type { Principal } from '../access/index.ts';
import type { PatientId } from '../identity/index.ts';
import type { Database, Executor } from '../storage/index.ts';
import type { DocumentId, RecordDocument } from '../guard/index.ts';

/**
 * « Nouveau »: a document of the record that the reader on the patient's side (the patient, or a legal
 * representative of a minor) has not opened yet (its detail or its content). One they deposited themselves is
 * never new to them. Pure: the openings are read by the caller.
 */
function isNewTo(
  readerId: PatientId,
  doc: Pick<RecordDocument, 'status' | 'author'>,
  opened: boolean,
): boolean {
  if (opened || doc.status !== 'current') return false;
  return !(doc.author.kind === 'patient' && doc.author.patientId === readerId);
}

/**
 * « Pas encore ouvert par moi »: a document the reader never opened (its detail or its content) and did not write.
 * For the patient's side, the « Nouveau » of the patient space (`isNewTo`), current ones only; nobody else keeps
 * openings, so every document is unread to them.
 */
export function unreadBy(
  principal: Principal,
  doc: Pick<RecordDocument, 'status' | 'author'>,
  opened: boolean,
): boolean {
  if (principal.kind === 'patient') return isNewTo(principal.patientId, doc, opened);
  if (opened) return false;
  if (principal.kind === 'professional') return doc.author.nationalId !== principal.nationalId;
  return true;
}

/**
 * Notes the first opening of a document by a person on the patient's side, or by a professional (« pas encore
 * ouvert par moi » in the portal); later ones change nothing.
 */
export async function noteOpening(
  db: Executor,
  principal: Principal,
  doc: Pick<RecordDocument, 'id' | 'patientId'>,
  now: Date,
): Promise<void> {
  if (principal.kind === 'professional') {
    await db
      .insertInto('professional_openings')
      .values({
        patient_id: doc.patientId,
        national_id: principal.nationalId,
        document_id: doc.id,
        opened_at: now.toISOString(),
      })
      .onConflict((oc) => oc.columns(['patient_id', 'national_id', 'document_id']).doNothing())
      .execute();
    return;
  }
  if (principal.kind !== 'patient') return;
  await db
    .insertInto('document_openings')
    .values({
      patient_id: doc.patientId,
      document_id: doc.id,
      reader_id: principal.patientId,
      opened_at: now.toISOString(),
    })
    .onConflict((oc) => oc.columns(['patient_id', 'document_id', 'reader_id']).doNothing())
    .execute();
}

/** Which of `documents` (of one record) the signed-in professional has opened. */
async function documentsOpenedBy(
  db: Executor,
  principal: Principal,
  patientId: PatientId,
  documents: readonly RecordDocument[],
): Promise<Set<DocumentId>> {
  if (principal.kind !== 'professional' || documents.length === 0) return new Set();
  const rows = await db
    .selectFrom('professional_openings')
    .select('document_id')
    .where('patient_id', '=', patientId)
    .where('national_id', '=', principal.nationalId)
    .where(
      'document_id',
      'in',
      documents.map((d) => d.id),
    )
    .execute();
  return new Set(rows.map((r) => r.document_id as DocumentId));
}

/** Which of `documents` (of one record) are new to the signed-in patient; none for anyone else. */
async function documentsNewTo(
  db: Executor,
  principal: Principal,
  patientId: PatientId,
  documents: readonly RecordDocument[],
): Promise<Set<DocumentId>> {
  if (principal.kind !== 'patient' || documents.length === 0) return new Set();
  const rows = await db
    .selectFrom('document_openings')
    .select('document_id')
    .where('patient_id', '=', patientId)
    .where('reader_id', '=', principal.patientId)
    .where(
      'document_id',
      'in',
      documents.map((d) => d.id),
    )
    .execute();
  const opened = new Set(rows.map((r) => r.document_id));
  return new Set(documents.filter((d) => isNewTo(principal.patientId, d, opened.has(d.id))).map((d) => d.id));
}

/** `isNewTo` as SQL over `documents` (same rule), for counting without loading the rows. */
export const newToWhere = (readerId: PatientId) => (eb: ExpressionBuilder<Database, 'documents'>) =>
  eb.and([
    eb('documents.status', '=', 'current'),
    eb.or([
      eb('documents.author_kind', '!=', 'patient'),
      eb('documents.author_patient_id', 'is', null),
      eb('documents.author_patient_id', '!=', readerId),
    ]),
    eb.not(
      eb.exists(
        eb
          .selectFrom('document_openings')
          .select('document_openings.document_id')
          .whereRef('document_openings.patient_id', '=', 'documents.patient_id')
          .whereRef('document_openings.document_id', '=', 'documents.id')
          .where('document_openings.reader_id', '=', readerId),
      ),
    ),
  ]);

/**
 * Which of `documents` (of one record, read in the caller's transaction) are new to the reader: for a
 * professional, neither opened nor written by them (the portal's « Non ouvert »); for the patient or a child's
 * representative, « Nouveau » (`isNewTo`).
 */
export async function newDocumentsFor(
  db: Executor,
  principal: Principal,
  patientId: PatientId,
  documents: readonly RecordDocument[],
): Promise<Set<DocumentId>> {
  if (principal.kind !== 'professional') return documentsNewTo(db, principal, patientId, documents);
  const opened = await documentsOpenedBy(db, principal, patientId, documents);
  return new Set(documents.filter((d) => unreadBy(principal, d, opened.has(d.id))).map((d) => d.id));
}
