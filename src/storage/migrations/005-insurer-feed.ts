import type { Kysely } from 'kysely';

/**
 * The Assurance Maladie feed (src/insurer): reimbursed care ("Mon histoire de santé") and the bookkeeping of
 * `carnet import-insurer` (one checkpoint row per run, committed with each batch, and its rejected lines).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('insurer_care')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    // The insurer's own line id: a line imported twice is recognised and stored once.
    .addColumn('source_ref', 'text', (c) => c.notNull())
    // Plain, for browsing by year, month and category; everything else is in `sealed`.
    .addColumn('care_date', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('import_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('insurer_care_pk', ['patient_id', 'id'])
    .execute();
  await db.schema
    .createIndex('insurer_care_source')
    .on('insurer_care')
    .columns(['patient_id', 'source_ref'])
    .unique()
    .execute();
  await db.schema
    .createIndex('insurer_care_by_date')
    .on('insurer_care')
    .columns(['patient_id', 'care_date', 'category'])
    .execute();

  await db.schema
    .createTable('insurer_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_sha256', 'text', (c) => c.notNull())
    .addColumn('file_size', 'bigint', (c) => c.notNull())
    // Where the next batch starts: the first byte and the physical line number after the last committed batch.
    .addColumn('byte_offset', 'bigint', (c) => c.notNull())
    .addColumn('line_number', 'integer', (c) => c.notNull())
    .addColumn('records', 'integer', (c) => c.notNull())
    .addColumn('care_added', 'integer', (c) => c.notNull())
    .addColumn('vaccinations_added', 'integer', (c) => c.notNull())
    .addColumn('attestations_added', 'integer', (c) => c.notNull())
    .addColumn('duplicates', 'integer', (c) => c.notNull())
    .addColumn('rejected', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema
    .createIndex('insurer_imports_by_file')
    .on('insurer_imports')
    .columns(['file_sha256', 'finished_at'])
    .execute();

  // Reasons name the field and the rule, never the content of a line.
  await db.schema
    .createTable('insurer_import_rejects')
    .addColumn('import_id', 'text', (c) => c.notNull())
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('insurer_import_rejects_pk', ['import_id', 'line'])
    .execute();
}
