import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { Kysely, PostgresAdapter, PostgresDialect, sql, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { groupCommitSqliteDialect } from './sqlite-group-commit.ts';
import { migrations, type MigrationKeys } from './migrations/index.ts';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
/** Either the database or an open transaction: repositories take this as their first argument. */
export type Executor = Kysely<Database> | Transaction<Database>;

export interface DatabaseHandle {
  readonly db: Db;
  readonly dialect: Dialect;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  readonly databaseUrl: string | undefined;
  readonly sqlitePath: string;
}

function openSqlite(file: string): DatabaseHandle {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Kysely<Database>({ dialect: groupCommitSqliteDialect(file) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

function openPostgres(url: string): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

/**
 * Runs `work` with writes that need not survive a power cut, such as attempt counters: on SQLite, they commit with
 * `synchronous = NORMAL` (each commit still reaches the write-ahead log, so a crash of the process loses nothing,
 * but the log is synced at the next full commit or checkpoint), in groups of such writes only, so that a flood of
 * counted sign-ins does not hold the event loop for fsyncs (see `sqlite-group-commit.ts`). Inside a transaction,
 * or on PostgreSQL (whose fsync never holds the event loop), `work` runs as is.
 */
export async function writeWithoutFsync<T>(db: Executor, work: (db: Executor) => Promise<T>): Promise<T> {
  if (db.isTransaction || db.getExecutor().adapter instanceof PostgresAdapter) return work(db);
  return db.connection().execute(async (connection) => {
    await sql`pragma synchronous = NORMAL`.execute(connection);
    try {
      return await work(connection);
    } finally {
      await sql`pragma synchronous = FULL`.execute(connection);
    }
  });
}

/** The one place that knows which SQL dialect runs: PostgreSQL when DATABASE_URL is set, SQLite otherwise. */
export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openSqlite(options.sqlitePath);
}

/**
 * Brings the schema up to date, each pending migration in its own transaction with its bookkeeping row.
 * Our own small runner rather than Kysely's Migrator: that one introspects every schema of the server, which
 * races with other schemas being dropped (parallel test databases) and fails spuriously.
 * Several instances starting together are serialised by an advisory lock on PostgreSQL (SQLite serves one instance).
 * `keys` lets a migration seal rows written in clear by an older version.
 */
export async function migrateToLatest(db: Db, keys?: MigrationKeys): Promise<string[]> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const lock = async (trx: Transaction<Database>) => {
    if (postgres) await sql`select pg_advisory_xact_lock(hashtext(current_schema()))`.execute(trx);
  };
  await db.transaction().execute(async (trx) => {
    await lock(trx);
    await trx.schema
      .createTable('schema_migrations')
      .ifNotExists()
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .execute();
  });
  const applied: string[] = [];
  for (const [name, migration] of Object.entries(migrations)) {
    const ran = await db.transaction().execute(async (trx) => {
      await lock(trx);
      const done = await trx
        .selectFrom('schema_migrations')
        .select('name')
        .where('name', '=', name)
        .executeTakeFirst();
      if (done) return false;
      await migration.up(trx as unknown as Kysely<unknown>, keys);
      await trx
        .insertInto('schema_migrations')
        .values({ name, applied_at: new Date().toISOString() })
        .execute();
      return true;
    });
    if (ran) applied.push(name);
  }
  return applied;
}
