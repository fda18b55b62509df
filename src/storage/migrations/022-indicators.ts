import { sql, type Kysely } from 'kysely';

/**
 * What the professional's indicators need (src/indicators; docs/features.md, "Professional's indicators"):
 *
 * - `insurer_care.nature` and `executant_national_id`: the insurer's nature of a reimbursed service (`consultation`,
 *   `teleconsultation`, `visite`, `acte`, `autre`) and who performed it (`8` + RPPS), in clear so that a
 *   professional's reimbursed consultations are found by an index; null for lines imported before.
 * - `insurer_ald`: the periods of a long-term illness (ALD, "affection de longue durée") the insurer recognises for
 *   a person, fed by the `ALD` records of the same file.
 * - `insurer_imports.ald_added`: the counter of those records.
 * - `documents.filed_from_message`: the MSSanté message a patient filed the document from ("Classer dans mon
 *   dossier"): such a document names the sending professional as author, but it is the patient's deposit, not the
 *   professional's. Documents already filed are found through `mss_attachments.filed_document_id`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('insurer_care').addColumn('nature', 'text').execute();
  await db.schema.alterTable('insurer_care').addColumn('executant_national_id', 'text').execute();
  await db.schema
    .createIndex('insurer_care_by_executant')
    .on('insurer_care')
    .columns(['executant_national_id', 'care_date'])
    .execute();

  await db.schema
    .createTable('insurer_ald')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('source_ref', 'text', (c) => c.notNull())
    // YYYY-MM-DD; no end: recognised until further notice.
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text')
    .addColumn('import_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('insurer_ald_pk', ['patient_id', 'id'])
    .execute();
  await db.schema
    .createIndex('insurer_ald_source')
    .on('insurer_ald')
    .columns(['patient_id', 'source_ref'])
    .unique()
    .execute();

  await db.schema
    .alterTable('insurer_imports')
    .addColumn('ald_added', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema.alterTable('documents').addColumn('filed_from_message', 'text').execute();
  await sql`
    update documents set filed_from_message = (
      select a.message_row_id from mss_attachments a
      where a.patient_id = documents.patient_id and a.filed_document_id = documents.id
    )
    where exists (
      select 1 from mss_attachments a
      where a.patient_id = documents.patient_id and a.filed_document_id = documents.id
    )`.execute(db);
}
