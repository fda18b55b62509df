import type { Kysely } from 'kysely';

/** The catalogue of referenced health services and the history of operators' decisions about them. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('catalogue_services')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('editor_name', 'text', (c) => c.notNull())
    .addColumn('editor_url', 'text')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('purposes_json', 'text', (c) => c.notNull())
    .addColumn('data_exchanged_json', 'text', (c) => c.notNull())
    .addColumn('web_url', 'text')
    .addColumn('app_store_url', 'text')
    .addColumn('google_play_url', 'text')
    .addColumn('privacy_url', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('status_changed_at', 'text', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('oauth_client_id', 'text')
    .addColumn('oauth_redirect_uris_json', 'text', (c) => c.notNull())
    .addColumn('oauth_scopes_json', 'text', (c) => c.notNull())
    .addColumn('referenced_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // Several NULLs are allowed on both dialects: only services that connect carry a client id.
  await db.schema
    .createIndex('catalogue_services_client_id')
    .on('catalogue_services')
    .column('oauth_client_id')
    .unique()
    .execute();
  await db.schema
    .createIndex('catalogue_services_by_status')
    .on('catalogue_services')
    .columns(['status', 'category'])
    .execute();

  await db.schema
    .createTable('catalogue_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .execute();
  await db.schema
    .createIndex('catalogue_events_by_service')
    .on('catalogue_events')
    .columns(['service_id', 'at'])
    .execute();
}
