import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects, type TestDatabase } from '../test-databases.ts';
import { up } from './016-author-name-search.ts';

describe.each(testDialects)('migration 016: searchable author names (%s)', (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.destroy();
  });

  it('fills the searchable form of the names documents already carry', async () => {
    database = await createTestDatabase(dialect);
    const { db } = database;
    // The schema as 015 left it.
    for (const column of ['author_given_search', 'author_family_search'])
      await db.schema.alterTable('documents').dropColumn(column).execute();
    const before = db as unknown as Kysely<{ documents: Record<string, string | number | null> }>;
    const doc = (id: string, given: string | null, family: string | null) => ({
      patient_id: 'p1',
      id,
      master_identifier: `urn:uuid:${id}`,
      type_code: '11488-4',
      type_system: 'http://loinc.org',
      type_display: 'Compte rendu de consultation',
      class_code: '10',
      sealed_title: 'sealed1:x',
      author_kind: 'professional',
      author_name: 'Dr Test',
      author_given_name: given,
      author_family_name: family,
      created_at: '2026-01-01T00:00:00.000Z',
      deposited_at: '2026-01-01T00:00:00.000Z',
      status: 'current',
      content_hash: 'h',
      content_size: 1,
      content_type: 'application/pdf',
      updated_at: '2026-01-01T00:00:00.000Z',
    });
    await before
      .insertInto('documents')
      .values([doc('d1', 'Éloïse', 'LŒUILLET'), doc('d2', null, null)])
      .execute();

    await up(db as unknown as Kysely<unknown>);

    const rows = await db
      .selectFrom('documents')
      .select(['id', 'author_given_search', 'author_family_search'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { id: 'd1', author_given_search: 'eloise', author_family_search: 'loeuillet' },
      { id: 'd2', author_given_search: null, author_family_search: null },
    ]);
  });
});
