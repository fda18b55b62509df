import { afterEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { createTestDatabase, testDialects, type TestDatabase } from '../test-databases.ts';
import { up } from './023-document-openings.ts';

describe.each(testDialects)('migration 023: documents already opened stay opened (%s)', (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.destroy();
  });

  it('fills the openings from the patient side’s successful reads in the audit trail, nothing else', async () => {
    database = await createTestDatabase(dialect);
    const { db } = database;
    await db.schema.dropTable('document_openings').execute();
    let seq = 0;
    const trace = (values: Partial<Record<string, string | null>>) => {
      seq++;
      return {
        chain: 'patient:p1',
        seq,
        id: `e${seq}`,
        patient_id: 'p1',
        at: `2026-11-0${seq}T10:00:00.000Z`,
        actor_kind: 'patient',
        actor_id: 'p1',
        actor_name: 'Marie MOREL',
        actor_profession: null,
        action: 'read',
        target_type: 'DocumentReference',
        target_id: 'd1',
        access_mode: 'patient',
        outcome: 'success',
        detail: '{}',
        prev_hash: '',
        hash: `h${seq}`,
        ...values,
      };
    };
    await db
      .insertInto('audit_events')
      .values([
        trace({}),
        trace({ action: 'retrieve' }),
        trace({ target_id: 'd2', outcome: 'denied' }),
        trace({ target_id: 'd3', actor_kind: 'professional', actor_id: '810001000115' }),
        trace({ target_id: 'd4', action: 'search', target_type: 'Patient' }),
        trace({ target_id: 'd5', actor_kind: 'representative', actor_id: 'parent' }),
      ])
      .execute();
    await up(db as unknown as Kysely<unknown>);
    const rows = await db.selectFrom('document_openings').selectAll().orderBy('document_id').execute();
    expect(rows).toEqual([
      { patient_id: 'p1', document_id: 'd1', reader_id: 'p1', opened_at: '2026-11-01T10:00:00.000Z' },
      { patient_id: 'p1', document_id: 'd5', reader_id: 'parent', opened_at: '2026-11-06T10:00:00.000Z' },
    ]);
  });
});
