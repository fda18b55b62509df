import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects, type TestDatabase } from '../test-databases.ts';
import { up } from './015-document-metadata.ts';

const addedColumns = [
  'author_given_name',
  'author_family_name',
  'format_system',
  'format_code',
  'facility_system',
  'facility_code',
  'setting_system',
  'setting_code',
  'language',
  'content_sha1',
  'sealed_metadata',
  'confidentiality_code',
];

describe.each(testDialects)('migration 015: document metadata and submission sets (%s)', (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.destroy();
  });

  it('turns the submission set uniqueIds documents carried into submission sets they point at', async () => {
    database = await createTestDatabase(dialect);
    const { db } = database;
    // The schema as 014 left it.
    for (const table of ['document_event_tokens', 'document_related_ids', 'submission_sets'] as const) {
      await db.schema.dropTable(table).execute();
    }
    for (const column of addedColumns) await db.schema.alterTable('documents').dropColumn(column).execute();
    const before = db as unknown as Kysely<{ documents: Record<string, string | number | null> }>;
    const doc = (id: string, patient: string, set: string | null, at: string) => ({
      patient_id: patient,
      id,
      master_identifier: `urn:uuid:${id}`,
      type_code: '11488-4',
      type_system: 'http://loinc.org',
      type_display: 'Compte rendu de consultation',
      class_code: '10',
      sealed_title: 'sealed1:x',
      author_kind: 'professional',
      author_name: 'Dr Test',
      created_at: at,
      deposited_at: at,
      status: 'current',
      content_hash: 'h',
      content_size: 1,
      content_type: 'application/pdf',
      submission_set_id: set,
      updated_at: at,
    });
    await before
      .insertInto('documents')
      .values([
        doc('d1', 'p1', '1.2.250.1.999.1', '2026-01-02T00:00:00.000Z'),
        doc('d2', 'p1', '1.2.250.1.999.1', '2026-01-01T00:00:00.000Z'),
        doc('d3', 'p2', '1.2.250.1.999.1', '2026-01-03T00:00:00.000Z'),
        doc('d4', 'p1', null, '2026-01-04T00:00:00.000Z'),
      ])
      .execute();

    await up(db as unknown as Kysely<unknown>);

    const sets = await db.selectFrom('submission_sets').selectAll().orderBy('patient_id').execute();
    expect(sets.map((s) => [s.patient_id, s.master_identifier, s.submitted_at])).toEqual([
      ['p1', '1.2.250.1.999.1', '2026-01-01T00:00:00.000Z'],
      ['p2', '1.2.250.1.999.1', '2026-01-03T00:00:00.000Z'],
    ]);
    const docs = await db
      .selectFrom('documents')
      .select(['id', 'submission_set_id', 'confidentiality_code'])
      .orderBy('id')
      .execute();
    expect(docs).toEqual([
      { id: 'd1', submission_set_id: sets[0]!.id, confidentiality_code: 'N' },
      { id: 'd2', submission_set_id: sets[0]!.id, confidentiality_code: 'N' },
      { id: 'd3', submission_set_id: sets[1]!.id, confidentiality_code: 'N' },
      { id: 'd4', submission_set_id: null, confidentiality_code: 'N' },
    ]);
  });
});
