import { randomUUID } from 'node:crypto';
import type { AppContext } from '../app/index.ts';
import { visibleDocumentsWhere, type Principal } from '../access/index.ts';
import { appendAudit, type AuditDetail } from '../audit/index.ts';
import type { PatientId } from '../identity/index.ts';
import { notFound } from '../shared/index.ts';
import { openField, sealField, type Executor } from '../storage/index.ts';
import {
  documentNotFound,
  inRecordTransaction,
  openDocument,
  openRecord,
  Refusal,
  toRecordDocument,
  trace,
  type DocumentId,
  type GuardedRecord,
  type RecordDocument,
} from '../guard/index.ts';
import {
  byFolderName,
  checkFolderRoom,
  checkNameFree,
  checkPinRoom,
  folderName,
  pinnedFirst,
} from './folder-rules.ts';

/**
 * Personal folders and pinned documents: the patient's own organisation of their record, shared by the patient
 * and the legal representatives of a minor, never shown to a professional or a connected app. Opened with the
 * record action `manage-settings`, which only the patient's side holds. A folder holds links: deleting it, or
 * removing a document from it, never touches a document. What a folder lists is what the reader may see (a
 * document later made invisible to them, or deleted, drops out of it).
 */

export interface PatientFolder {
  readonly id: string;
  readonly name: string;
  /** The documents filed in it that the reader may see, newest deposit first. */
  readonly documentIds: readonly DocumentId[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface Organisation {
  readonly folders: readonly PatientFolder[];
  /** The pinned documents the reader may see, most recently pinned first. */
  readonly pinnedIds: readonly DocumentId[];
}

type Keys = Parameters<typeof sealField>[0];
const namePlace = (folderId: string) => `folder:${folderId}`;
const folderNotFound = () => notFound('folder-not-found', 'Ce dossier n’existe pas ou a été supprimé.');

async function note(
  opened: GuardedRecord,
  now: Date,
  detail: AuditDetail,
  target: { type: 'List' | 'DocumentReference'; id: string },
) {
  await appendAudit(
    opened.db,
    trace(opened.principal, opened.patientId, 'organise', 'success', {
      targetType: target.type,
      targetId: target.id,
      detail,
    }),
    now,
  );
}

/** The reader's visible, current documents among `ids`' query (a subquery on the patient's links). */
function visibleDocuments(db: Executor, opened: GuardedRecord) {
  const visible = visibleDocumentsWhere(opened.principal, opened.record.context);
  return db
    .selectFrom('documents')
    .where('documents.patient_id', '=', opened.patientId)
    .where('documents.status', '=', 'current')
    .where(visible);
}

async function folderRows(keys: Keys, db: Executor, patientId: PatientId) {
  const rows = await db
    .selectFrom('patient_folders')
    .selectAll()
    .where('patient_id', '=', patientId)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: openField(keys, row.patient_id, namePlace(row.id), row.sealed_name),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
}

async function readOrganisation(keys: Keys, db: Executor, opened: GuardedRecord): Promise<Organisation> {
  const { patientId } = opened;
  const folders = await folderRows(keys, db, patientId);
  // The policy's predicate names the documents' columns unqualified: the links are read apart, not joined.
  const links = await db
    .selectFrom('patient_folder_documents')
    .select(['folder_id', 'document_id'])
    .where('patient_id', '=', patientId)
    .execute();
  const pins = await db
    .selectFrom('patient_pins')
    .select(['document_id', 'pinned_at'])
    .where('patient_id', '=', patientId)
    .orderBy('pinned_at', 'desc')
    .execute();
  const linked = [...new Set([...links.map((l) => l.document_id), ...pins.map((p) => p.document_id)])];
  const visible =
    linked.length === 0
      ? []
      : await visibleDocuments(db, opened)
          .where('documents.id', 'in', linked)
          .select('documents.id')
          .orderBy('documents.deposited_at', 'desc')
          .orderBy('documents.id', 'desc')
          .execute();
  const filed = visible.flatMap((doc) =>
    links.filter((l) => l.document_id === doc.id).map((l) => ({ folder_id: l.folder_id, id: doc.id })),
  );
  const seen = new Set(visible.map((doc) => doc.id));
  return {
    folders: byFolderName(folders).map((folder) => ({
      ...folder,
      documentIds: filed.filter((f) => f.folder_id === folder.id).map((f) => f.id as DocumentId),
    })),
    pinnedIds: pins.filter((p) => seen.has(p.document_id)).map((p) => p.document_id as DocumentId),
  };
}

/** The patient's folders (with what each holds) and pinned documents. */
export async function readFolders(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
): Promise<Organisation> {
  const now = ctx.clock.now();
  return inRecordTransaction(ctx, async (trx) => {
    const opened = await openRecord(trx, principal, patientId, 'manage-settings', 'organise', now);
    if (opened instanceof Refusal) return opened;
    return readOrganisation(ctx.config, trx, opened);
  });
}

async function findFolder(keys: Keys, db: Executor, patientId: PatientId, folderId: string) {
  const folder = (await folderRows(keys, db, patientId)).find((f) => f.id === folderId);
  if (!folder) throw folderNotFound();
  return folder;
}

/** Creates a folder; its name is refused when empty, too long or the name of another of the patient's folders. */
export async function createFolder(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  rawName: unknown,
): Promise<PatientFolder> {
  const name = folderName(rawName);
  const now = ctx.clock.now();
  return inRecordTransaction(ctx, async (trx) => {
    const opened = await openRecord(trx, principal, patientId, 'manage-settings', 'organise', now);
    if (opened instanceof Refusal) return opened;
    const folders = await folderRows(ctx.config, trx, patientId);
    checkFolderRoom(folders.length);
    checkNameFree(name, folders);
    const id = randomUUID();
    const at = now.toISOString();
    await trx
      .insertInto('patient_folders')
      .values({
        patient_id: patientId,
        id,
        sealed_name: sealField(ctx.config, patientId, namePlace(id), name),
        created_at: at,
        updated_at: at,
      })
      .execute();
    await note(opened, now, { operation: 'folder-create' }, { type: 'List', id });
    return { id, name, documentIds: [], createdAt: at, updatedAt: at };
  });
}

export async function renameFolder(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  folderId: string,
  rawName: unknown,
): Promise<PatientFolder> {
  const name = folderName(rawName);
  const now = ctx.clock.now();
  return inRecordTransaction(ctx, async (trx) => {
    const opened = await openRecord(trx, principal, patientId, 'manage-settings', 'organise', now);
    if (opened instanceof Refusal) return opened;
    const folders = await folderRows(ctx.config, trx, patientId);
    if (!folders.some((f) => f.id === folderId)) throw folderNotFound();
    checkNameFree(
      name,
      folders.filter((f) => f.id !== folderId),
    );
    await trx
      .updateTable('patient_folders')
      .set({
        sealed_name: sealField(ctx.config, patientId, namePlace(folderId), name),
        updated_at: now.toISOString(),
      })
      .where('patient_id', '=', patientId)
      .where('id', '=', folderId)
      .execute();
    await note(opened, now, { operation: 'folder-rename' }, { type: 'List', id: folderId });
    const found = (await readOrganisation(ctx.config, trx, opened)).folders.find((f) => f.id === folderId);
    return found!;
  });
}

/** Deletes a folder and its links; the documents it held stay in the record, untouched. */
export async function deleteFolder(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  folderId: string,
): Promise<void> {
  const now = ctx.clock.now();
  await inRecordTransaction(ctx, async (trx) => {
    const opened = await openRecord(trx, principal, patientId, 'manage-settings', 'organise', now);
    if (opened instanceof Refusal) return opened;
    await findFolder(ctx.config, trx, patientId, folderId);
    await trx
      .deleteFrom('patient_folder_documents')
      .where('patient_id', '=', patientId)
      .where('folder_id', '=', folderId)
      .execute();
    await trx
      .deleteFrom('patient_folders')
      .where('patient_id', '=', patientId)
      .where('id', '=', folderId)
      .execute();
    await note(opened, now, { operation: 'folder-delete' }, { type: 'List', id: folderId });
    return undefined;
  });
}

/** One folder and the documents in it the reader may see, newest deposit first. */
export async function readFolder(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  folderId: string,
): Promise<{ folder: PatientFolder; documents: RecordDocument[] }> {
  const now = ctx.clock.now();
  return inRecordTransaction(ctx, async (trx) => {
    const opened = await openRecord(trx, principal, patientId, 'manage-settings', 'organise', now);
    if (opened instanceof Refusal) return opened;
    const folder = await findFolder(ctx.config, trx, patientId, folderId);
    const rows = await visibleDocuments(trx, opened)
      .where('documents.id', 'in', (eb) =>
        eb
          .selectFrom('patient_folder_documents')
          .select('patient_folder_documents.document_id')
          .where('patient_folder_documents.patient_id', '=', patientId)
          .where('patient_folder_documents.folder_id', '=', folderId),
      )
      .selectAll('documents')
      .orderBy('documents.deposited_at', 'desc')
      .orderBy('documents.id', 'desc')
      .execute();
    const documents = rows.map((row) => toRecordDocument(ctx.config, row));
    // Listing a folder is a search of the record, traced as the list is.
    await appendAudit(
      trx,
      trace(principal, patientId, 'search', 'success', {
        targetType: 'List',
        targetId: folderId,
        detail: { total: documents.length, returned: documents.length, folder: true },
      }),
      now,
    );
    return { folder: { ...folder, documentIds: documents.map((d) => d.id) }, documents };
  });
}

/** The pinned documents the reader may see, most recently pinned first. */
export async function readPinnedDocuments(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
): Promise<RecordDocument[]> {
  const now = ctx.clock.now();
  return inRecordTransaction(ctx, async (trx) => {
    const opened = await openRecord(trx, principal, patientId, 'manage-settings', 'organise', now);
    if (opened instanceof Refusal) return opened;
    const pins = await trx
      .selectFrom('patient_pins')
      .select(['document_id', 'pinned_at'])
      .where('patient_id', '=', patientId)
      .execute();
    if (pins.length === 0) return [];
    const rows = await visibleDocuments(trx, opened)
      .where(
        'documents.id',
        'in',
        pins.map((p) => p.document_id),
      )
      .selectAll('documents')
      .execute();
    const pinnedAt = new Map(pins.map((p) => [p.document_id, p.pinned_at]));
    const documents = pinnedFirst(
      rows.map((row) => toRecordDocument(ctx.config, row)),
      pinnedAt,
    );
    await appendAudit(
      trx,
      trace(principal, patientId, 'search', 'success', {
        targetType: 'Patient',
        targetId: patientId,
        detail: { total: documents.length, returned: documents.length, pinned: true },
      }),
      now,
    );
    return documents;
  });
}

/**
 * The document to file or pin: one of this record the reader may see (anything else is "not found", as reading
 * it would be).
 */
async function checkDocumentToOrganise(
  ctx: AppContext,
  trx: Executor,
  principal: Principal,
  patientId: PatientId,
  documentId: DocumentId,
  now: Date,
): Promise<Refusal | undefined> {
  const doc = await openDocument(ctx.config, trx, principal, documentId, 'organise', now);
  if (doc instanceof Refusal) return doc;
  if (doc.patientId !== patientId || doc.doc.status !== 'current') throw documentNotFound();
  return undefined;
}

export type FolderChange = 'file' | 'unfile';

/** Files a document in a folder (again: nothing changes), or takes it out (the document stays in the record). */
export async function changeFolderDocument(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  folderId: string,
  documentId: DocumentId,
  change: FolderChange,
): Promise<void> {
  const now = ctx.clock.now();
  await inRecordTransaction(ctx, async (trx) => {
    const opened = await openRecord(trx, principal, patientId, 'manage-settings', 'organise', now);
    if (opened instanceof Refusal) return opened;
    const refused = await checkDocumentToOrganise(ctx, trx, principal, patientId, documentId, now);
    if (refused) return refused;
    await findFolder(ctx.config, trx, patientId, folderId);
    const link = { patient_id: patientId, folder_id: folderId, document_id: documentId };
    if (change === 'file') {
      const added = await trx
        .insertInto('patient_folder_documents')
        .values({ ...link, added_at: now.toISOString() })
        .onConflict((oc) => oc.columns(['patient_id', 'folder_id', 'document_id']).doNothing())
        .executeTakeFirst();
      if (Number(added.numInsertedOrUpdatedRows ?? 0) === 0) return undefined;
    } else {
      const removed = await trx
        .deleteFrom('patient_folder_documents')
        .where('patient_id', '=', patientId)
        .where('folder_id', '=', folderId)
        .where('document_id', '=', documentId)
        .executeTakeFirst();
      if (Number(removed.numDeletedRows) === 0) return undefined;
    }
    await note(
      opened,
      now,
      { operation: change, folder: folderId },
      { type: 'DocumentReference', id: documentId },
    );
    return undefined;
  });
}

/** Pins a document (again: nothing changes) or unpins it. */
export async function changePin(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  documentId: DocumentId,
  pinned: boolean,
): Promise<void> {
  const now = ctx.clock.now();
  await inRecordTransaction(ctx, async (trx) => {
    const opened = await openRecord(trx, principal, patientId, 'manage-settings', 'organise', now);
    if (opened instanceof Refusal) return opened;
    const refused = await checkDocumentToOrganise(ctx, trx, principal, patientId, documentId, now);
    if (refused) return refused;
    const existing = await trx
      .selectFrom('patient_pins')
      .select('document_id')
      .where('patient_id', '=', patientId)
      .execute();
    const has = existing.some((p) => p.document_id === documentId);
    if (has === pinned) return undefined;
    if (pinned) {
      checkPinRoom(existing.length);
      await trx
        .insertInto('patient_pins')
        .values({ patient_id: patientId, document_id: documentId, pinned_at: now.toISOString() })
        .execute();
    } else {
      await trx
        .deleteFrom('patient_pins')
        .where('patient_id', '=', patientId)
        .where('document_id', '=', documentId)
        .execute();
    }
    await note(
      opened,
      now,
      { operation: pinned ? 'pin' : 'unpin' },
      { type: 'DocumentReference', id: documentId },
    );
    return undefined;
  });
}
