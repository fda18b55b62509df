import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DocumentKey } from '../config/index.ts';

/** Layout version, first byte of each file: [version 1][key id 4][IV 12][ciphertext …][GCM tag 16]. */
export const BLOB_FORMAT_VERSION = 1;
const HEADER_BYTES = 1 + 4 + 12;
const TAG_BYTES = 16;

/** Binds the ciphertext to its header and its place: a file copied under another document fails to decrypt. */
function additionalData(header: Buffer, patientId: string, documentId: string): Buffer {
  return Buffer.concat([header, Buffer.from(`carnet:document:${patientId}/${documentId}`, 'utf8')]);
}

export function sealContent(
  key: DocumentKey,
  patientId: string,
  documentId: string,
  plain: Uint8Array,
): Buffer {
  const iv = randomBytes(12);
  const header = Buffer.concat([Buffer.from([BLOB_FORMAT_VERSION]), Buffer.from(key.id, 'hex'), iv]);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(additionalData(header, patientId, documentId));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([header, body, cipher.getAuthTag()]);
}

export type OpenResult =
  | { ok: true; plain: Buffer }
  | { ok: false; problem: 'truncated' | 'version' | 'unknown-key' | 'authentication' };

export function openContent(
  keys: readonly DocumentKey[],
  patientId: string,
  documentId: string,
  blob: Buffer,
): OpenResult {
  if (blob.length < HEADER_BYTES + TAG_BYTES) return { ok: false, problem: 'truncated' };
  if (blob[0] !== BLOB_FORMAT_VERSION) return { ok: false, problem: 'version' };
  const keyId = blob.subarray(1, 5).toString('hex');
  const key = keys.find((k) => k.id === keyId);
  if (!key) return { ok: false, problem: 'unknown-key' };
  const header = blob.subarray(0, HEADER_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key.key, blob.subarray(5, HEADER_BYTES));
  decipher.setAAD(additionalData(header, patientId, documentId));
  decipher.setAuthTag(blob.subarray(blob.length - TAG_BYTES));
  try {
    const plain = Buffer.concat([
      decipher.update(blob.subarray(HEADER_BYTES, blob.length - TAG_BYTES)),
      decipher.final(),
    ]);
    return { ok: true, plain };
  } catch {
    return { ok: false, problem: 'authentication' };
  }
}
