import type { Kysely } from 'kysely';

/** The medical profile: sealed entries per section, and the patient's masks per part. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('profile_entries')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('section', 'text', (c) => c.notNull())
    .addColumn('kind', 'text')
    .addColumn('effective_at', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_ref', 'text')
    .addColumn('source_name', 'text')
    .addColumn('data_sealed', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('profile_entries_pk', ['patient_id', 'id'])
    .execute();
  await db.schema
    .createIndex('profile_entries_by_section')
    .on('profile_entries')
    .columns(['patient_id', 'section', 'kind', 'effective_at'])
    .execute();
  // FHIR read by id (`GET /fhir/Immunization/<id>`) finds the patient from the entry id.
  await db.schema.createIndex('profile_entries_by_id').on('profile_entries').column('id').execute();
  // A feed re-sending the same line adds nothing (null source_ref, the patient's own entries, never collide).
  await db.schema
    .createIndex('profile_entries_source_ref')
    .on('profile_entries')
    .columns(['patient_id', 'source', 'source_ref'])
    .unique()
    .execute();

  await db.schema
    .createTable('profile_masks')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('area', 'text', (c) => c.notNull())
    .addColumn('masked_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('profile_masks_pk', ['patient_id', 'area'])
    .execute();
}
