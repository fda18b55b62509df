import type { Kysely } from 'kysely';

/**
 * The medical agenda, its reminder deliveries and iCalendar feeds; notification preferences (docs/features.md,
 * "Agenda", "Notifications").
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('agenda_events')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('author_national_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('agenda_events_pk', ['patient_id', 'id'])
    .execute();
  await db.schema
    .createIndex('agenda_events_by_start')
    .on('agenda_events')
    .columns(['patient_id', 'starts_at'])
    .execute();
  // The scheduler looks for every patient's events of today and tomorrow.
  await db.schema.createIndex('agenda_events_by_day').on('agenda_events').columns(['day']).execute();
  // FHIR read by id (`GET Appointment/<id>`) comes without its patient.
  await db.schema.createIndex('agenda_events_by_id').on('agenda_events').columns(['id']).execute();

  await db.schema
    .createTable('agenda_prevention_decisions')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('occurrence', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('agenda_prevention_decisions_pk', ['patient_id', 'item_id', 'occurrence'])
    .execute();

  await db.schema
    .createTable('agenda_reminder_deliveries')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('reminder_kind', 'text', (c) => c.notNull())
    .addColumn('ref', 'text', (c) => c.notNull())
    .addColumn('notify_date', 'text', (c) => c.notNull())
    .addColumn('outbox_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    // The exactly-once key: a second scheduler (or a restarted one) inserts nothing.
    .addPrimaryKeyConstraint('agenda_reminder_deliveries_pk', [
      'patient_id',
      'reminder_kind',
      'ref',
      'notify_date',
    ])
    .execute();

  await db.schema
    .createTable('agenda_feeds')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('agenda_feeds_pk', ['patient_id'])
    .execute();
  await db.schema
    .createIndex('agenda_feeds_by_token')
    .on('agenda_feeds')
    .columns(['token_hash'])
    .unique()
    .execute();

  await db.schema
    .createTable('notification_preferences')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('messages', 'integer', (c) => c.notNull())
    .addColumn('documents', 'integer', (c) => c.notNull())
    .addColumn('appointments', 'integer', (c) => c.notNull())
    .addColumn('screening', 'integer', (c) => c.notNull())
    .addColumn('services', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_preferences_pk', ['patient_id'])
    .execute();
}
