import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import type { AppContext } from '../../app/index.ts';
import { type Db, openContent, sealContent } from '../../storage/index.ts';
import type { Config } from '../../config/index.ts';
import type { PatientId } from '../../identity/index.ts';
import { CarnetError } from '../../shared/index.ts';
import type { ContentFormat, DocumentId } from '../../guard/index.ts';

export { BLOB_FORMAT_VERSION as contentFormatVersion } from '../../storage/index.ts';

export interface StoredContent {
  hash: string;
  size: number;
  contentType: ContentFormat;
}

/** `documents` for the record, `messages` for MSSanté attachments (same format, separate spaces of ids). */
export type ContentKind = 'documents' | 'messages';

export interface ContentStore {
  /**
   * Encrypts and stores, durably, before the caller commits the row that refers to it; a retry with the same
   * ids replaces the content. A content without a committed row is garbage that `discard` removes.
   */
  put(patientId: PatientId, documentId: DocumentId, bytes: Uint8Array): Promise<void>;
  /** Decrypts and checks the SHA-256; throws CarnetError('internal', 'content-corrupt' | 'content-missing') otherwise. */
  get(patientId: PatientId, documentId: DocumentId, expectedHash: string): Promise<Buffer>;
  /** Best-effort removal of a content whose metadata row was never committed (failed transaction). */
  discard(patientId: PatientId, documentId: DocumentId): Promise<void>;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const missing = () =>
  new CarnetError(
    'internal',
    'content-missing',
    'Le contenu de ce document est introuvable. L’incident est signalé.',
  );

const corrupt = () =>
  new CarnetError(
    'internal',
    'content-corrupt',
    'Le contenu de ce document est illisible ou altéré. L’incident est signalé.',
  );

/** Ids become path segments: refuse anything that could leave the folder. */
function segment(id: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id))
    throw new CarnetError('internal', 'content-bad-id', 'Identifiant invalide.');
  return id;
}

async function fsyncPath(target: string): Promise<void> {
  const handle = await open(target, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Opens a sealed content and checks it against the hash its row recorded. */
export function openStoredContent(
  config: Pick<Config, 'documentKey'>,
  patientId: string,
  documentId: string,
  blob: Buffer,
  expectedHash: string,
): Buffer {
  const opened = openContent([config.documentKey], patientId, documentId, blob);
  if (!opened.ok && opened.problem === 'unknown-key') {
    throw new CarnetError(
      'internal',
      'content-key-unknown',
      'La clé de chiffrement de ce document est absente.',
    );
  }
  if (!opened.ok) throw corrupt();
  if (sha256Hex(opened.plain) !== expectedHash.toLowerCase()) throw corrupt();
  return opened.plain;
}

/**
 * The one place that chooses where contents live. PostgreSQL: in the database (table `content_blobs`), so that
 * every instance sharing it reads what another wrote, with one backup and one durability story. SQLite, which
 * serves one instance: files under the data folder. An object store (S3) would be one more implementation here.
 */
export function createContentStore(
  ctx: Pick<AppContext, 'config' | 'db' | 'dialect'>,
  kind: ContentKind = 'documents',
): ContentStore {
  return ctx.dialect === 'postgres'
    ? createDatabaseContentStore(ctx, kind)
    : createFileContentStore(ctx.config, kind);
}

/**
 * Stores sealed bytes as they are, in a commit of their own with `synchronous_commit` forced on whatever the
 * server's default: durable before the caller commits the row that refers to them. A retry overwrites.
 */
export async function putSealedContent(
  db: Db,
  kind: ContentKind,
  patientId: string,
  contentId: string,
  sealed: Buffer,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`set local synchronous_commit = on`.execute(trx);
    await trx
      .insertInto('content_blobs')
      .values({ patient_id: patientId, kind, content_id: contentId, sealed })
      .onConflict((oc) =>
        oc
          .columns(['patient_id', 'kind', 'content_id'])
          .doUpdateSet((eb) => ({ sealed: eb.ref('excluded.sealed') })),
      )
      .execute();
  });
}

/**
 * PostgreSQL: one row per content. The insert commits on its own, with `synchronous_commit` forced on whatever
 * the server's default, so the content is on disk before the caller's transaction commits the row that refers
 * to it. A retry with the same ids overwrites (the same bytes, sealed anew).
 */
export function createDatabaseContentStore(
  ctx: Pick<AppContext, 'config' | 'db'>,
  kind: ContentKind,
): ContentStore {
  const { config, db } = ctx;
  return {
    async put(patientId, documentId, bytes) {
      const sealed = sealContent(config.documentKey, patientId, documentId, bytes);
      await putSealedContent(db, kind, patientId, documentId, sealed);
    },

    async get(patientId, documentId, expectedHash) {
      const row = await db
        .selectFrom('content_blobs')
        .select('sealed')
        .where('patient_id', '=', patientId)
        .where('kind', '=', kind)
        .where('content_id', '=', documentId)
        .executeTakeFirst();
      if (!row) throw missing();
      return openStoredContent(config, patientId, documentId, row.sealed, expectedHash);
    },

    async discard(patientId, documentId) {
      await db
        .deleteFrom('content_blobs')
        .where('patient_id', '=', patientId)
        .where('kind', '=', kind)
        .where('content_id', '=', documentId)
        .execute();
    },
  };
}

/** Where the file store keeps one content. */
export function contentFile(
  config: Pick<Config, 'dataDir'>,
  kind: ContentKind,
  patientId: string,
  documentId: string,
): string {
  return path.join(config.dataDir, kind, segment(patientId), `${segment(documentId)}.bin`);
}

/** SQLite: `<kind>/<patient>/<id>.bin` under the data folder, written to a temp file, fsynced, renamed. */
export function createFileContentStore(config: Config, kind: ContentKind): ContentStore {
  const root = path.join(config.dataDir, kind);
  const fileOf = (patientId: string, documentId: string) => contentFile(config, kind, patientId, documentId);

  return {
    async put(patientId, documentId, bytes) {
      const target = fileOf(patientId, documentId);
      const folder = path.dirname(target);
      const created = await mkdir(folder, { recursive: true });
      // A new patient folder is itself a new entry of `documents/` (and maybe `documents/` of the data dir).
      if (created !== undefined) {
        await fsyncPath(root);
        if (created === root) await fsyncPath(path.dirname(root));
      }
      const temp = `${target}.tmp-${randomBytes(6).toString('hex')}`;
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(sealContent(config.documentKey, patientId, documentId, bytes));
        await handle.sync();
      } catch (error) {
        await handle.close();
        await rm(temp, { force: true });
        throw error;
      }
      await handle.close();
      await rename(temp, target);
      await fsyncPath(folder);
    },

    async get(patientId, documentId, expectedHash) {
      let blob: Buffer;
      try {
        blob = await readFile(fileOf(patientId, documentId));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        throw missing();
      }
      return openStoredContent(config, patientId, documentId, blob, expectedHash);
    },

    async discard(patientId, documentId) {
      await rm(fileOf(patientId, documentId), { force: true });
    },
  };
}
