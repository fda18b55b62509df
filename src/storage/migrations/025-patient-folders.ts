import type { Kysely } from 'kysely';

/**
 * The patient's own organisation of their record: personal folders (a document in several or none) and pinned
 * documents. Patient-first keys like every table of a record (src/storage/distribution.test.ts); the folder
 * name is sealed at rest, so there is no index on it. Links name the document without a foreign key: a
 * document's rows are never deleted (a deletion is a status), and the list joins on what the reader may see.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('patient_folders')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('sealed_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('patient_folders_pk', ['patient_id', 'id'])
    .execute();
  await db.schema
    .createTable('patient_folder_documents')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('folder_id', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('patient_folder_documents_pk', ['patient_id', 'folder_id', 'document_id'])
    .execute();
  // « Which folders is this document in », from its detail.
  await db.schema
    .createIndex('patient_folder_documents_by_document')
    .on('patient_folder_documents')
    .columns(['patient_id', 'document_id'])
    .execute();
  await db.schema
    .createTable('patient_pins')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text', (c) => c.notNull())
    .addColumn('pinned_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('patient_pins_pk', ['patient_id', 'document_id'])
    .execute();
}
