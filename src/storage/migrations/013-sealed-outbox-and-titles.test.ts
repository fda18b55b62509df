import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.ts';
import { openPayload } from '../../mail/index.ts';
import { openTitle } from '../../record/index.ts';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../database.ts';
import { createTestDatabase, TEST_POSTGRES_URL, testDialects, type TestDatabase } from '../test-databases.ts';
import { dumpEveryTable, holdsToken } from '../test-dump.ts';
import { migrations } from './index.ts';

const THIS = '013-sealed-outbox-and-titles';

/** The rows an older version wrote, in the columns it had. */
interface LegacyTables {
  outbox: {
    id: string;
    patient_id: string | null;
    recipient: string;
    subject: string;
    body_text: string;
    created_at: string;
    not_before: string;
    sent_at: string | null;
    attempts: number;
    raw_mime: string | null;
    envelope_from: string | null;
  };
  schema_migrations: { name: string; applied_at: string };
}

const at = '2026-03-01T10:00:00.000Z';
const mail = (id: string, fields: Partial<LegacyTables['outbox']>): LegacyTables['outbox'] => ({
  id,
  patient_id: 'patient-1',
  recipient: 'claire@exemple.fr',
  subject: 'Votre code provisoire Mon espace santé',
  body_text: 'Voici votre code provisoire suivant : K7M2Q9XD',
  created_at: at,
  not_before: at,
  sent_at: null,
  attempts: 0,
  raw_mime: null,
  envelope_from: null,
  ...fields,
});

describe.each(testDialects)('migration 013 on %s', (dialect) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A database as the version before this migration left it (every earlier migration applied). */
  async function legacyDatabase(): Promise<{ handle: DatabaseHandle; home: TestDatabase }> {
    const home = await createTestDatabase(dialect);
    cleanups.push(() => home.destroy());
    let handle: DatabaseHandle;
    if (dialect === 'sqlite') {
      handle = openDatabase({ databaseUrl: undefined, sqlitePath: path.join(home.dataDir, 'legacy.db') });
    } else {
      const schema = `${home.schema}_legacy`;
      await sql`create schema ${sql.id(schema)}`.execute(home.db);
      cleanups.push(async () => {
        await sql`drop schema ${sql.id(schema)} cascade`.execute(home.db);
      });
      const url = `${TEST_POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
      handle = openDatabase({ databaseUrl: url, sqlitePath: '' });
    }
    cleanups.push(() => handle.close());
    const db = handle.db as unknown as Kysely<LegacyTables>;
    await db.schema
      .createTable('schema_migrations')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .execute();
    for (const [name, migration] of Object.entries(migrations)) {
      if (name >= THIS) break;
      await migration.up(db as unknown as Kysely<unknown>, undefined);
      await db.insertInto('schema_migrations').values({ name, applied_at: at }).execute();
    }
    return { handle, home };
  }

  // Security review regression: what older versions left in clear is sealed or erased on upgrade.
  it('seals waiting e-mails and titles, reduces sent e-mails to metadata, and keeps no code in clear', async () => {
    const { handle, home } = await legacyDatabase();
    const legacy = handle.db as unknown as Kysely<LegacyTables>;
    const reply =
      'From: <168047505611243@patient.mssante.fr>\r\nTo: <dr.martin@cabinet.mssante.fr>\r\n' +
      'Subject: Re: Bilan\r\nMessage-ID: <r1@patient.mssante.fr>\r\n\r\nMon traitement me fatigue\r\n';
    await legacy
      .insertInto('outbox')
      .values([
        mail('01-sent-activation', { sent_at: at }),
        mail('02-waiting-otp', {
          subject: 'Votre code de connexion Mon espace santé',
          body_text: 'Votre code de connexion à Mon espace santé est : 482913',
        }),
        mail('03-sent-reply', {
          recipient: 'dr.martin@cabinet.mssante.fr',
          subject: '',
          body_text: '',
          raw_mime: reply,
          envelope_from: '168047505611243@patient.mssante.fr',
          sent_at: at,
        }),
      ])
      .execute();
    await sql`insert into documents (patient_id, id, master_identifier, type_code, type_system, type_display,
        class_code, title, author_kind, author_name, created_at, deposited_at, status, content_hash,
        content_size, content_type, updated_at)
      values ('patient-1', 'doc-1', 'urn:uuid:1', '11502-2', 'http://loinc.org', 'Biologie', '10',
        'Charge virale VIH', 'professional', 'Dr Martin', ${at}, ${at}, 'current', 'x', 1, 'application/pdf',
        ${at})`.execute(handle.db);

    await expect(migrateToLatest(handle.db)).rejects.toThrow(/carnet migrate/);
    const config = loadConfig({ CARNET_DATA_DIR: home.dataDir, CARNET_LOG_LEVEL: 'silent' });
    expect(await migrateToLatest(handle.db, config)).toContain(THIS);

    const dump = await dumpEveryTable(handle.db, dialect);
    expect(holdsToken(dump, 'K7M2Q9XD')).toBe(false);
    expect(holdsToken(dump, '482913')).toBe(false);
    expect(dump).not.toContain('fatigue');
    expect(dump).not.toContain('VIH');
    expect(dump).not.toContain('claire@');

    const rows = await handle.db.selectFrom('outbox').selectAll().orderBy('id').execute();
    expect(rows.map((r) => [r.id, r.kind, r.recipient_domain, r.sealed === null])).toEqual([
      ['01-sent-activation', 'activation-code', 'exemple.fr', true],
      ['02-waiting-otp', 'sign-in-code', 'exemple.fr', false],
      ['03-sent-reply', 'mss-reply', 'cabinet.mssante.fr', true],
    ]);
    expect(rows[2]!.message_id).toBe('<r1@patient.mssante.fr>');
    expect(openPayload(config, { ...rows[1]!, sealed: rows[1]!.sealed! })).toEqual({
      to: 'claire@exemple.fr',
      subject: 'Votre code de connexion Mon espace santé',
      text: 'Votre code de connexion à Mon espace santé est : 482913',
    });
    const doc = await handle.db.selectFrom('documents').selectAll().executeTakeFirstOrThrow();
    expect(openTitle(config, doc)).toBe('Charge virale VIH');
  });
});
