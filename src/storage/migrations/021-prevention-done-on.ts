import type { Kysely } from 'kysely';

/**
 * « Fait le … »: the day the patient says a screening or a vaccination was done, which the next due date is
 * computed from. Null for a "non fait", and for a "fait" recorded before this column (it then counts from the day
 * it was recorded, `decided_at`, as it did).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('agenda_prevention_decisions').addColumn('done_on', 'text').execute();
}
