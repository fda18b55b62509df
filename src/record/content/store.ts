import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../config/index.ts';
import type { PatientId } from '../../identity/index.ts';
import { CarnetError } from '../../shared/errors.ts';
import type { ContentFormat, DocumentId } from '../document.ts';
import { openContent, sealContent } from './blob.ts';

export { BLOB_FORMAT_VERSION as contentFormatVersion } from './blob.ts';

export interface StoredContent {
  hash: string;
  size: number;
  contentType: ContentFormat;
}

export interface ContentStore {
  /** Encrypts, writes a temp file, fsyncs it, renames it, fsyncs the folder: durable before the row is committed. */
  put(patientId: PatientId, documentId: DocumentId, bytes: Uint8Array): Promise<void>;
  /** Decrypts and checks the SHA-256; throws CarnetError('internal', 'content-corrupt' | 'content-missing') otherwise. */
  get(patientId: PatientId, documentId: DocumentId, expectedHash: string): Promise<Buffer>;
  /** Best-effort removal of a file whose metadata row was never committed (failed transaction). */
  discard(patientId: PatientId, documentId: DocumentId): Promise<void>;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

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

/** `folder` under the data dir: `documents` for the record, `messages` for MSSanté attachments (same format). */
export function createContentStore(
  config: Config,
  folder: 'documents' | 'messages' = 'documents',
): ContentStore {
  const root = path.join(config.dataDir, folder);
  const keys = [config.documentKey];
  const fileOf = (patientId: string, documentId: string) =>
    path.join(root, segment(patientId), `${segment(documentId)}.bin`);

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
        throw new CarnetError(
          'internal',
          'content-missing',
          'Le contenu de ce document est introuvable. L’incident est signalé.',
        );
      }
      const opened = openContent(keys, patientId, documentId, blob);
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
    },

    async discard(patientId, documentId) {
      await rm(fileOf(patientId, documentId), { force: true });
    },
  };
}
