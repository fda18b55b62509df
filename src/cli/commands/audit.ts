import { loadConfig } from '../../config/index.ts';
import { parseIns } from '../../identity/index.ts';
import { findInsuredByIns } from '../../insured/index.ts';
import { migrateToLatest, openDatabase, type Db } from '../../storage/index.ts';
import { listPatientAudit, verifyAuditChains } from '../../audit/index.ts';
import { parseArgs } from '../args.ts';

const usage = `Usage: carnet audit verify
       carnet audit history --ins <INS> [--count N]`;

/** `carnet audit verify` (exit 0 intact, 1 tampered) and `carnet audit history --ins <INS>`. */
export async function auditCommand(args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'verify' && sub !== 'history') {
    console.error(usage);
    return 2;
  }
  const config = loadConfig();
  const database = openDatabase(config);
  try {
    await migrateToLatest(database.db, config);
    return sub === 'verify' ? await verify(database.db) : await history(database.db, rest);
  } finally {
    await database.close();
  }
}

async function verify(db: Db): Promise<number> {
  const result = await verifyAuditChains(db);
  if (result.problems.length === 0) {
    console.log(`OK: ${result.chains} chains, ${result.entries} entries, root ${result.root}`);
    return 0;
  }
  for (const p of result.problems) console.log(`${p.kind}: chain ${p.chain} seq ${p.seq}: ${p.message}`);
  console.log(
    `FAILED: ${result.problems.length} problem(s) in ${result.chains} chains, ${result.entries} entries, root ${result.root}`,
  );
  return 1;
}

/** Operator's view of one patient's traces (ids and codes only, as stored). */
async function history(db: Db, args: readonly string[]): Promise<number> {
  const { flags } = parseArgs(args, ['ins', 'count']);
  const raw = flags.get('ins');
  const parsed = typeof raw === 'string' ? parseIns(raw) : undefined;
  if (!parsed?.ok) {
    console.error(`INS invalide.\n${usage}`);
    return 2;
  }
  const person = await findInsuredByIns(db, parsed.value.ins);
  if (!person) {
    console.error('Aucun assuré avec cet INS.');
    return 1;
  }
  const count = Number(flags.get('count') ?? 50) || 50;
  const { total, entries } = await listPatientAudit(db, person.id, { count, offset: 0 });
  for (const e of entries) {
    const who = [e.actor.kind, e.actor.id, e.actor.professionCode].filter(Boolean).join(' ');
    const what = [e.targetType, e.targetId].filter(Boolean).join('/');
    console.log(`${e.at}  #${e.seq}  ${e.action}  ${e.outcome}  ${e.accessMode}  ${who}  ${what}`);
  }
  console.log(`${entries.length} of ${total} entries`);
  return 0;
}
