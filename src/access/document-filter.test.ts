import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PatientId, type ProfessionCode, type SpecialtyCode, professions } from '../identity/index.ts';
import { documentTypes } from '../terminology/index.ts';
import { type DocumentStatus, noMetadataColumns } from '../record/index.ts';
import type { DocumentsTable, ProfileState } from '../storage/index.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../storage/test-databases.ts';
import { matrixHiddenDocumentsWhere, visibleDocumentsWhere } from './document-filter.ts';
import { activeHabilitationMatrix, parseHabilitationMatrix } from './habilitation-matrix.ts';
import type { Principal } from './principal.ts';
import { appFor, patient, professional } from './record-policy.fixtures.ts';
import { decideDocument, type DocumentFacts, type RecordContext } from './record-policy.ts';

const patients = ['p-adult', 'p-child', 'p-other'] as PatientId[];
const parent = 'p-parent' as PatientId;
const proIds = ['8100000001', '8100000002', '8100000003'];
const typeCodes = [...documentTypes.map((t) => t.code), 'UNKNOWN-1'];
const statuses: DocumentStatus[] = ['current', 'superseded', 'archived', 'deleted'];

// A second matrix exercising what the bundled one lacks: a specialty row and an empty allow list.
const otherMatrix = parseHabilitationMatrix({
  version: 'test',
  source: 'test',
  defaults: { basis: 'default', allow: [] },
  rules: [
    { profession: '10', basis: 'default', allow: ['11488-4', '68599-0'] },
    { profession: '10', specialty: 'SM42', basis: 'default', deny: ['REMB'] },
    { profession: '60', basis: 'default', deny: [] },
  ],
});

const principalArb: fc.Arbitrary<Principal> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .record({
        profession: fc.constantFrom(...(Object.keys(professions) as ProfessionCode[])),
        specialty: fc.option(fc.constantFrom<SpecialtyCode>('SM26', 'SM42'), { nil: undefined }),
        id: fc.constantFrom(...proIds),
        regulator: fc.boolean(),
      })
      .map((p) => professional(p.profession, { ...p, specialty: p.specialty })),
  },
  fc.constantFrom(
    patient(patients[0]!),
    patient(patients[1]!),
    patient(parent, [parent, patients[1]!]),
    { kind: 'insurer' } as const,
    { kind: 'auditor', id: 'a', name: 'Audit' } as const,
    appFor(patients[1]!, ['read-documents']),
    appFor(patients[1]!, ['write-measurements']),
  ),
);

const recordArb: fc.Arbitrary<RecordContext> = fc.record({
  patientId: fc.constantFrom(...patients),
  profileState: fc.constantFrom<ProfileState>(
    'activated',
    'activated',
    'activated',
    'created',
    'closed',
    'opposed',
  ),
  patientIsMinor: fc.boolean(),
  settings: fc.record({
    maskNewDocuments: fc.boolean(),
    allowBrisDeGlace: fc.boolean(),
    allowRegulation: fc.boolean(),
    allowMaskedInEmergency: fc.boolean(),
  }),
  relation: fc.option(
    fc.record({
      blocked: fc.constantFrom(false, false, false, true),
      administrator: fc.boolean(),
      consent: fc.constantFrom(true, true, false),
    }),
    {
      nil: undefined,
    },
  ),
  emergency: fc.option(
    fc.record({
      mode: fc.constantFrom('bris-de-glace', 'centre-de-regulation' as const),
      reason: fc.constantFrom(undefined, '', '  ', 'Patient inconscient'),
      endsAt: fc.constant('2999-01-01T00:00:00.000Z'),
    }),
    { nil: undefined },
  ),
});

const documentArb = fc.record({
  patient_id: fc.constantFrom(...patients),
  type_code: fc.constantFrom(...typeCodes),
  status: fc.constantFrom(...statuses),
  masked_ps: fc.constantFrom(0, 1),
  invisible_patient: fc.constantFrom(0, 0, 1),
  invisible_representatives: fc.constantFrom(0, 0, 1),
  author_national_id: fc.constantFrom<string | null>(null, ...proIds),
  author_patient_id: fc.constantFrom<string | null>(null, parent, ...patients),
});

type DocumentRow = typeof documentArb extends fc.Arbitrary<infer T> ? T : never;

function row(d: DocumentRow, index: number): DocumentsTable {
  return {
    ...d,
    filed_from_message: null,
    id: `doc-${index}`,
    master_identifier: `urn:uuid:${index}`,
    type_system: 'http://loinc.org',
    type_display: 'Test',
    class_code: '10',
    sealed_title: 'not opened here',
    author_kind: d.author_patient_id ? 'patient' : 'professional',
    author_name: 'Auteur',
    author_profession_code: null,
    author_specialty_code: null,
    author_structure_national_id: null,
    author_structure_name: null,
    created_at: '2024-01-01T00:00:00.000Z',
    service_start: null,
    service_end: null,
    deposited_at: '2024-01-01T00:00:00.000Z',
    content_hash: 'x',
    content_size: 1,
    content_type: 'application/pdf',
    replaces_id: null,
    submission_set_id: null,
    updated_at: '2024-01-01T00:00:00.000Z',
    ...noMetadataColumns,
  };
}

const facts = (r: DocumentsTable): DocumentFacts => ({
  typeCode: r.type_code,
  status: r.status as DocumentStatus,
  masked: r.masked_ps === 1,
  invisiblePatient: r.invisible_patient === 1,
  invisibleRepresentatives: r.invisible_representatives === 1,
  authorNationalId: r.author_national_id ?? undefined,
  authorPatientId: r.author_patient_id ?? undefined,
});

describe.each(testDialects)('visibleDocumentsWhere on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await database.destroy();
  });

  it('returns exactly the documents decideDocument lets the principal read', async () => {
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(
        principalArb,
        recordArb,
        fc.array(documentArb, { minLength: 4, maxLength: 12 }),
        fc.boolean(),
        async (principal, record, docs, bundled) => {
          const matrix = bundled ? activeHabilitationMatrix : otherMatrix;
          const rows = docs.map(row);
          await database.db.deleteFrom('documents').execute();
          if (rows.length > 0) await database.db.insertInto('documents').values(rows).execute();
          const found = await database.db
            .selectFrom('documents')
            .select('id')
            .where(visibleDocumentsWhere(principal, record, matrix))
            .execute();
          const expected = rows
            .filter((r) => r.patient_id === record.patientId)
            .filter((r) => decideDocument(principal, record, facts(r), 'read', matrix).allowed)
            .map((r) => r.id);
          if (expected.length > 0) nonEmpty++;
          expect(found.map((r) => r.id).sort()).toEqual(expected.sort());
          // And the documents counted as hidden by the matrix are exactly those it alone refuses.
          const hidden = await database.db
            .selectFrom('documents')
            .select('id')
            .where(matrixHiddenDocumentsWhere(principal, record, matrix))
            .execute();
          const refusedByMatrix = rows
            .filter((r) => r.patient_id === record.patientId)
            .filter((r) => {
              const decision = decideDocument(principal, record, facts(r), 'read', matrix);
              return !decision.allowed && decision.reason === 'habilitation' && r.status !== 'deleted';
            })
            .map((r) => r.id);
          expect(hidden.map((r) => r.id).sort()).toEqual(refusedByMatrix.sort());
        },
      ),
      { numRuns: 400 },
    );
    // The property is only worth something if many runs do see documents (about a fifth do).
    expect(nonEmpty).toBeGreaterThan(40);
  }, 30_000);
});
