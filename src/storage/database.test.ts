import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from './database.ts';
import { createTestDatabase, testDialects, type TestDatabase } from './test-databases.ts';

describe.each(testDialects)('storage on %s', (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.destroy();
    database = undefined;
  });

  it('applies every migration once, and a second run changes nothing', async () => {
    database = await createTestDatabase(dialect);
    expect(await migrateToLatest(database.db)).toEqual([]);
    const applied = await database.db.selectFrom('kysely_migration').select('name').execute();
    expect(applied.map((m) => m.name)).toContain('001-foundation');
  });

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
});
