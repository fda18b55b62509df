import os from 'node:os';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import pg from 'pg';
import { migrateToLatest, openDatabase, type DatabaseHandle, type Dialect } from './database.ts';

/**
 * The dialects every persistence test runs on (Kysely's own test suite does the same). PostgreSQL is
 * the machine's server (`CARNET_TEST_POSTGRES_URL`, default 127.0.0.1:5432/test); each test database is
 * a fresh schema, so test files run in parallel. When no server answers, PostgreSQL is skipped with a
 * loud notice, except under CI where that is a failure.
 */
export const TEST_POSTGRES_URL =
  process.env.CARNET_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/test';

async function postgresAnswers(): Promise<boolean> {
  // No server refuses at once; a server slow to answer on a loaded machine is still a server (2 s once skipped it).
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function selectedDialects(): Dialect[] {
  const only = process.env.CARNET_TEST_DIALECT;
  return only === 'sqlite' || only === 'postgres' ? [only] : ['sqlite', 'postgres'];
}

const postgresAvailable = selectedDialects().includes('postgres') ? await postgresAnswers() : false;
if (selectedDialects().includes('postgres') && !postgresAvailable) {
  if (process.env.CI)
    throw new Error(`PostgreSQL is required under CI but does not answer at ${TEST_POSTGRES_URL}`);
  console.warn(
    `\n*** PostgreSQL SKIPPED: no server at ${TEST_POSTGRES_URL}; persistence tests ran on SQLite only ***\n`,
  );
}

export const testDialects: Dialect[] = selectedDialects().filter((d) => d === 'sqlite' || postgresAvailable);

export interface TestDatabase extends DatabaseHandle {
  /** Where a test may write files (the data folder of this database). */
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly schema: string | undefined;
  destroy(): Promise<void>;
}

let sqliteTemplate: Promise<string | undefined> | undefined;

/** What the migrated schema depends on: the runner and every migration, so that a change makes a new template. */
function schemaFingerprint(): string {
  const here = import.meta.dirname;
  const hash = createHash('sha256').update(readFileSync(path.join(here, 'database.ts')));
  const dir = path.join(here, 'migrations');
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith('.test.ts')) continue;
    hash.update(name).update(readFileSync(path.join(dir, name)));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * An empty, migrated SQLite database that each new SQLite test database copies: a copy takes a few milliseconds
 * where migrating takes a tenth of a second or more. Made once for a given schema and shared by every test process
 * (written aside, then renamed into place). Undefined if the file is not self-contained once closed (a write-ahead
 * log left beside it): each database is then migrated.
 */
function migratedSqliteTemplate(): Promise<string | undefined> {
  sqliteTemplate ??= (async () => {
    const file = path.join(os.tmpdir(), `carnet-test-template-${schemaFingerprint()}.db`);
    if (existsSync(file)) return file;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'carnet-template-'));
    try {
      const made = path.join(dir, 'carnet.db');
      const handle = openDatabase({ databaseUrl: undefined, sqlitePath: made });
      await migrateToLatest(handle.db);
      await handle.close();
      if (existsSync(`${made}-wal`) || existsSync(`${made}-journal`)) return undefined;
      renameSync(made, file);
      return file;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  })();
  return sqliteTemplate;
}

/** A new, migrated, empty database of the given dialect, and its own data folder. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'carnet-test-'));
  if (dialect === 'sqlite') {
    const sqlitePath = path.join(dataDir, 'carnet.db');
    const template = await migratedSqliteTemplate();
    if (template) copyFileSync(template, sqlitePath);
    const handle = openDatabase({ databaseUrl: undefined, sqlitePath });
    if (!template) await migrateToLatest(handle.db);
    return {
      ...handle,
      dataDir,
      databaseUrl: undefined,
      schema: undefined,
      destroy: async () => {
        await handle.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  // The schema travels inside the URL, so a whole server started from this URL works in it too.
  const databaseUrl = `${TEST_POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const handle = openDatabase({ databaseUrl, sqlitePath: '' });
  await migrateToLatest(handle.db);
  return {
    ...handle,
    dataDir,
    databaseUrl,
    schema,
    destroy: async () => {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await cleanup.connect();
      await cleanup.query(`drop schema ${schema} cascade`);
      await cleanup.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
