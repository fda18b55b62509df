import { sql, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * Every table that holds one patient's rows has `patient_id` first in its primary key, so that a sharded
 * PostgreSQL (Citus, distributed by `patient_id`) keeps each record on one node and can enforce the key there
 * (README, "National scale"). Codes and tokens are still found by their hash alone, through a plain index.
 *
 * Neither dialect changes a primary key in place the same way (SQLite not at all), so each table is rebuilt:
 * created anew under a temporary name, filled, the old one dropped, the new one renamed, its indexes recreated.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await rebuild(
    db,
    'emergency_accesses',
    (t) =>
      t
        .addColumn('patient_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('professional_national_id', 'text', (c) => c.notNull())
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('ends_at', 'text', (c) => c.notNull())
        .addColumn('ended_at', 'text')
        .addPrimaryKeyConstraint('emergency_accesses_pk', ['patient_id', 'id']),
    sql`select patient_id, id, professional_national_id, mode, reason, started_at, ends_at, ended_at
        from emergency_accesses`,
  );
  await db.schema
    .createIndex('emergency_accesses_by_professional')
    .on('emergency_accesses')
    .columns(['professional_national_id', 'patient_id', 'ends_at'])
    .execute();

  await rebuild(
    db,
    'app_codes',
    (t) =>
      t
        .addColumn('patient_id', 'text', (c) => c.notNull())
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('grant_id', 'text', (c) => c.notNull())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('redirect_uri', 'text', (c) => c.notNull())
        .addColumn('code_challenge', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .addPrimaryKeyConstraint('app_codes_pk', ['patient_id', 'code_hash']),
    sql`select patient_id, code_hash, grant_id, client_id, redirect_uri, code_challenge, expires_at, used_at
        from app_codes`,
  );
  await db.schema.createIndex('app_codes_by_hash').on('app_codes').column('code_hash').execute();

  await rebuild(
    db,
    'app_tokens',
    (t) =>
      t
        .addColumn('patient_id', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull())
        .addColumn('grant_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .addPrimaryKeyConstraint('app_tokens_pk', ['patient_id', 'token_hash']),
    sql`select patient_id, token_hash, grant_id, kind, created_at, expires_at, revoked_at from app_tokens`,
  );
  await db.schema.createIndex('app_tokens_by_hash').on('app_tokens').column('token_hash').execute();
  await db.schema
    .createIndex('app_tokens_by_grant')
    .on('app_tokens')
    .columns(['patient_id', 'grant_id'])
    .execute();

  // A document's event tokens are a set: two events with the same code in different systems share the
  // system-less token, which is kept once.
  await rebuild(
    db,
    'document_event_tokens',
    (t) =>
      t
        .addColumn('patient_id', 'text', (c) => c.notNull())
        .addColumn('document_id', 'text', (c) => c.notNull())
        .addColumn('token', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('document_event_tokens_pk', ['patient_id', 'document_id', 'token']),
    sql`select distinct patient_id, document_id, token from document_event_tokens`,
  );
  await db.schema
    .createIndex('document_event_tokens_by_token')
    .on('document_event_tokens')
    .columns(['patient_id', 'token'])
    .execute();

  // A related identifier's system may be absent, so it cannot be in the key: each gets its rank in the document.
  await rebuild(
    db,
    'document_related_ids',
    (t) =>
      t
        .addColumn('patient_id', 'text', (c) => c.notNull())
        .addColumn('document_id', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('system', 'text')
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('document_related_ids_pk', ['patient_id', 'document_id', 'position']),
    sql`select patient_id, document_id,
          row_number() over (partition by patient_id, document_id order by system, value) - 1, system, value
        from document_related_ids`,
  );
  await db.schema
    .createIndex('document_related_ids_by_value')
    .on('document_related_ids')
    .columns(['patient_id', 'value'])
    .execute();
}

async function rebuild(
  db: Kysely<unknown>,
  table: string,
  define: (t: CreateTableBuilder<string>) => CreateTableBuilder<string>,
  rows: ReturnType<typeof sql>,
): Promise<void> {
  const next = `${table}_rebuilt`;
  await define(db.schema.createTable(next)).execute();
  await sql`insert into ${sql.table(next)} ${rows}`.execute(db);
  // Dropping the table drops its indexes, whose names the caller then reuses.
  await db.schema.dropTable(table).execute();
  await db.schema.alterTable(next).renameTo(table).execute();
}
