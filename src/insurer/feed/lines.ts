import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/** Where the feed comes from: a file (the command) or bytes already in memory (demo data, tests). */
export type FeedSource = { readonly path: string } | { readonly bytes: Uint8Array };

export interface RawLine {
  /** Physical line number (1-based). */
  readonly line: number;
  /** The decoded text, or undefined when the bytes are not UTF-8. */
  readonly text: string | undefined;
  /** Byte offset just after this line's end of line: where a resumed import starts the next one. */
  readonly end: number;
}

const CHUNK = 1 << 20;
const decoder = new TextDecoder('utf-8', { fatal: true });

function decode(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

async function* chunksOf(source: FeedSource, start: number): AsyncGenerator<Uint8Array> {
  if ('bytes' in source) {
    yield source.bytes.subarray(start);
    return;
  }
  for await (const chunk of createReadStream(source.path, { start, highWaterMark: CHUNK })) {
    yield chunk as Buffer;
  }
}

/**
 * The lines of the source from byte `start` (a line boundary) on, numbered from `firstLine`. Splitting is done on
 * bytes, so that every line knows its exact end offset; a UTF-8 BOM at the very start is skipped.
 */
export async function* readLines(
  source: FeedSource,
  start: number,
  firstLine: number,
): AsyncGenerator<RawLine> {
  let line = firstLine;
  let pending: Buffer = Buffer.alloc(0);
  let pendingStart = start;
  let first = start === 0;
  for await (const chunk of chunksOf(source, start)) {
    let buffer: Buffer = pending.length
      ? Buffer.concat([pending, chunk])
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (first) {
      first = false;
      if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) {
        buffer = buffer.subarray(3);
        pendingStart += 3;
      }
    }
    let from = 0;
    for (let nl = buffer.indexOf(10, from); nl !== -1; nl = buffer.indexOf(10, from)) {
      const end = pendingStart + nl + 1;
      yield { line: line++, text: decode(buffer.subarray(from, nl)), end };
      from = nl + 1;
    }
    pendingStart += from;
    pending = buffer.subarray(from);
  }
  if (pending.length > 0) yield { line, text: decode(pending), end: pendingStart + pending.length };
}

/** SHA-256 (hex) and size of the source: the identity of a file for resuming. */
export async function fingerprint(source: FeedSource): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  if ('bytes' in source) {
    hash.update(source.bytes);
    return { sha256: hash.digest('hex'), size: source.bytes.byteLength };
  }
  for await (const chunk of createReadStream(source.path, { highWaterMark: CHUNK }))
    hash.update(chunk as Buffer);
  return { sha256: hash.digest('hex'), size: (await stat(source.path)).size };
}
