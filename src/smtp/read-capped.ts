import type { Readable } from 'node:stream';

/** The whole message, or `undefined` once it passed `maxBytes` (the rest is drained, not kept: memory stays bounded). */
export async function readCapped(
  stream: Readable,
  maxBytes: number,
): Promise<{ raw: Buffer | undefined; bytes: number }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes <= maxBytes) chunks.push(chunk);
    else chunks.length = 0;
  }
  return { raw: bytes <= maxBytes ? Buffer.concat(chunks, bytes) : undefined, bytes };
}
