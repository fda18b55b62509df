import type { Kysely } from 'kysely';

/**
 * Account recovery (docs/features.md, "Profile lifecycle"). `password_resets`: one row per « mot de passe oublié »
 * request that matched an activated account (none otherwise), its code kept only as a keyed hash, found by the
 * request's id like a sign-in challenge. `login_challenges` learn when their code was last sent and how often it was
 * sent again, so that « Renvoyer le code » has a cool-down and a limit the server enforces.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('password_resets')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('used_at', 'text')
    .addColumn('revoked_at', 'text')
    .addPrimaryKeyConstraint('password_resets_pk', ['patient_id', 'id'])
    .execute();
  await db.schema.createIndex('password_resets_by_id').on('password_resets').column('id').execute();

  await db.schema.alterTable('login_challenges').addColumn('sent_at', 'text').execute();
  await db.schema
    .alterTable('login_challenges')
    .addColumn('resends', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
