import { createHash } from 'node:crypto';

export interface ChainHead {
  chain: string;
  seq: number;
  hash: string;
}

const sha256 = (...parts: (string | Buffer)[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

/**
 * Merkle root over the chain heads sorted by chain name (ASCII, plain string order), with RFC 6962-style
 * domain separation (0x00-prefixed leaves, 0x01-prefixed nodes, so a leaf never passes for a node).
 * Recording this value outside the database (log, ticket, timestamping service) lets a later verification
 * prove that nobody rewrote whole chains.
 */
export function merkleRoot(heads: readonly ChainHead[]): string {
  const sorted = [...heads].sort((a, b) => (a.chain < b.chain ? -1 : a.chain > b.chain ? 1 : 0));
  let level = sorted.map((h) => sha256(Buffer.from([0]), JSON.stringify([h.chain, h.seq, h.hash])));
  if (level.length === 0) return sha256().toString('hex');
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const right = level[i + 1];
      // An odd node is promoted unchanged (not duplicated: duplication would allow two trees with one root).
      next.push(right ? sha256(Buffer.from([1]), level[i]!, right) : level[i]!);
    }
    level = next;
  }
  return level[0]!.toString('hex');
}
