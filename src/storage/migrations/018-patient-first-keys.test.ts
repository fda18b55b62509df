import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects, type TestDatabase } from '../test-databases.ts';
import { up } from './018-patient-first-keys.ts';

type Row = Record<string, string | number | null>;

/** The tables as 001, 006, 008, 011 and 015 left them. */
async function tablesBefore(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'emergency_accesses',
    'app_codes',
    'app_tokens',
    'document_event_tokens',
    'document_related_ids',
    'account_logins',
    'accounts',
    'oppositions',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema
    .createTable('accounts')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('login', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('accounts_pk', ['patient_id', 'id'])
    .addUniqueConstraint('accounts_one_per_patient', ['patient_id'])
    .execute();
  await db.schema
    .createTable('oppositions')
    .addColumn('patient_id', 'text', (c) => c.primaryKey())
    .addColumn('proof_token', 'text', (c) => c.notNull().unique())
    .addColumn('opposed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.dropIndex('agenda_feeds_by_token').execute();
  await db.schema
    .createIndex('agenda_feeds_by_token')
    .on('agenda_feeds')
    .column('token_hash')
    .unique()
    .execute();
  await db.schema
    .createTable('emergency_accesses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('professional_national_id', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .execute();
  await db.schema
    .createTable('app_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('grant_id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('code_challenge', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema
    .createTable('app_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('grant_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema
    .createTable('document_event_tokens')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('document_related_ids')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text', (c) => c.notNull())
    .addColumn('system', 'text')
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

describe.each(testDialects)('migration 017: patient_id first in every patient key (%s)', (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.destroy();
  });

  it('keeps every row, and a document’s repeated event token once', async () => {
    database = await createTestDatabase(dialect);
    const db = database.db as unknown as Kysely<Record<string, Row>>;
    await tablesBefore(db as unknown as Kysely<unknown>);
    const access = {
      id: 'e1',
      patient_id: 'p1',
      professional_national_id: '810000000001',
      mode: 'bris-de-glace',
      reason: 'Urgence',
      started_at: '2026-01-01T00:00:00.000Z',
      ends_at: '2026-01-01T01:00:00.000Z',
      ended_at: null,
    };
    const code = {
      code_hash: 'c1',
      patient_id: 'p1',
      grant_id: 'g1',
      client_id: 'app',
      redirect_uri: 'https://app.example/cb',
      code_challenge: 'x',
      expires_at: '2026-01-01T00:01:00.000Z',
      used_at: null,
    };
    const token = (hash: string, patient: string) => ({
      token_hash: hash,
      patient_id: patient,
      grant_id: 'g1',
      kind: 'access',
      created_at: '2026-01-01T00:00:00.000Z',
      expires_at: '2026-01-01T01:00:00.000Z',
      revoked_at: null,
    });
    await db.insertInto('emergency_accesses').values(access).execute();
    await db.insertInto('app_codes').values(code).execute();
    await db
      .insertInto('app_tokens')
      .values([token('t1', 'p1'), token('t2', 'p2')])
      .execute();
    // Two events with one code in two systems gave the system-less token twice.
    await db
      .insertInto('document_event_tokens')
      .values([
        { patient_id: 'p1', document_id: 'd1', token: 'a' },
        { patient_id: 'p1', document_id: 'd1', token: 'b' },
        { patient_id: 'p1', document_id: 'd1', token: 'b' },
        { patient_id: 'p2', document_id: 'd2', token: 'b' },
      ])
      .execute();
    await db
      .insertInto('document_related_ids')
      .values([
        { patient_id: 'p1', document_id: 'd1', system: null, value: 'X' },
        { patient_id: 'p1', document_id: 'd1', system: 'urn:oid:1.2.3', value: 'X' },
        { patient_id: 'p2', document_id: 'd2', system: null, value: 'Y' },
      ])
      .execute();

    const account = {
      patient_id: 'p1',
      id: 'a1',
      login: 'jean.martin',
      password_hash: 'h',
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    };
    await db.insertInto('accounts').values(account).execute();
    const opposition = { patient_id: 'p2', proof_token: 'proof', opposed_at: '2026-01-01T00:00:00.000Z' };
    await db.insertInto('oppositions').values(opposition).execute();

    await up(db as unknown as Kysely<unknown>);

    expect(await db.selectFrom('accounts').selectAll().execute()).toEqual([account]);
    expect(await db.selectFrom('account_logins').selectAll().execute()).toEqual([
      { login: 'jean.martin', patient_id: 'p1' },
    ]);
    // The login stays taken: by account_logins' key now.
    await expect(
      db.insertInto('account_logins').values({ login: 'jean.martin', patient_id: 'p3' }).execute(),
    ).rejects.toThrow();
    expect(await db.selectFrom('oppositions').selectAll().execute()).toEqual([opposition]);

    expect(await db.selectFrom('emergency_accesses').selectAll().execute()).toEqual([access]);
    expect(await db.selectFrom('app_codes').selectAll().execute()).toEqual([code]);
    expect(await db.selectFrom('app_tokens').selectAll().orderBy('token_hash').execute()).toEqual([
      token('t1', 'p1'),
      token('t2', 'p2'),
    ]);
    const tokens = await db
      .selectFrom('document_event_tokens')
      .select(['patient_id', 'document_id', 'token'])
      .orderBy('patient_id')
      .orderBy('token')
      .execute();
    expect(tokens.map((t) => `${t.patient_id}/${t.document_id}/${t.token}`)).toEqual([
      'p1/d1/a',
      'p1/d1/b',
      'p2/d2/b',
    ]);
    const related = await db
      .selectFrom('document_related_ids')
      .select(['patient_id', 'document_id', 'position', 'system', 'value'])
      .orderBy('patient_id')
      .orderBy('position')
      .execute();
    // Every identifier kept, each with its own rank in its document (the order of ranks is the dialect's).
    expect(
      related.map((r) => `${r.patient_id}/${r.document_id}/${r.system ?? ''}|${r.value}`).sort(),
    ).toEqual(['p1/d1/urn:oid:1.2.3|X', 'p1/d1/|X', 'p2/d2/|Y']);
    expect(related.map((r) => `${r.patient_id}/${r.position}`).sort()).toEqual(['p1/0', 'p1/1', 'p2/0']);
  });
});
