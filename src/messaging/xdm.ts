import { Worker } from 'node:worker_threads';
import yauzl from 'yauzl';
import { CarnetError, invalid } from '../shared/index.ts';

export interface XdmDocument {
  /** Path inside the zip, e.g. `IHE_XDM/SUBSET01/DOC0001.XML`. */
  readonly path: string;
  readonly content: Buffer;
}

/**
 * What one message may still unpack: bytes and files, shared by all its attachments and spent as entries are
 * decompressed (never on the sizes a zip declares), so that no entry is held past it.
 */
export interface ExpansionBudget {
  bytesLeft: number;
  filesLeft: number;
}

/** A real XDM submission of a few hundred documents is well under this; larger is not an XDM we can read. */
const MAX_METADATA_BYTES = 1024 * 1024;
/** Entries listed in one zip's central directory (read without decompressing anything). */
const MAX_ZIP_ENTRIES = 1000;

const badZip = () => invalid('xdm-invalid', 'La pièce jointe IHE_XDM.ZIP est illisible.');
const badMetadata = () =>
  invalid('xdm-metadata-invalid', 'Le fichier METADATA.XML de la pièce jointe IHE_XDM.ZIP est illisible.');

/** The whole message is refused (SMTP 552): what its archives unpack to passes the per-message limit. */
export const expansionTooLarge = () =>
  new CarnetError(
    'too-large',
    'message-expansion-too-large',
    'Message refusé : ses pièces jointes, une fois décompressées, dépassent la taille ou le nombre de fichiers autorisés par message. Rien n’a été enregistré.',
  );

function openZip(bytes: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(bytes, { lazyEntries: true, decodeStrings: true, autoClose: false }, (error, file) =>
      error ? reject(badZip()) : resolve(file),
    ),
  );
}

/** The file entries of the central directory (names and sizes; nothing is decompressed). */
function listEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('error', () => reject(badZip()));
    zip.on('end', () => resolve(entries));
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entries.length >= MAX_ZIP_ENTRIES) return reject(badZip());
      if (!entry.fileName.endsWith('/')) entries.push(entry);
      zip.readEntry();
    });
    zip.readEntry();
  });
}

/** One entry's bytes, refused with `tooBig()` as soon as more than `cap` bytes come out of the inflater. */
function readEntry(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  cap: number,
  tooBig: () => Error,
): Promise<Buffer> {
  if (entry.uncompressedSize > cap) return Promise.reject(tooBig());
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error) return reject(badZip());
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > cap) stream.destroy(tooBig());
        else chunks.push(chunk);
      });
      stream.on('error', (e) => reject(e instanceof CarnetError ? e : badZip()));
      stream.on('end', () => resolve(Buffer.concat(chunks, size)));
    });
  });
}

/** Longest a METADATA.XML may take to read; past it the worker is stopped and the archive kept unexpanded. */
const METADATA_TIMEOUT_MS = 2_000;

interface Pending {
  readonly resolve: (uris: string[]) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** The one worker thread that reads METADATA.XML files, started on first use, and the reads it owes. */
let reader: { readonly worker: Worker; readonly pending: Map<number, Pending> } | undefined;
let nextRead = 0;

function metadataReader(): NonNullable<typeof reader> {
  if (reader) return reader;
  const worker = new Worker(new URL('./xdm-metadata-worker.js', import.meta.url));
  const self = { worker, pending: new Map<number, Pending>() };
  const settle = (id: number) => {
    const entry = self.pending.get(id);
    self.pending.delete(id);
    if (entry) clearTimeout(entry.timer);
    // An idle reader does not keep the process alive; one with reads owed does.
    if (self.pending.size === 0) worker.unref();
    return entry;
  };
  worker.on('message', (reply: { id: number; uris?: string[]; error?: string }) => {
    const entry = settle(reply.id);
    if (reply.uris) entry?.resolve(reply.uris);
    else entry?.reject(badMetadata());
  });
  const fail = () => {
    if (reader === self) reader = undefined;
    for (const id of [...self.pending.keys()]) settle(id)?.reject(badMetadata());
  };
  worker.on('error', fail);
  worker.on('exit', fail);
  worker.unref();
  reader = self;
  return self;
}

/**
 * The `URI` slots of the XDM submission metadata: the document files of the subset, in order. Read by the XML
 * parser in a worker thread (the event loop never parses a sender's XML), bounded in size, depth and time; a
 * DOCTYPE or malformed XML throws `xdm-metadata-invalid`.
 */
export function documentUris(metadataXml: string, timeoutMs = METADATA_TIMEOUT_MS): Promise<string[]> {
  if (metadataXml.length > MAX_METADATA_BYTES) return Promise.reject(badMetadata());
  const { worker, pending } = metadataReader();
  const id = nextRead++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      // A read that takes this long is an attack: stop it (and what was queued behind it).
      if (reader?.worker === worker) reader = undefined;
      void worker.terminate();
    }, timeoutMs);
    pending.set(id, { resolve, reject, timer });
    worker.ref();
    worker.postMessage({ id, xml: metadataXml });
  });
}

/**
 * An `IHE_XDM.ZIP` → its METADATA.XML and the documents it lists (IHE ITI TF-1 §16, XDM: the subset folder
 * `IHE_XDM/SUBSET01/` holds `METADATA.XML` and the files named by its `URI` slots). Only those entries are
 * decompressed, each within what is left of the message's `budget` (`expansionTooLarge` beyond it); an archive
 * that is not a readable XDM throws `xdm-invalid` / `xdm-no-metadata` / `xdm-metadata-invalid`.
 */
export async function unpackXdm(bytes: Buffer, budget: ExpansionBudget): Promise<XdmDocument[]> {
  const zip = await openZip(bytes);
  try {
    const entries = await listEntries(zip);
    const byUpper = new Map(entries.map((e) => [e.fileName.toUpperCase(), e]));
    const metadataEntries = entries
      .filter((e) => /^IHE_XDM\/[^/]+\/METADATA\.XML$/i.test(e.fileName))
      .sort((a, b) => (a.fileName < b.fileName ? -1 : 1));
    if (metadataEntries.length === 0) {
      throw invalid('xdm-no-metadata', 'La pièce jointe IHE_XDM.ZIP ne contient pas de METADATA.XML.');
    }
    const out: XdmDocument[] = [];
    const take = async (entry: yauzl.Entry, cap: number, tooBig: () => Error) => {
      if (budget.filesLeft <= 0) throw expansionTooLarge();
      const content = await readEntry(zip, entry, Math.min(cap, budget.bytesLeft), () =>
        entry.uncompressedSize > cap ? tooBig() : expansionTooLarge(),
      );
      budget.bytesLeft -= content.length;
      budget.filesLeft -= 1;
      out.push({ path: entry.fileName, content });
      return content;
    };
    for (const metadataEntry of metadataEntries) {
      const metadata = await take(metadataEntry, MAX_METADATA_BYTES, badMetadata);
      const folder = metadataEntry.fileName.slice(0, metadataEntry.fileName.lastIndexOf('/') + 1);
      for (const uri of await documentUris(metadata.toString('utf8'))) {
        if (uri.includes('..') || uri.startsWith('/')) continue;
        const entry = byUpper.get(`${folder}${uri}`.toUpperCase());
        if (entry !== undefined && !out.some((d) => d.path === entry.fileName))
          await take(entry, Number.MAX_SAFE_INTEGER, expansionTooLarge);
      }
    }
    return out;
  } finally {
    zip.close();
  }
}
