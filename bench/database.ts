import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrateToLatest, openDatabase, type DatabaseHandle, type Dialect } from '../src/storage/index.ts';

/** The PostgreSQL server the bench uses (the test server of the repository, a fresh schema per run). */
export const BENCH_POSTGRES_URL =
  process.env.CARNET_BENCH_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh, migrated database and its data folder, like `src/storage/test-databases.ts` makes for tests. */
export interface BenchDatabase extends DatabaseHandle {
  readonly dataDir: string;
  /** Unset for SQLite (the server then opens `$CARNET_DATA_DIR/carnet.db`). */
  readonly databaseUrl: string | undefined;
  readonly schema: string | undefined;
  destroy(): Promise<void>;
}

/** Whether the PostgreSQL server answers; the reason when it does not. */
export async function postgresProblem(url = BENCH_POSTGRES_URL): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function adminQuery(text: string): Promise<void> {
  const admin = new pg.Client({ connectionString: BENCH_POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(text);
  } finally {
    await admin.end();
  }
}

export async function createBenchDatabase(dialect: Dialect): Promise<BenchDatabase> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'carnet-bench-'));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  if (dialect === 'sqlite') {
    const handle = openDatabase({ databaseUrl: undefined, sqlitePath: path.join(dataDir, 'carnet.db') });
    await migrateToLatest(handle.db);
    return {
      ...handle,
      dataDir,
      databaseUrl: undefined,
      schema: undefined,
      destroy: async () => {
        await handle.close();
        removeDir();
      },
    };
  }
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create schema ${schema}`);
  // The schema travels inside the URL, so the server child process works in it too.
  const databaseUrl = `${BENCH_POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const handle = openDatabase({ databaseUrl, sqlitePath: '' });
  await migrateToLatest(handle.db);
  return {
    ...handle,
    dataDir,
    databaseUrl,
    schema,
    destroy: async () => {
      await handle.close();
      await adminQuery(`drop schema ${schema} cascade`);
      removeDir();
    },
  };
}
