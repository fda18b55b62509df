import { mkdtemp, readdir, readFile, rename, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../config/index.ts';
import type { PatientId } from '../../identity/index.ts';
import { CarnetError, uuidv7 } from '../../shared/index.ts';
import type { DocumentId } from '../../guard/index.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../storage/test-databases.ts';
import { createContentStore, createFileContentStore, sha256Hex, type ContentStore } from './store.ts';
import { makePdf } from './test-files.ts';

const patient = () => uuidv7() as PatientId;
const doc = () => uuidv7() as DocumentId;

async function expectCarnetError(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CarnetError);
  expect((error as CarnetError).code).toBe(code);
  expect((error as CarnetError).status).toBe(500);
}

describe('file content store (SQLite)', () => {
  let dataDir: string;
  let config: Config;
  let store: ContentStore;
  const fileOf = (p: string, d: string) => path.join(dataDir, 'documents', p, `${d}.bin`);

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'carnet-content-'));
    config = loadConfig({ CARNET_DATA_DIR: dataDir });
    store = createFileContentStore(config, 'documents');
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('gives back the exact bytes it was given', async () => {
    const [p, d] = [patient(), doc()];
    const pdf = await makePdf('Compte rendu');
    await store.put(p, d, pdf);
    const back = await store.get(p, d, sha256Hex(pdf));
    expect(Buffer.compare(back, Buffer.from(pdf))).toBe(0);
  });

  it('writes no plaintext to disk, and no temp file is left behind', async () => {
    const [p, d] = [patient(), doc()];
    const marker = 'MARQUEUR-EN-CLAIR-8271';
    await store.put(p, d, new TextEncoder().encode(`Diagnostic ${marker} ${marker}`));
    const onDisk = await readFile(fileOf(p, d));
    expect(onDisk.includes(marker)).toBe(false);
    expect(onDisk.includes(Buffer.from(marker, 'utf16le'))).toBe(false);
    expect(onDisk[0]).toBe(1); // format version
    expect(onDisk.subarray(1, 5).toString('hex')).toBe(config.documentKey.id);
    expect(await readdir(path.dirname(fileOf(p, d)))).toEqual([`${d}.bin`]);
  });

  it('encrypts the same content differently each time (random IV)', async () => {
    const p = patient();
    const [d1, d2] = [doc(), doc()];
    const text = new TextEncoder().encode('même contenu');
    await store.put(p, d1, text);
    await store.put(p, d2, text);
    const [a, b] = [await readFile(fileOf(p, d1)), await readFile(fileOf(p, d2))];
    expect(a.subarray(5, 17).equals(b.subarray(5, 17))).toBe(false);
  });

  it('detects a tampered ciphertext', async () => {
    const [p, d] = [patient(), doc()];
    const text = new TextEncoder().encode('Résultats normaux');
    await store.put(p, d, text);
    const blob = await readFile(fileOf(p, d));
    blob[20] = blob[20]! ^ 0x01;
    await writeFile(fileOf(p, d), blob);
    await expectCarnetError(store.get(p, d, sha256Hex(text)), 'content-corrupt');
  });

  it('detects a file moved under another document or another patient', async () => {
    const [p, other] = [patient(), patient()];
    const [d, target] = [doc(), doc()];
    const text = new TextEncoder().encode('Ordonnance');
    await store.put(p, d, text);
    await store.put(p, target, new TextEncoder().encode('autre'));
    await rename(fileOf(p, d), fileOf(p, target));
    await expectCarnetError(store.get(p, target, sha256Hex(text)), 'content-corrupt');

    await store.put(p, d, text);
    await mkdir(path.dirname(fileOf(other, d)), { recursive: true });
    await rename(fileOf(p, d), fileOf(other, d));
    await expectCarnetError(store.get(other as PatientId, d, sha256Hex(text)), 'content-corrupt');
  });

  it('detects content that does not match the recorded hash', async () => {
    const [p, d] = [patient(), doc()];
    await store.put(p, d, new TextEncoder().encode('version 1'));
    await expectCarnetError(
      store.get(p, d, sha256Hex(new TextEncoder().encode('version 2'))),
      'content-corrupt',
    );
  });

  it('refuses to read with another key, and reports a missing file', async () => {
    const [p, d] = [patient(), doc()];
    const text = new TextEncoder().encode('clé');
    await store.put(p, d, text);
    const otherKey = Buffer.alloc(32, 7).toString('base64');
    const other = createFileContentStore(
      loadConfig({ CARNET_DATA_DIR: dataDir, CARNET_DOCUMENT_KEY: otherKey }),
      'documents',
    );
    await expectCarnetError(other.get(p, d, sha256Hex(text)), 'content-key-unknown');
    await expectCarnetError(store.get(p, doc(), sha256Hex(text)), 'content-missing');
  });

  it('refuses ids that would escape the documents folder', async () => {
    await expectCarnetError(store.put('../x' as PatientId, doc(), new Uint8Array([1])), 'content-bad-id');
  });

  it('discards a file whose row was never committed', async () => {
    const [p, d] = [patient(), doc()];
    await store.put(p, d, new TextEncoder().encode('brouillon'));
    await store.discard(p, d);
    await expectCarnetError(store.get(p, d, 'x'), 'content-missing');
  });
});

describe.each(testDialects.filter((d) => d === 'postgres'))('content store on %s', (dialect) => {
  let database: TestDatabase;
  let config: Config;
  let store: ContentStore;
  const rowOf = (p: string, d: string, kind = 'documents') =>
    database.db
      .selectFrom('content_blobs')
      .select('sealed')
      .where('patient_id', '=', p)
      .where('kind', '=', kind as 'documents')
      .where('content_id', '=', d)
      .executeTakeFirst();
  const setRow = (p: string, d: string, sealed: Buffer) =>
    database.db
      .updateTable('content_blobs')
      .set({ sealed })
      .where('patient_id', '=', p)
      .where('content_id', '=', d)
      .execute();

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    config = loadConfig({ CARNET_DATA_DIR: database.dataDir });
    store = createContentStore({ config, db: database.db, dialect }, 'documents');
  });
  afterEach(() => database.destroy());

  it('keeps sealed contents in the database, none in the data folder, and gives the exact bytes back', async () => {
    const [p, d] = [patient(), doc()];
    const marker = 'MARQUEUR-EN-CLAIR-5512';
    const text = new TextEncoder().encode(`Diagnostic ${marker}`);
    await store.put(p, d, text);
    expect((await store.get(p, d, sha256Hex(text))).toString()).toBe(`Diagnostic ${marker}`);
    const sealed = (await rowOf(p, d))!.sealed;
    expect(sealed.includes(marker)).toBe(false);
    expect(sealed.subarray(1, 5).toString('hex')).toBe(config.documentKey.id);
    expect((await readdir(database.dataDir)).filter((n) => n === 'documents' || n === 'messages')).toEqual(
      [],
    );
  });

  it('keeps documents and attachments apart, and a retried put replaces the content', async () => {
    const [p, d] = [patient(), doc()];
    const attachments = createContentStore({ config, db: database.db, dialect }, 'messages');
    const first = new TextEncoder().encode('pièce jointe');
    await attachments.put(p, d, first);
    await expectCarnetError(store.get(p, d, sha256Hex(first)), 'content-missing');
    await attachments.put(p, d, first);
    expect((await attachments.get(p, d, sha256Hex(first))).toString()).toBe('pièce jointe');
    const second = new TextEncoder().encode('nouvel essai');
    await attachments.put(p, d, second);
    expect((await attachments.get(p, d, sha256Hex(second))).toString()).toBe('nouvel essai');
  });

  it('detects a tampered row and a row copied under another document', async () => {
    const [p, d, target] = [patient(), doc(), doc()];
    const text = new TextEncoder().encode('Résultats normaux');
    await store.put(p, d, text);
    await store.put(p, target, new TextEncoder().encode('autre'));
    const sealed = (await rowOf(p, d))!.sealed;
    await setRow(p, target, sealed);
    await expectCarnetError(store.get(p, target, sha256Hex(text)), 'content-corrupt');
    const tampered = Buffer.from(sealed);
    tampered[20] = tampered[20]! ^ 0x01;
    await setRow(p, d, tampered);
    await expectCarnetError(store.get(p, d, sha256Hex(text)), 'content-corrupt');
  });

  it('discards a content whose row was never committed, and reports it missing', async () => {
    const [p, d] = [patient(), doc()];
    await store.put(p, d, new TextEncoder().encode('brouillon'));
    await store.discard(p, d);
    expect(await rowOf(p, d)).toBeUndefined();
    await expectCarnetError(store.get(p, d, 'x'), 'content-missing');
  });
});
