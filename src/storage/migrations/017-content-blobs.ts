import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Sealed contents (record documents, MSSanté attachments) in the database, so that every instance sharing one
 * PostgreSQL reads what another wrote. Only the PostgreSQL store uses the table; SQLite, which serves one
 * instance, keeps its contents in files under the data folder, but gets the same table so that both dialects
 * share one schema. The patient comes first in the key: Citus distributes by it, with the patient's rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('content_blobs')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('documents', 'messages')`))
    .addColumn('content_id', 'text', (c) => c.notNull())
    .addColumn('sealed', postgres ? 'bytea' : 'blob', (c) => c.notNull())
    .addPrimaryKeyConstraint('content_blobs_pk', ['patient_id', 'kind', 'content_id'])
    .execute();
}
