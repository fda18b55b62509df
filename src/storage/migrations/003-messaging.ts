import type { Kysely } from 'kysely';

/** MSSanté patient mailboxes: threads, messages, attachments; raw MIME in the outbox (replies, DSNs). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('mss_threads')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('root_message_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('professional_address', 'text', (c) => c.notNull())
    .addColumn('professional_name', 'text')
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('last_message_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('closed_by_address', 'text')
    .addColumn('closed_by_name', 'text')
    .addPrimaryKeyConstraint('mss_threads_pk', ['patient_id', 'id'])
    .execute();
  await db.schema
    .createIndex('mss_threads_by_date')
    .on('mss_threads')
    .columns(['patient_id', 'last_message_at'])
    .execute();

  await db.schema
    .createTable('mss_messages')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('thread_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('in_reply_to', 'text')
    .addColumn('references_json', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('from_name', 'text')
    .addColumn('to_json', 'text', (c) => c.notNull())
    .addColumn('cc_json', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('mss_headers_json', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    // Message-ID + SHA-256 of the exact bytes: a retried delivery is recognised and stored once.
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('mss_messages_pk', ['patient_id', 'id'])
    .execute();
  await db.schema
    .createIndex('mss_messages_dedupe')
    .on('mss_messages')
    .columns(['patient_id', 'dedupe_key'])
    .unique()
    .execute();
  await db.schema
    .createIndex('mss_messages_by_message_id')
    .on('mss_messages')
    .columns(['patient_id', 'message_id'])
    .execute();
  await db.schema
    .createIndex('mss_messages_by_thread')
    .on('mss_messages')
    .columns(['patient_id', 'thread_id', 'received_at'])
    .execute();
  await db.schema
    .createIndex('mss_messages_by_sender')
    .on('mss_messages')
    .columns(['from_address', 'sent_at'])
    .execute();

  await db.schema
    .createTable('mss_attachments')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('message_row_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('declared_type', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('from_xdm', 'text')
    .addColumn('filed_document_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('mss_attachments_pk', ['patient_id', 'id'])
    .execute();
  await db.schema
    .createIndex('mss_attachments_by_message')
    .on('mss_attachments')
    .columns(['patient_id', 'message_row_id', 'position'])
    .execute();

  await db.schema.alterTable('outbox').addColumn('raw_mime', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('envelope_from', 'text').execute();
}
