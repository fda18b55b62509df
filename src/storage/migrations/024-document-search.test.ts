import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.ts';
import type { PatientId } from '../../identity/index.ts';
import { emptyMetadata, insertDocuments, type DocumentId, type RecordDocument } from '../../record/index.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../test-databases.ts';
import { up } from './024-document-search.ts';

const at = '2026-11-02T10:00:00.000Z';

function doc(patientId: string, id: string, title: string): RecordDocument {
  return {
    id: id as DocumentId,
    patientId: patientId as PatientId,
    masterIdentifier: `urn:uuid:${id}`,
    typeCode: '11502-2',
    typeSystem: 'http://loinc.org',
    typeDisplay: 'CR d’examens biologiques',
    classCode: '11',
    title,
    author: {
      kind: 'professional',
      nationalId: '810001000115' as never,
      patientId: undefined,
      name: 'Claire Martin',
      givenName: 'Claire',
      familyName: 'Martin',
      professionCode: '10' as never,
      specialtyCode: undefined,
      structureNationalId: undefined,
      structureName: 'Laboratoire Biomnis',
    },
    createdAt: '2025-03-14',
    serviceStart: undefined,
    serviceEnd: undefined,
    depositedAt: at,
    status: 'current',
    confidentiality: [],
    hash: '0'.repeat(64),
    size: 1,
    contentType: 'application/pdf',
    replacesId: undefined,
    submissionSetId: undefined,
    metadata: {
      ...emptyMetadata,
      facilityType: { system: 'urn:oid:1.2.250.1.71.4.2.4', code: 'SA07', display: 'Cabinet de ville' },
      confidentialityLevel: 'N',
    },
  };
}

describe.each(testDialects)('migration 024: the documents already stored are found (%s)', (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.destroy();
  });

  it('indexes them as a deposit does, and keeps the professionals’ openings of the audit trail', async () => {
    database = await createTestDatabase(dialect);
    const { db } = database;
    const config = loadConfig({
      CARNET_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'carnet-024-')),
      CARNET_LOG_LEVEL: 'silent',
    });
    await insertDocuments(
      config,
      db,
      [doc('p1', 'd1', 'Charge virale VIH'), doc('p2', 'd2', 'Charge virale VIH')],
      at,
    );
    const tokens = () =>
      db
        .selectFrom('document_search_tokens')
        .selectAll()
        .orderBy('patient_id')
        .orderBy('token')
        .orderBy('document_id')
        .execute();
    const deposited = await tokens();
    // The same words in two records give different digests: no record can be compared with another.
    const of = (p: string) => new Set(deposited.filter((r) => r.patient_id === p).map((r) => r.token));
    expect(of('p1').size).toBeGreaterThan(20);
    expect([...of('p1')].filter((t) => of('p2').has(t))).toEqual([]);

    await db.schema.dropTable('document_search_tokens').execute();
    await db.schema.dropTable('professional_openings').execute();
    await db.schema.alterTable('record_professionals').dropColumn('previous_visit_at').execute();
    await db
      .insertInto('audit_events')
      .values(
        [
          { actor_kind: 'professional', actor_id: '810001000115', target_id: 'd1', action: 'read' },
          { actor_kind: 'professional', actor_id: '810001000115', target_id: 'd1', action: 'retrieve' },
          { actor_kind: 'patient', actor_id: 'p1', target_id: 'd1', action: 'read' },
        ].map((v, i) => ({
          chain: 'patient:p1',
          seq: i + 1,
          id: `e${i}`,
          patient_id: 'p1',
          at: `2026-11-0${i + 3}T10:00:00.000Z`,
          actor_name: null,
          actor_profession: null,
          target_type: 'DocumentReference',
          access_mode: 'normal',
          outcome: 'success',
          detail: '{}',
          prev_hash: '',
          hash: `h${i}`,
          ...v,
        })),
      )
      .execute();

    await expect(up(db as unknown as Kysely<unknown>, undefined)).rejects.toThrow(/carnet migrate/);
    await db.schema.dropTable('document_search_tokens').ifExists().execute();
    await db.schema.dropTable('professional_openings').ifExists().execute();
    await db.schema.alterTable('record_professionals').dropColumn('previous_visit_at').execute();
    await up(db as unknown as Kysely<unknown>, config);

    expect(await tokens()).toEqual(deposited);
    expect(await db.selectFrom('professional_openings').selectAll().execute()).toEqual([
      {
        patient_id: 'p1',
        national_id: '810001000115',
        document_id: 'd1',
        opened_at: '2026-11-03T10:00:00.000Z',
      },
    ]);
  });
});
