import type { AuditEventsTable, Executor } from '../storage/index.ts';
import { entryHash, GENESIS_HASH } from './hash.ts';
import { merkleRoot, type ChainHead } from './merkle.ts';
import type { AuditProblem, AuditVerification } from './types.ts';

const HEADS_PAGE = 1000;
const EVENTS_PAGE = 5000;

/**
 * Recomputes every chain, chain by chain and page by page (memory stays bounded by a page, plus one small
 * record per chain for the Merkle root). Detects a changed field (hash), removed entries (seq gap), a broken
 * link (removed, inserted or re-hashed neighbour), a removed or added tail (head ≠ last entry), and entries
 * whose chain has no head. Rewriting a whole chain consistently is only caught against a recorded root.
 */
export async function verifyAuditChains(db: Executor): Promise<AuditVerification> {
  const problems: AuditProblem[] = [];
  const heads: ChainHead[] = [];
  let entries = 0;
  let after: string | undefined;
  for (;;) {
    let query = db.selectFrom('audit_heads').selectAll().orderBy('chain').limit(HEADS_PAGE);
    if (after !== undefined) query = query.where('chain', '>', after);
    const page = await query.execute();
    for (const head of page) {
      const normalised = { chain: head.chain, seq: Number(head.seq), hash: head.hash };
      heads.push(normalised);
      entries += await verifyChain(db, head.chain, normalised, problems);
    }
    if (page.length < HEADS_PAGE) break;
    after = page[page.length - 1]!.chain;
  }
  const orphans = await db
    .selectFrom('audit_events as e')
    .select('e.chain')
    .distinct()
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('audit_heads as h').select('h.chain').whereRef('h.chain', '=', 'e.chain'))),
    )
    .execute();
  for (const { chain } of orphans) entries += await verifyChain(db, chain, undefined, problems);
  return { chains: heads.length + orphans.length, entries, problems, root: merkleRoot(heads) };
}

/** Checks one chain against its head; returns how many entries it holds. */
async function verifyChain(
  db: Executor,
  chain: string,
  head: ChainHead | undefined,
  problems: AuditProblem[],
): Promise<number> {
  let prevHash = GENESIS_HASH;
  let lastSeq = 0;
  let count = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('chain', '=', chain)
      .where('seq', '>', lastSeq)
      .orderBy('seq')
      .limit(EVENTS_PAGE)
      .execute();
    for (const row of rows) {
      checkEntry(row, lastSeq, prevHash, problems);
      prevHash = row.hash;
      lastSeq = Number(row.seq);
    }
    count += rows.length;
    if (rows.length < EVENTS_PAGE) break;
  }
  if (!head) {
    problems.push({ chain, seq: lastSeq, kind: 'missing-head', message: 'entries without a chain head' });
  } else if (head.seq !== lastSeq || head.hash !== prevHash) {
    problems.push({
      chain,
      seq: head.seq,
      kind: 'head-mismatch',
      message: `head at seq ${head.seq}, last entry at seq ${lastSeq} (tail removed or added)`,
    });
  }
  return count;
}

function checkEntry(
  row: AuditEventsTable,
  lastSeq: number,
  prevHash: string,
  problems: AuditProblem[],
): void {
  const seq = Number(row.seq);
  const chain = row.chain;
  if (seq !== lastSeq + 1) {
    const missing = seq - 1 === lastSeq + 1 ? `${lastSeq + 1}` : `${lastSeq + 1}..${seq - 1}`;
    problems.push({ chain, seq, kind: 'seq-gap', message: `entries ${missing} missing` });
  } else if (row.prev_hash !== prevHash) {
    problems.push({
      chain,
      seq,
      kind: 'prev-hash-mismatch',
      message: 'does not carry the hash of the entry before',
    });
  }
  const { prev_hash: _prev, hash: _hash, ...fields } = row;
  if (entryHash(row.prev_hash, { ...fields, seq }) !== row.hash) {
    problems.push({ chain, seq, kind: 'hash-mismatch', message: 'content changed since it was written' });
  }
}
