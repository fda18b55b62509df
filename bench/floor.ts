import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { runClients, type LoadPlan, type LoadResult } from './load.ts';

/**
 * The physical floors a deposit is compared with, on the same disk and with the same durability settings as
 * the server: one durable row per deposit holding the same bytes, and one durable file write.
 */
export interface InsertFloor {
  /** One commit per row, `concurrency` writers. */
  readonly perCommit: LoadResult;
  /** SQLite only: rows committed `concurrency` at a time (what group commit could reach). */
  readonly grouped: LoadResult | undefined;
  readonly settings: string;
}

const table =
  'create table if not exists bench_floor (id text primary key, patient_id text not null, content blob not null)';

/** A separate database file beside the server's, opened exactly as `src/storage/database.ts` opens SQLite. */
export async function sqliteInsertFloor(dataDir: string, blob: Buffer, plan: LoadPlan): Promise<InsertFloor> {
  mkdirSync(dataDir, { recursive: true });
  const db = new SQLite(path.join(dataDir, 'floor.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(table);
    const insert = db.prepare('insert into bench_floor (id, patient_id, content) values (?, ?, ?)');
    // better-sqlite3 is synchronous: N "concurrent" writers on one connection commit one after another,
    // which is what one SQLite writer does anyway.
    const perCommit = await runClients(plan, async () => {
      insert.run(randomUUID(), 'floor', blob);
    });
    const batch = db.transaction((rows: number) => {
      for (let i = 0; i < rows; i++) insert.run(randomUUID(), 'floor', blob);
    });
    const rows = plan.concurrency;
    const batches = await runClients(
      { ...plan, concurrency: 1, operations: plan.operations && Math.ceil(plan.operations / rows) },
      async () => {
        batch(rows);
      },
    );
    const grouped: LoadResult = {
      operations: batches.operations * rows,
      seconds: batches.seconds,
      perSecond: (batches.operations * rows) / batches.seconds,
      latencies: batches.latencies,
    };
    const mode = `${String(db.pragma('journal_mode', { simple: true }))}, synchronous=${String(db.pragma('synchronous', { simple: true }))}`;
    return {
      perCommit,
      grouped,
      settings: mode.replace('wal', 'WAL').replace('synchronous=2', 'synchronous=FULL'),
    };
  } finally {
    db.close();
  }
}

/** A pool of `concurrency` connections into the bench schema, each insert its own (autocommit) transaction. */
export async function postgresInsertFloor(
  databaseUrl: string,
  blob: Buffer,
  plan: LoadPlan,
): Promise<InsertFloor> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: plan.concurrency });
  try {
    await pool.query(table.replace('content blob', 'content bytea'));
    const setting = await pool.query<{ synchronous_commit: string }>('show synchronous_commit');
    const perCommit = await runClients(plan, async () => {
      await pool.query('insert into bench_floor (id, patient_id, content) values ($1, $2, $3)', [
        randomUUID(),
        'floor',
        blob,
      ]);
    });
    return {
      perCommit,
      grouped: undefined,
      settings: `synchronous_commit=${setting.rows[0]?.synchronous_commit}`,
    };
  } finally {
    await pool.end();
  }
}

/** `concurrency` writers, each creating a file, writing the bytes and fsyncing it (no folder fsync). */
export async function fileFsyncFloor(dir: string, blob: Buffer, plan: LoadPlan): Promise<LoadResult> {
  mkdirSync(dir, { recursive: true });
  return runClients(plan, (index) => writeAndFsync(path.join(dir, `${index}.bin`), blob));
}

/** Creates `file` (never overwrites), writes `bytes` and fsyncs it (no folder fsync). */
export async function writeAndFsync(file: string, bytes: Buffer): Promise<void> {
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
