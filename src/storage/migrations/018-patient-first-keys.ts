import { PostgresAdapter, sql, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * Every table that holds one patient's rows has `patient_id` first in its primary key, so that a sharded
 * PostgreSQL (Citus, distributed by `patient_id`) keeps each record on one node and can enforce the key there
 * (README, "National scale"). Codes and tokens are still found by their hash alone, through a plain index.
 * No unique index spans patients, which such a database could not enforce: a login's uniqueness moves to a
 * table of its own keyed by the login (`account_logins`), and the hashes of the calendar feed and opposition
 * proof tokens (256 random bits, unique by construction) keep a plain index for their lookup.
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

  // A login is unique across patients: the table that says so is keyed by it (distributed by it, in Citus).
  await db.schema
    .createTable('account_logins')
    .addColumn('login', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into account_logins (login, patient_id) select login, patient_id from accounts`.execute(
    db,
  );
  // PostgreSQL drops the constraint; SQLite cannot drop the index an inline UNIQUE made, so it rebuilds (keeping
  // the constraint names, which a PostgreSQL rebuild could not reuse while the old table stands).
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table accounts drop constraint accounts_login_key`.execute(db);
  } else {
    await rebuild(
      db,
      'accounts',
      (t) =>
        t
          .addColumn('patient_id', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('login', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('accounts_pk', ['patient_id', 'id'])
          .addUniqueConstraint('accounts_one_per_patient', ['patient_id']),
      sql`select patient_id, id, login, password_hash, created_at, updated_at from accounts`,
    );
  }

  await rebuild(
    db,
    'oppositions',
    (t) =>
      t
        .addColumn('patient_id', 'text', (c) => c.notNull())
        .addColumn('proof_token', 'text', (c) => c.notNull())
        .addColumn('opposed_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('oppositions_pk', ['patient_id']),
    sql`select patient_id, proof_token, opposed_at from oppositions`,
  );
  await db.schema.createIndex('oppositions_by_proof').on('oppositions').column('proof_token').execute();

  await db.schema.dropIndex('agenda_feeds_by_token').execute();
  await db.schema.createIndex('agenda_feeds_by_token').on('agenda_feeds').column('token_hash').execute();
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
