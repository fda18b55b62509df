/**
 * Test support for reminders.test.ts: a scheduler process over a simulated clock, meant to be SIGKILLed at any
 * moment. It runs passes from `--from` every `--step-minutes` until `--until`, and after each completed pass
 * writes that pass's instant to `--progress` (what the harness restarts from).
 * Environment: CARNET_DATA_DIR and, for PostgreSQL, DATABASE_URL, as for `carnet serve`.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { loadConfig } from '../config/index.ts';
import { openDatabase } from '../storage/index.ts';
import { runReminderPass } from './reminders.ts';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1]!);
const from = Date.parse(args.get('from')!);
const until = Date.parse(args.get('until')!);
const step = Number(args.get('step-minutes')) * 60_000;
const progress = args.get('progress')!;
/** Wall-clock pause between passes, so that the harness's kills land at many points of the simulation. */
const paceMs = Number(args.get('pace-ms') ?? 0);

const config = loadConfig(process.env);
const database = openDatabase(config);
let simulated = from;
const ctx = { config, db: database.db, dialect: database.dialect, clock: { now: () => new Date(simulated) } };
process.stdout.write('ready\n');
for (; simulated <= until; simulated += step) {
  await runReminderPass(ctx, new Date(simulated));
  // Written aside then renamed: a kill never leaves a torn progress file.
  writeFileSync(`${progress}.tmp`, new Date(simulated).toISOString());
  renameSync(`${progress}.tmp`, progress);
  if (paceMs > 0) await new Promise((resolve) => setTimeout(resolve, paceMs));
}
await database.close();
process.stdout.write('done\n');
