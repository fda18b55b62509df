import { open, type FileHandle } from 'node:fs/promises';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
} from 'kysely';

/**
 * SQLite with one writer and group commit.
 *
 * SQLite commits one transaction at a time, and with `synchronous = FULL` each commit is an fsync (2–4 ms on
 * this machine) run on the event loop, as better-sqlite3 is synchronous. Kysely's own SQLite driver also holds its
 * single connection for the whole of a transaction, so reads wait behind writes and every transaction pays its
 * fsync while nothing else runs.
 *
 * Here each process opens two connections to the file:
 * - a reader, for statements outside a transaction that only read: in WAL mode it sees the last commit and
 *   never waits for the writer;
 * - a writer, through which every transaction (and every write outside one) passes as a *unit*: units run one
 *   after another, each inside its own savepoint of one physical transaction, and the physical transaction commits
 *   when no unit is waiting (or after `MAX_UNITS_PER_COMMIT` units or `MAX_BATCH_MS`); a unit that fails rolls back to its savepoint and
 *   leaves the others alone.
 *
 * Durability: the writer commits with `synchronous = NORMAL` (the commit writes the write-ahead log, no fsync), then
 * fsyncs the log file through a file handle of its own, on libuv's thread pool, and only then resolves the units'
 * commits. That is the guarantee of `FULL` (nothing acknowledged before it is on disk; fsync flushes the file,
 * whichever descriptor wrote it) without holding the event loop, and the next batch runs during the fsync. A read
 * may see a commit a few milliseconds before its fsync ends, but every answer that traces a read waits for its own
 * audit commit's fsync, which covers all earlier writes.
 *
 * Several processes (`carnet serve --workers N`) each run such a writer on the same file. The SQLite write lock
 * is taken with `BEGIN IMMEDIATE`, and a busy lock is waited for asynchronously (never with SQLite's busy handler,
 * which sleeps on the event loop), so a process whose turn has not come keeps serving reads and gathers a larger
 * batch meanwhile.
 */

const STATEMENT_CACHE_SIZE = 500;
const MAX_UNITS_PER_COMMIT = 200;
/** A batch holds the write lock: past this, it commits and lets the other workers' batches in. */
const MAX_BATCH_MS = 10;
/** How long a writer waits for another process's write lock before its units fail (as busy_timeout did). */
const LOCK_WAIT_MS = 10_000;

type Durability = 'full' | 'normal';

function statementCache(sqlite: SQLite.Database) {
  const statements = new Map<string, SQLite.Statement>();
  return (text: string): SQLite.Statement => {
    let statement = statements.get(text);
    if (!statement) {
      statement = sqlite.prepare(text);
      if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
      statements.set(text, statement);
    }
    return statement;
  };
}

function run(statement: SQLite.Statement, parameters: readonly unknown[]): QueryResult<unknown> {
  if (statement.reader) return { rows: statement.all(parameters) as unknown[] };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return {
    numAffectedRows: BigInt(changes),
    insertId: BigInt(lastInsertRowid),
    rows: [],
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isBusy = (error: unknown) => (error as { code?: string }).code?.startsWith('SQLITE_BUSY') === true;

interface Unit {
  readonly durability: Durability;
  /** Resolves when the unit may run its statements (its savepoint is open). */
  readonly start: () => void;
  readonly fail: (error: unknown) => void;
}

interface Batch {
  readonly durability: Durability;
  readonly openedAt: number;
  readonly waiting: { resolve: () => void; reject: (error: unknown) => void }[];
}

/** The one writer of a process: a queue of units and the physical transaction they share. */
class GroupCommitWriter {
  readonly #sqlite: SQLite.Database;
  readonly #queue: Unit[] = [];
  #batch: Batch | undefined;
  #units = 0;
  #running = false;
  #savepoints = 0;
  readonly #walFile: string;
  #wal: Promise<FileHandle> | undefined;
  readonly prepare: (text: string) => SQLite.Statement;

  constructor(sqlite: SQLite.Database, file: string) {
    this.#sqlite = sqlite;
    this.#walFile = `${file}-wal`;
    this.prepare = statementCache(sqlite);
  }

  /** Makes every commit so far durable: fsync of the write-ahead log, off the event loop. */
  async #syncLog(): Promise<void> {
    this.#wal ??= open(this.#walFile, 'r');
    await (await this.#wal).sync();
  }

  async close(): Promise<void> {
    await (await this.#wal)?.close();
  }

  /** Waits for this unit's turn, then opens its savepoint (and the physical transaction if none is open). */
  async enter(durability: Durability): Promise<string> {
    await new Promise<void>((start, fail) => {
      this.#queue.push({ durability, start, fail });
      if (!this.#running) void this.#next();
    });
    const name = `unit_${++this.#savepoints}`;
    this.#sqlite.exec(`savepoint ${name}`);
    return name;
  }

  /** Releases the unit's savepoint, hands the writer on, and resolves once the unit's writes are durable. */
  async leave(name: string): Promise<void> {
    const batch = this.#batch!;
    try {
      this.#sqlite.exec(`release ${name}`);
      this.#checkStillOpen();
    } catch (error) {
      this.#abortBatch(error);
      void this.#next();
      throw error;
    }
    const durable = new Promise<void>((resolve, reject) => batch.waiting.push({ resolve, reject }));
    void this.#next();
    return durable;
  }

  /** Undoes the unit's writes only: the units before it in the batch keep theirs. */
  rollback(name: string): void {
    try {
      if (this.#sqlite.inTransaction) {
        this.#sqlite.exec(`rollback to ${name}`);
        this.#sqlite.exec(`release ${name}`);
      }
      this.#checkStillOpen();
    } catch (error) {
      this.#abortBatch(error);
    } finally {
      void this.#next();
    }
  }

  /** A statement that made SQLite roll back the whole transaction (disk full, I/O error) loses the batch. */
  #checkStillOpen(): void {
    if (this.#batch && !this.#sqlite.inTransaction) {
      throw new Error('SQLite rolled back the transaction shared by a group of writes');
    }
  }

  #abortBatch(error: unknown): void {
    const batch = this.#batch;
    this.#batch = undefined;
    if (this.#sqlite.inTransaction) this.#sqlite.exec('rollback');
    for (const waiter of batch?.waiting ?? []) waiter.reject(error);
  }

  /** Starts the next unit in the open batch, or commits the batch when nobody of its kind waits. */
  async #next(): Promise<void> {
    this.#running = true;
    const unit = this.#queue[0];
    const batch = this.#batch;
    const full =
      batch !== undefined &&
      (this.#units >= MAX_UNITS_PER_COMMIT || performance.now() - batch.openedAt > MAX_BATCH_MS);
    if (batch && (!unit || unit.durability !== batch.durability || full)) {
      this.#batch = undefined;
      try {
        this.#sqlite.exec('commit');
        const durable = batch.durability === 'full' ? this.#syncLog() : Promise.resolve();
        durable.then(
          () => batch.waiting.forEach((waiter) => waiter.resolve()),
          (error: unknown) => batch.waiting.forEach((waiter) => waiter.reject(error)),
        );
      } catch (error) {
        if (this.#sqlite.inTransaction) this.#sqlite.exec('rollback');
        for (const waiter of batch.waiting) waiter.reject(error);
      }
    }
    if (!unit) {
      this.#running = false;
      return;
    }
    this.#queue.shift();
    if (!this.#batch) {
      try {
        await this.#begin();
      } catch (error) {
        unit.fail(error);
        void this.#next();
        return;
      }
      this.#batch = { durability: unit.durability, openedAt: performance.now(), waiting: [] };
      this.#units = 0;
    }
    this.#units++;
    unit.start();
  }

  /** Takes the write lock, waiting for another process without blocking this one. */
  async #begin(): Promise<void> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        this.#sqlite.exec('begin immediate');
        return;
      } catch (error) {
        if (!isBusy(error) || Date.now() > deadline) throw error;
        // Another worker's batch lasts a few milliseconds: a short, steady poll (a refused BEGIN costs microseconds)
        // takes the lock soon after it is released, where a growing back-off would sleep through several batches.
        await sleep(1);
      }
    }
  }
}

const SYNCHRONOUS_SETTING = /^\s*pragma\s+synchronous\s*=\s*(full|normal)\s*;?\s*$/i;
const SYNCHRONOUS_QUERY = /^\s*pragma\s+synchronous\s*;?\s*$/i;

/**
 * What Kysely calls a connection: a transaction (a unit of the writer) or a sequence of autocommit statements.
 * `pragma synchronous = NORMAL` outside a transaction sets the durability at which this connection's writes commit
 * (they then share batches with other relaxed writes only), as `writeWithoutFsync` asks.
 */
class GroupCommitConnection implements DatabaseConnection {
  readonly #writer: GroupCommitWriter;
  readonly #readerStatement: (text: string) => SQLite.Statement;
  #unit: string | undefined;
  #durability: Durability = 'full';

  constructor(writer: GroupCommitWriter, readerStatement: (text: string) => SQLite.Statement) {
    this.#writer = writer;
    this.#readerStatement = readerStatement;
  }

  async begin(): Promise<void> {
    this.#unit = await this.#writer.enter(this.#durability);
  }

  async commit(): Promise<void> {
    const unit = this.#unit!;
    this.#unit = undefined;
    await this.#writer.leave(unit);
  }

  /** Kysely also calls this after a failed begin or commit: the unit is then already out of the writer. */
  async rollback(): Promise<void> {
    const unit = this.#unit;
    this.#unit = undefined;
    if (unit) this.#writer.rollback(unit);
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters } = query;
    // The durability this connection's writes get (the writer's own setting is always NORMAL, see the top).
    if (SYNCHRONOUS_QUERY.test(sql))
      return { rows: [{ synchronous: this.#durability === 'full' ? 2 : 1 }] as R[] };
    if (this.#unit) return run(this.#writer.prepare(sql), parameters) as QueryResult<R>;
    const setting = SYNCHRONOUS_SETTING.exec(sql);
    if (setting) {
      this.#durability = setting[1]!.toLowerCase() === 'full' ? 'full' : 'normal';
      return { rows: [] };
    }
    const reading = this.#readable(sql);
    if (reading) return run(reading, parameters) as QueryResult<R>;
    // A write outside a transaction is a unit of its own.
    const unit = await this.#writer.enter(this.#durability);
    let result: QueryResult<unknown>;
    try {
      result = run(this.#writer.prepare(sql), parameters);
    } catch (error) {
      this.#writer.rollback(unit);
      throw error;
    }
    await this.#writer.leave(unit);
    return result as QueryResult<R>;
  }

  /**
   * The reader's statement for `sql` if it only reads. The reader's view of the schema is refreshed when it runs a
   * statement, not when it prepares one: a statement it cannot prepare (a column another connection has just
   * added or removed) goes to the writer, which made that change or sees it.
   */
  #readable(sql: string): SQLite.Statement | undefined {
    try {
      const statement = this.#readerStatement(sql);
      return statement.readonly ? statement : undefined;
    } catch {
      return undefined;
    }
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not used with SQLite');
  }
}

class GroupCommitDriver implements Driver {
  readonly #file: string;
  #reader: SQLite.Database | undefined;
  #writerDb: SQLite.Database | undefined;
  #writer: GroupCommitWriter | undefined;
  #readerStatement: ((text: string) => SQLite.Statement) | undefined;

  constructor(file: string) {
    this.#file = file;
  }

  async init(): Promise<void> {
    const writer = new SQLite(this.#file);
    // Health data: a committed write must survive power loss.
    writer.pragma('journal_mode = WAL');
    // Commits write the log; the writer fsyncs it itself before acknowledging (see the top of this file).
    writer.pragma('synchronous = NORMAL');
    // The lock between processes is waited for in `begin`, off the event loop.
    writer.pragma('busy_timeout = 0');
    writer.pragma('foreign_keys = ON');
    const reader = new SQLite(this.#file);
    reader.pragma('busy_timeout = 5000');
    reader.pragma('foreign_keys = ON');
    this.#writerDb = writer;
    this.#writer = new GroupCommitWriter(writer, this.#file);
    this.#reader = reader;
    this.#readerStatement = statementCache(reader);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new GroupCommitConnection(this.#writer!, this.#readerStatement!);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as GroupCommitConnection).begin();
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as GroupCommitConnection).commit();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as GroupCommitConnection).rollback();
  }

  async savepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${name}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`rollback to ${name}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`release ${name}`));
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    await this.#writer?.close();
    this.#reader?.close();
    this.#writerDb?.close();
  }
}

/** A Kysely dialect for one SQLite file with a group-committing writer (see the top of this file). */
export function groupCommitSqliteDialect(file: string): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new GroupCommitDriver(file),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}
