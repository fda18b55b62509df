import { mkdtempSync, rmSync } from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { groupCommitSqliteDialect } from './sqlite-group-commit.ts';

/** The fsyncs of write-ahead logs, held until the test lets each go. */
const logSyncs = vi.hoisted(() => ({ hold: false, pending: [] as (() => void)[], done: 0 }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof FsPromises>();
  return {
    ...actual,
    open: async (...args: Parameters<typeof actual.open>) => {
      const handle = await actual.open(...args);
      if (!String(args[0]).endsWith('-wal')) return handle;
      const sync = handle.sync.bind(handle);
      handle.sync = async () => {
        if (logSyncs.hold) await new Promise<void>((resolve) => logSyncs.pending.push(resolve));
        await sync();
        logSyncs.done++;
      };
      return handle;
    },
  };
});

interface Schema {
  notes: { id: number; text: string };
}

const folders: string[] = [];
const opened: Kysely<Schema>[] = [];

async function open(file?: string): Promise<{ db: Kysely<Schema>; file: string }> {
  if (!file) {
    const folder = mkdtempSync(path.join(tmpdir(), 'carnet-group-commit-'));
    folders.push(folder);
    file = path.join(folder, 'test.db');
  }
  const db = new Kysely<Schema>({ dialect: groupCommitSqliteDialect(file) });
  opened.push(db);
  await sql`create table if not exists notes (id integer primary key, text text not null)`.execute(db);
  return { db, file };
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.destroy()));
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const insert = (db: Kysely<Schema>, id: number) =>
  db.transaction().execute(async (trx) => {
    await trx
      .insertInto('notes')
      .values({ id, text: `note ${id}` })
      .execute();
    // Work between statements, as a deposit's transaction does: other transactions queue meanwhile.
    await new Promise((resolve) => setImmediate(resolve));
    await trx
      .updateTable('notes')
      .set({ text: `note ${id} ✓` })
      .where('id', '=', id)
      .execute();
  });

describe('SQLite with one writer and group commit', () => {
  it('commits each of many concurrent transactions, and a failing one takes nothing else down', async () => {
    const { db, file } = await open();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        i === 30
          ? db.transaction().execute(async (trx) => {
              await trx.insertInto('notes').values({ id: 1000, text: 'annulée' }).execute();
              throw new Error('refusé');
            })
          : insert(db, i),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1);
    // Another connection, as another process would: every acknowledged transaction is committed.
    const other = new SQLite(file, { readonly: true });
    try {
      const rows = other.prepare('select id, text from notes order by id').all() as Schema['notes'][];
      expect(rows).toHaveLength(59);
      expect(rows.every((r) => r.text.endsWith('✓'))).toBe(true);
      expect(rows.some((r) => r.id === 1000)).toBe(false);
    } finally {
      other.close();
    }
  });

  it('acknowledges a transaction only once another connection can read what it wrote', async () => {
    const { db, file } = await open();
    const other = new SQLite(file, { readonly: true });
    try {
      const seen: number[] = [];
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          insert(db, i).then(() => {
            const row = other.prepare('select count(*) as n from notes where id = ?').get(i) as {
              n: number;
            };
            seen.push(row.n);
          }),
        ),
      );
      expect(seen).toEqual(Array.from({ length: 20 }, () => 1));
    } finally {
      other.close();
    }
  });

  it('acknowledges a commit only after the fsync of the log, which does not hold the event loop', async () => {
    const { db } = await open();
    logSyncs.hold = true;
    try {
      let acknowledged = false;
      const writing = insert(db, 1).then(() => (acknowledged = true));
      while (logSyncs.pending.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      // Committed, not yet on disk: not acknowledged, and timers still fire meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(acknowledged).toBe(false);
      logSyncs.pending.shift()!();
      await writing;
      expect(acknowledged).toBe(true);
    } finally {
      logSyncs.hold = false;
      logSyncs.pending.splice(0).forEach((release) => release());
    }
  });

  it('relaxed writes (attempt counters) are acknowledged without waiting for an fsync', async () => {
    const { db } = await open();
    const before = logSyncs.done;
    await db.connection().execute(async (connection) => {
      await sql`pragma synchronous = NORMAL`.execute(connection);
      await connection.insertInto('notes').values({ id: 1, text: 'compteur' }).execute();
    });
    expect(logSyncs.done).toBe(before);
    await insert(db, 2);
    expect(logSyncs.done).toBe(before + 1);
  });

  it('answers reads while a transaction is open, from the last commit', async () => {
    const { db } = await open();
    await insert(db, 1);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = db.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({ id: 2, text: 'pas encore' }).execute();
      await held;
    });
    // With one connection held by the transaction, this read would wait for it (and here, for ever).
    const during = await db.selectFrom('notes').select('id').execute();
    expect(during).toEqual([{ id: 1 }]);
    release();
    await slow;
    expect(await db.selectFrom('notes').select('id').orderBy('id').execute()).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('waits for another process’s write lock without holding up its own event loop', async () => {
    const first = await open();
    const second = await open(first.file);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holding = first.db.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({ id: 1, text: 'premier' }).execute();
      await held;
    });
    await new Promise((resolve) => setImmediate(resolve));
    const waiting = insert(second.db, 2);
    // A timer fires while the second writer waits: its wait does not block the event loop.
    await new Promise((resolve) => setTimeout(resolve, 30));
    release();
    await Promise.all([holding, waiting]);
    expect(await second.db.selectFrom('notes').select('id').orderBy('id').execute()).toEqual([
      { id: 1 },
      { id: 2 },
    ]);
  });

  it('keeps a failed statement outside a transaction from touching the writes around it', async () => {
    const { db } = await open();
    const results = await Promise.allSettled([
      db.insertInto('notes').values({ id: 1, text: 'un' }).execute(),
      db.insertInto('notes').values({ id: 1, text: 'doublon' }).execute(),
      db.insertInto('notes').values({ id: 2, text: 'deux' }).execute(),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await db.selectFrom('notes').select(['id', 'text']).orderBy('id').execute()).toEqual([
      { id: 1, text: 'un' },
      { id: 2, text: 'deux' },
    ]);
  });
});
