import type { Kysely } from 'kysely';

/**
 * A burst of deposits gives the patient one "new documents" e-mail: the pending outbox row carries a key
 * (the patient and the recipient), which later deposits use to join it. Unique, so that two concurrent deposits
 * cannot each queue their own e-mail; the worker clears it when it claims the row, after which a deposit
 * queues a new e-mail. Null (the default, and every other e-mail) is never a conflict.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('coalesce_key', 'text').execute();
  await db.schema.createIndex('outbox_coalesce_key').unique().on('outbox').column('coalesce_key').execute();
}
