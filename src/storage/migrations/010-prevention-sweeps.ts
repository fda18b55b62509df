import type { Kysely } from 'kysely';

/**
 * The days whose prevention notices have all been worked out. Prevention notices are per day, so the scheduler
 * evaluates every patient's prevention once a day rather than at each pass; a sweep cut short is not recorded
 * and is done again by the next pass.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('agenda_prevention_sweeps')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('patients', 'integer', (c) => c.notNull())
    .addColumn('finished_at', 'text', (c) => c.notNull())
    .execute();
}
