import yauzl from 'yauzl';
import { invalid } from '../shared/errors.ts';

export interface XdmDocument {
  /** Path inside the zip, e.g. `IHE_XDM/SUBSET01/DOC0001.XML`. */
  readonly path: string;
  readonly content: Buffer;
}

export interface XdmLimits {
  readonly maxEntries: number;
  readonly maxTotalBytes: number;
}

const defaultLimits: XdmLimits = { maxEntries: 200, maxTotalBytes: 50 * 1024 * 1024 };

const badZip = () => invalid('xdm-invalid', 'La pièce jointe IHE_XDM.ZIP est illisible.');

/** Reads every file entry of a zip held in memory, within limits (a zip bomb is refused, not unpacked). */
export async function readZip(
  bytes: Buffer,
  limits: XdmLimits = defaultLimits,
): Promise<Map<string, Buffer>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(bytes, { lazyEntries: true, decodeStrings: true }, (error, file) =>
      error ? reject(badZip()) : resolve(file),
    ),
  );
  const files = new Map<string, Buffer>();
  let total = 0;
  return new Promise((resolve, reject) => {
    const fail = (error: unknown) => {
      zip.close();
      reject(error instanceof Error && 'kind' in error ? error : badZip());
    };
    zip.on('error', fail);
    zip.on('end', () => resolve(files));
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName.endsWith('/')) return zip.readEntry();
      if (files.size >= limits.maxEntries) return fail(badZip());
      total += entry.uncompressedSize;
      if (total > limits.maxTotalBytes) return fail(badZip());
      zip.openReadStream(entry, (error, stream) => {
        if (error) return fail(error);
        const chunks: Buffer[] = [];
        let size = 0;
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > entry.uncompressedSize) stream.destroy(badZip());
          else chunks.push(chunk);
        });
        stream.on('error', fail);
        stream.on('end', () => {
          files.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
}

/** The `URI` slots of the XDM submission metadata: the document files of the subset, in order. */
export function documentUris(metadataXml: string): string[] {
  const uris: string[] = [];
  const slot = /<(?:\w+:)?Slot\b[^>]*\bname\s*=\s*["']URI["'][^>]*>([\s\S]*?)<\/(?:\w+:)?Slot>/gi;
  for (const match of metadataXml.matchAll(slot)) {
    const value = /<(?:\w+:)?Value>\s*([^<]+?)\s*<\/(?:\w+:)?Value>/i.exec(match[1]!);
    // XDM allows a URI split over several values as `n|part`; a single value is the common case.
    if (value) uris.push(value[1]!.replace(/^\d+\|/, ''));
  }
  return uris;
}

/**
 * An `IHE_XDM.ZIP` → its METADATA.XML and the documents it lists (IHE ITI TF-1 §16, XDM: the subset folder
 * `IHE_XDM/SUBSET01/` holds `METADATA.XML` and the files named by its `URI` slots).
 */
export async function unpackXdm(bytes: Buffer, limits?: XdmLimits): Promise<XdmDocument[]> {
  const files = await readZip(bytes, limits);
  const byUpper = new Map([...files.keys()].map((name) => [name.toUpperCase(), name]));
  const metadataPaths = [...files.keys()].filter((n) => /^IHE_XDM\/[^/]+\/METADATA\.XML$/i.test(n)).sort();
  if (metadataPaths.length === 0) {
    throw invalid('xdm-no-metadata', 'La pièce jointe IHE_XDM.ZIP ne contient pas de METADATA.XML.');
  }
  const out: XdmDocument[] = [];
  for (const metadataPath of metadataPaths) {
    const metadata = files.get(metadataPath)!;
    out.push({ path: metadataPath, content: metadata });
    const folder = metadataPath.slice(0, metadataPath.lastIndexOf('/') + 1);
    for (const uri of documentUris(metadata.toString('utf8'))) {
      if (uri.includes('..') || uri.startsWith('/')) continue;
      const name = byUpper.get(`${folder}${uri}`.toUpperCase());
      if (name !== undefined && !out.some((d) => d.path === name))
        out.push({ path: name, content: files.get(name)! });
    }
  }
  return out;
}
