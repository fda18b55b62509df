import { randomBytes, randomFillSync } from 'node:crypto';

/**
 * UUIDv7 (RFC 9562): time-ordered, so B-tree inserts stay local (design-notes.md, "Identity of everything").
 */
/** Random bytes drawn from the system's CSPRNG in batches: one call per 256 identifiers, not one per identifier. */
const POOL_IDS = 256;
const pool = Buffer.alloc(16 * POOL_IDS);
let poolOffset = pool.length;

function sixteenRandomBytes(): Buffer {
  if (poolOffset >= pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = Buffer.from(pool.subarray(poolOffset, poolOffset + 16));
  // Each byte serves once: zeroed in the pool as soon as it is handed out.
  pool.fill(0, poolOffset, poolOffset + 16);
  poolOffset += 16;
  return bytes;
}

export function uuidv7(now: number = Date.now()): string {
  const bytes = sixteenRandomBytes();
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** An opaque random token for URLs and cookies (base64url, 256 bits). */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}
