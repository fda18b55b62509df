import { createHash } from 'node:crypto';
import type { AuditEventsTable } from '../storage/index.ts';

/** prev_hash of the first entry of every chain. */
export const GENESIS_HASH = '0'.repeat(64);

export type HashedFields = Omit<AuditEventsTable, 'prev_hash' | 'hash'>;

/**
 * sha256(prev_hash + canonical JSON of the fields). A JSON array in a fixed order is unambiguous (no separator
 * games) and independent of key order; chain and seq are inside, so a row cannot be moved or renumbered unseen.
 */
export function entryHash(prevHash: string, f: HashedFields): string {
  const canonical = JSON.stringify([
    f.chain,
    f.seq,
    f.id,
    f.patient_id,
    f.at,
    f.actor_kind,
    f.actor_id,
    f.actor_name,
    f.actor_profession,
    f.action,
    f.target_type,
    f.target_id,
    f.access_mode,
    f.outcome,
    f.detail,
  ]);
  return createHash('sha256').update(prevHash).update(canonical).digest('hex');
}

/** JSON with sorted keys, so that the stored detail text is the same whatever order the caller built it in. */
export function canonicalJson(value: Record<string, string | number | boolean>): string {
  const sorted: Record<string, string | number | boolean> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = value[key]!;
  return JSON.stringify(sorted);
}
