import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import {
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
  sql,
  type SqliteDatabase,
  type Transaction,
} from 'kysely';
import type { Database } from './schema.ts';
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

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; SQLite statements are reusable, and preparing costs as much as running a
 * small query. Statements are kept by SQL text (the parameters are bound at run time), oldest dropped first.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (text: string) => {
      let statement = statements.get(text);
      if (!statement) {
        statement = sqlite.prepare(text);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
        statements.set(text, statement);
      }
      return statement;
    },
  };
}

function openSqlite(file: string): DatabaseHandle {
  mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // Health data: a committed write must survive power loss (design-notes.md "Durability").
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

function openPostgres(url: string): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

/**
 * Runs `work` with writes that need not survive a power cut, such as attempt counters: on SQLite, with
 * `synchronous = NORMAL` (each commit still reaches the write-ahead log, so a crash of the process loses nothing,
 * but the log is synced at the next full commit or checkpoint instead of at once). SQLite runs on the event loop:
 * with `FULL`, every counted sign-in of a flood held the whole server for an fsync (2–4 ms on this machine's disk).
 * The connection is held throughout, so no other query runs relaxed; inside a transaction, or on PostgreSQL
 * (whose fsync never holds the event loop), `work` runs as is.
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
