import type { Kysely } from 'kysely';

/**
 * Access facts that belong to one patient's record (docs/access.md, "Emergency access"): a professional's emergency
 * access (bris de glace or SAMU regulation) to one patient, for a bounded time; and which masks a document's author
 * set (every other mask is the patient's, which only the patient or their representative lifts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('emergency_accesses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('professional_national_id', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .execute();
  await db.schema
    .createIndex('emergency_accesses_by_professional')
    .on('emergency_accesses')
    .columns(['professional_national_id', 'patient_id', 'ends_at'])
    .execute();
  await db.schema
    .createTable('author_masks')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text', (c) => c.notNull())
    .addColumn('masked_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('author_masks_pk', ['patient_id', 'document_id'])
    .execute();
}
