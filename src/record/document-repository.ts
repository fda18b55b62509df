import type { PatientId } from '../identity/index.ts';
import type { Executor } from '../storage/index.ts';
import type { ConfidentialityFlag, DocumentId, DocumentStatus, RecordDocument } from './document.ts';
import { flagColumns, toDocumentRow, toRecordDocument } from './document-row.ts';

/** SQL of the documents table only; every rule lives in the services. */
export async function findDocumentById(db: Executor, id: string): Promise<RecordDocument | undefined> {
  const row = await db.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toRecordDocument(row) : undefined;
}

/** Master identifiers among `candidates` already used in this patient's record. */
export async function usedMasterIdentifiers(
  db: Executor,
  patientId: PatientId,
  candidates: readonly string[],
): Promise<string[]> {
  if (candidates.length === 0) return [];
  const rows = await db
    .selectFrom('documents')
    .select('master_identifier')
    .where('master_identifier', 'in', candidates)
    .where('patient_id', '=', patientId)
    .execute();
  return rows.map((r) => r.master_identifier);
}

export async function findDocumentsByIdentifier(db: Executor, identifier: string): Promise<RecordDocument[]> {
  const rows = await db
    .selectFrom('documents')
    .selectAll()
    .where('master_identifier', '=', identifier)
    .limit(50)
    .execute();
  return rows.map(toRecordDocument);
}

export async function insertDocuments(db: Executor, docs: readonly RecordDocument[], now: string) {
  if (docs.length === 0) return;
  await db
    .insertInto('documents')
    .values(docs.map((d) => toDocumentRow(d, now)))
    .execute();
}

export async function setDocumentStatus(
  db: Executor,
  doc: RecordDocument,
  status: DocumentStatus,
  now: string,
): Promise<void> {
  await db
    .updateTable('documents')
    .set({ status, updated_at: now })
    .where('patient_id', '=', doc.patientId)
    .where('id', '=', doc.id)
    .execute();
}

export async function setDocumentFlags(
  db: Executor,
  doc: RecordDocument,
  flags: readonly ConfidentialityFlag[],
  now: string,
): Promise<void> {
  await db
    .updateTable('documents')
    .set({ ...flagColumns(flags), updated_at: now })
    .where('patient_id', '=', doc.patientId)
    .where('id', '=', doc.id as DocumentId)
    .execute();
}
