import type { Kysely } from 'kysely';

/** The shared medical record: documents, the patient's access settings and relations, the audit trail. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('documents')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('master_identifier', 'text', (c) => c.notNull())
    .addColumn('type_code', 'text', (c) => c.notNull())
    .addColumn('type_system', 'text', (c) => c.notNull())
    .addColumn('type_display', 'text', (c) => c.notNull())
    .addColumn('class_code', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('author_kind', 'text', (c) => c.notNull())
    .addColumn('author_national_id', 'text')
    .addColumn('author_patient_id', 'text')
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('author_profession_code', 'text')
    .addColumn('author_specialty_code', 'text')
    .addColumn('author_structure_national_id', 'text')
    .addColumn('author_structure_name', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('service_start', 'text')
    .addColumn('service_end', 'text')
    .addColumn('deposited_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // One 0/1 column per flag, so that the access predicate is plain SQL on both dialects.
    .addColumn('masked_ps', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('invisible_patient', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('invisible_representatives', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('content_size', 'integer', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('replaces_id', 'text')
    .addColumn('submission_set_id', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('documents_pk', ['patient_id', 'id'])
    .execute();
  // A producer's unique id names one document version in the patient's record, even under concurrent deposits.
  await db.schema
    .createIndex('documents_master_identifier')
    .on('documents')
    .columns(['patient_id', 'master_identifier'])
    .unique()
    .execute();
  await db.schema
    .createIndex('documents_by_master_identifier')
    .on('documents')
    .column('master_identifier')
    .execute();
  await db.schema
    .createIndex('documents_by_author')
    .on('documents')
    .columns(['author_national_id', 'deposited_at'])
    .execute();
  await db.schema
    .createIndex('documents_by_patient_date')
    .on('documents')
    .columns(['patient_id', 'status', 'deposited_at'])
    .execute();
  await db.schema.createIndex('documents_by_id').on('documents').column('id').execute();

  await db.schema
    .createTable('record_settings')
    .addColumn('patient_id', 'text', (c) => c.primaryKey())
    .addColumn('mask_new_documents', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('allow_bris_de_glace', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('allow_regulation', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('allow_masked_in_emergency', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('record_professionals')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('national_id', 'text', (c) => c.notNull())
    .addColumn('professional_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('profession_code', 'text')
    .addColumn('blocked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('administrator', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('consent_at', 'text')
    .addColumn('first_access_at', 'text')
    .addColumn('last_access_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('record_professionals_pk', ['patient_id', 'national_id'])
    .execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('chain', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('patient_id', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('actor_profession', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('access_mode', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_events_pk', ['chain', 'seq'])
    .execute();
  // The head of each chain: updating it serialises the appends of one chain (and only that chain).
  await db.schema
    .createTable('audit_heads')
    .addColumn('chain', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audit_events_by_patient')
    .on('audit_events')
    .columns(['patient_id', 'at'])
    .execute();
}
