import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { migrateToLatest, openDatabase, writeWithoutFsync } from './database.ts';
import { createTestDatabase, TEST_POSTGRES_URL, testDialects, type TestDatabase } from './test-databases.ts';

describe.each(testDialects)('storage on %s', (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.destroy();
    database = undefined;
  });

  it('applies every migration once, and a second run changes nothing', async () => {
    database = await createTestDatabase(dialect);
    expect(await migrateToLatest(database.db)).toEqual([]);
    const applied = await database.db.selectFrom('schema_migrations').select('name').execute();
    expect(applied.map((m) => m.name)).toEqual([
      '001-foundation',
      '002-shared-record',
      '003-messaging',
      '004-medical-profile',
      '005-insurer-feed',
      '006-agenda',
      '007-catalogue',
      '008-connections',
      '009-insurer-import-lock',
      '010-prevention-sweeps',
      '011-access-rules',
      '012-sealed-subjects',
      '013-sealed-outbox-and-titles',
      '014-app-grant-scopes',
      '015-document-metadata',
      '016-author-name-search',
      '017-content-blobs',
      '018-patient-first-keys',
      '019-coalesced-notices',
      '020-account-recovery',
      '021-prevention-done-on',
      '022-indicators',
      '023-document-openings',
      '024-document-search',
      '025-patient-folders',
    ]);
  });

  // Several instances share one PostgreSQL (SQLite serves a single instance).
  it.runIf(dialect === 'postgres')(
    'lets two instances starting at once apply each migration exactly once',
    async () => {
      database = await createTestDatabase(dialect);
      const schema = `${database.schema}_fresh`;
      await sql`create schema ${sql.id(schema)}`.execute(database.db);
      const url = `${TEST_POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
      const [one, two] = [1, 2].map(() => openDatabase({ databaseUrl: url, sqlitePath: '' }));
      try {
        const [a, b] = await Promise.all([migrateToLatest(one!.db), migrateToLatest(two!.db)]);
        expect([...a, ...b].sort()).toEqual([
          '001-foundation',
          '002-shared-record',
          '003-messaging',
          '004-medical-profile',
          '005-insurer-feed',
          '006-agenda',
          '007-catalogue',
          '008-connections',
          '009-insurer-import-lock',
          '010-prevention-sweeps',
          '011-access-rules',
          '012-sealed-subjects',
          '013-sealed-outbox-and-titles',
          '014-app-grant-scopes',
          '015-document-metadata',
          '016-author-name-search',
          '017-content-blobs',
          '018-patient-first-keys',
          '019-coalesced-notices',
          '020-account-recovery',
          '021-prevention-done-on',
          '022-indicators',
          '023-document-openings',
          '024-document-search',
          '025-patient-folders',
        ]);
      } finally {
        await Promise.all([one!.close(), two!.close()]);
        await sql`drop schema ${sql.id(schema)} cascade`.execute(database.db);
      }
    },
  );

  it('rolls back every write of a failed transaction', async () => {
    database = await createTestDatabase(dialect);
    const now = new Date().toISOString();
    const structure = {
      id: 's1',
      national_id: '1750000001',
      name: 'Hôpital',
      kind: 'FINESS',
      created_at: now,
    };
    await expect(
      database.db.transaction().execute(async (trx) => {
        await trx.insertInto('structures').values(structure).execute();
        await trx.insertInto('structures').values(structure).execute();
      }),
    ).rejects.toThrow();
    expect(await database.db.selectFrom('structures').selectAll().execute()).toEqual([]);
  });

  // The security review's burst of sign-ins: fails on fb512e4, where every counted sign-in was an fsync on the event
  // loop.
  it.runIf(dialect === 'sqlite')(
    'relaxes durability for the writes it is asked to and for nothing else, even run at the same time',
    async () => {
      database = await createTestDatabase(dialect);
      const { db } = database;
      const synchronous = async (executor: typeof db) =>
        (await sql<{ synchronous: number }>`pragma synchronous`.execute(executor)).rows[0]!.synchronous;
      const FULL = 2;
      const NORMAL = 1;
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const relaxed = writeWithoutFsync(db, async (connection) => {
        const inside = await synchronous(connection as typeof db);
        await held;
        return inside;
      });
      // A query issued meanwhile (a deposit, a sign-in) waits for the connection and runs with full durability.
      const meanwhile = synchronous(db);
      setTimeout(release, 20);
      expect(await relaxed).toBe(NORMAL);
      expect(await meanwhile).toBe(FULL);
      expect(await synchronous(db)).toBe(FULL);
      // Inside a transaction nothing changes (a pragma there would concern the whole transaction).
      await db.transaction().execute(async (trx) => {
        expect(await writeWithoutFsync(trx, (t) => synchronous(t as typeof db))).toBe(FULL);
      });
      // A failed write leaves the connection as it found it.
      await expect(
        writeWithoutFsync(db, async () => {
          throw new Error('échec');
        }),
      ).rejects.toThrow('échec');
      expect(await synchronous(db)).toBe(FULL);
    },
  );
});
