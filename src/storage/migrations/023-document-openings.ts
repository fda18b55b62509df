import { sql, type Kysely } from 'kysely';

/**
 * When each reader on the patient's side (the patient, or a legal representative of a minor) first opened a
 * document of the record: until then the patient space marks it « Nouveau » and counts it on the home. A table of
 * its own rather than a query of the audit trail: the trail is append-only evidence, kept and read for
 * accountability, with no index by document; this is a small, patient-first key the list and the home read in one
 * lookup. Filled once from the trail, so that documents already opened are not shown as new again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('document_openings')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text', (c) => c.notNull())
    .addColumn('reader_id', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('document_openings_pk', ['patient_id', 'document_id', 'reader_id'])
    .execute();
  await sql`
    insert into document_openings (patient_id, document_id, reader_id, opened_at)
    select patient_id, target_id, actor_id, min(at) from audit_events
    where action in ('read', 'retrieve') and outcome = 'success' and target_type = 'DocumentReference'
      and actor_kind in ('patient', 'representative')
      and patient_id is not null and target_id is not null and actor_id is not null
    group by patient_id, target_id, actor_id`.execute(db);
}
