import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects, type TestDatabase } from '../test-databases.ts';
import { up } from './014-app-grant-scopes.ts';

describe.each(testDialects)('migration 014: the scopes of earlier connections (%s)', (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.destroy();
  });

  it('gives a grant made before it the scopes its tokens already carried, nothing more', async () => {
    database = await createTestDatabase(dialect);
    const { db } = database;
    // The table as it stood before the migration, with one grant in it.
    await db.schema.alterTable('app_grants').dropColumn('data_scopes').execute();
    const before = db as unknown as Kysely<{ app_grants: Record<string, string | null> }>;
    await before
      .insertInto('app_grants')
      .values({
        patient_id: 'p1',
        id: 'g1',
        service_id: 'glucosuivi',
        client_id: 'glucosuivi',
        purposes: JSON.stringify(['write-measurements', 'read-measurements']),
        context_scopes: 'launch/patient offline_access',
        granted_by: 'p1',
        created_at: '2026-11-01T00:00:00.000Z',
        revoked_at: null,
        last_used_at: null,
      })
      .execute();
    await up(db as unknown as Kysely<unknown>);
    const row = await db.selectFrom('app_grants').select('data_scopes').executeTakeFirstOrThrow();
    expect(row.data_scopes).toBe('patient/Observation.read patient/Observation.write');
  });
});
