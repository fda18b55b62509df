import type { Config } from '../config/index.ts';
import type { PatientId } from '../identity/index.ts';
import type { Executor } from '../storage/index.ts';
import type { ConfidentialityFlag, DocumentId, DocumentStatus, RecordDocument } from './document.ts';
import {
  eventTokenRows,
  flagColumns,
  relatedIdRows,
  toDocumentRow,
  toRecordDocument,
} from './document-row.ts';
import { searchTokenRows, type ContentSearchTexts } from './search-index.ts';

type Keys = Pick<Config, 'documentKey'>;

/** SQL of the documents table only; every rule lives in the services. `config` opens and seals titles. */
export async function findDocumentById(
  config: Keys,
  db: Executor,
  id: string,
): Promise<RecordDocument | undefined> {
  const row = await db.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toRecordDocument(config, row) : undefined;
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

export async function findDocumentsByIdentifier(
  config: Keys,
  db: Executor,
  identifier: string,
): Promise<RecordDocument[]> {
  const rows = await db
    .selectFrom('documents')
    .selectAll()
    .where('master_identifier', '=', identifier)
    .limit(50)
    .execute();
  return rows.map((row) => toRecordDocument(config, row));
}

export async function insertDocuments(
  config: Keys,
  db: Executor,
  docs: readonly RecordDocument[],
  now: string,
  contentTexts?: ContentSearchTexts,
) {
  if (docs.length === 0) return;
  await db
    .insertInto('documents')
    .values(docs.map((d) => toDocumentRow(config, d, now)))
    .execute();
  const tokens = eventTokenRows(config, docs);
  if (tokens.length > 0) await db.insertInto('document_event_tokens').values(tokens).execute();
  const related = relatedIdRows(docs);
  if (related.length > 0) await db.insertInto('document_related_ids').values(related).execute();
  // A hundred rows or so per document: in slices, under SQLite's limit on bound parameters.
  const words = searchTokenRows(config, docs, contentTexts);
  for (let i = 0; i < words.length; i += 500)
    await db
      .insertInto('document_search_tokens')
      .values(words.slice(i, i + 500))
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
