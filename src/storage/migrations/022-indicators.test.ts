import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects, type TestDatabase } from '../test-databases.ts';
import { up } from './022-indicators.ts';

describe.each(testDialects)('migration 022: indicators (%s)', (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.destroy();
  });

  it('marks the documents patients already filed from a message, and adds the feed’s columns', async () => {
    database = await createTestDatabase(dialect);
    const { db } = database;
    // The schema as 019 left it.
    await db.schema.dropIndex('insurer_care_by_executant').execute();
    await db.schema.alterTable('insurer_care').dropColumn('nature').execute();
    await db.schema.alterTable('insurer_care').dropColumn('executant_national_id').execute();
    await db.schema.dropTable('insurer_ald').execute();
    await db.schema.alterTable('insurer_imports').dropColumn('ald_added').execute();
    await db.schema.alterTable('documents').dropColumn('filed_from_message').execute();
    const before = db as unknown as Kysely<{
      documents: Record<string, string | number | null>;
      mss_attachments: Record<string, string | number | null>;
    }>;
    const at = '2026-01-01T00:00:00.000Z';
    const doc = (patient: string, id: string) => ({
      patient_id: patient,
      id,
      master_identifier: `urn:uuid:${id}`,
      type_code: '11488-4',
      type_system: 'http://loinc.org',
      type_display: 'Compte rendu de consultation',
      class_code: '10',
      sealed_title: 'sealed1:x',
      author_kind: 'professional',
      author_national_id: '810001000115',
      author_name: 'Dr Test',
      created_at: at,
      deposited_at: at,
      status: 'current',
      content_hash: 'h',
      content_size: 1,
      content_type: 'application/pdf',
      updated_at: at,
    });
    await before
      .insertInto('documents')
      .values([doc('p1', 'filed'), doc('p1', 'deposited'), doc('p2', 'filed')])
      .execute();
    await before
      .insertInto('mss_attachments')
      .values({
        patient_id: 'p1',
        id: 'a1',
        message_row_id: 'm1',
        position: 0,
        filename: 'cr.pdf',
        declared_type: 'application/pdf',
        content_type: 'application/pdf',
        kind: 'pdf',
        size: 1,
        content_hash: 'h',
        from_xdm: null,
        filed_document_id: 'filed',
        created_at: at,
      })
      .execute();

    await up(db as unknown as Kysely<unknown>);

    const rows = await db
      .selectFrom('documents')
      .select(['patient_id', 'id', 'filed_from_message'])
      .orderBy('patient_id')
      .orderBy('id')
      .execute();
    // Only p1's document: p2's has the same id but no attachment of p2 was filed into it.
    expect(rows).toEqual([
      { patient_id: 'p1', id: 'deposited', filed_from_message: null },
      { patient_id: 'p1', id: 'filed', filed_from_message: 'm1' },
      { patient_id: 'p2', id: 'filed', filed_from_message: null },
    ]);
    const imports = await db.selectFrom('insurer_imports').select('ald_added').execute();
    expect(imports).toEqual([]);
    expect(await db.selectFrom('insurer_ald').selectAll().execute()).toEqual([]);
  });
});
