import { describe, expect, it } from 'vitest';
import type { Ins, InsOid, NationalProfessionalId, PatientId, ProfessionCode } from '../identity/index.ts';
import { emptyMetadata, type DocumentAuthor, type DocumentId, type RecordDocument } from '../record/index.ts';
import { PDSM_IS_ARCHIVED_EXTENSION } from './document-systems.ts';
import { RECORD_HOST_NAME, toDocumentReference } from './document-reference.ts';

const noone: DocumentAuthor = {
  kind: 'patient',
  nationalId: undefined,
  patientId: undefined,
  name: '',
  givenName: undefined,
  familyName: undefined,
  professionCode: undefined,
  specialtyCode: undefined,
  structureNationalId: undefined,
  structureName: undefined,
};

function doc(author: Partial<DocumentAuthor>, extra: Partial<RecordDocument> = {}): RecordDocument {
  return {
    id: '01900000-0000-7000-8000-000000000001' as DocumentId,
    patientId: '01900000-0000-7000-8000-0000000000aa' as PatientId,
    masterIdentifier: 'urn:oid:1.2.3',
    typeCode: '11488-4',
    typeSystem: 'http://loinc.org',
    typeDisplay: 'Compte rendu de consultation',
    classCode: '10',
    title: 'CR',
    author: { ...noone, ...author },
    createdAt: '2024-01-01T00:00:00.000Z',
    serviceStart: undefined,
    serviceEnd: undefined,
    depositedAt: '2024-01-02T00:00:00.000Z',
    status: 'current',
    confidentiality: [],
    hash: 'h',
    size: 1,
    contentType: 'application/pdf',
    replacesId: undefined,
    submissionSetId: undefined,
    metadata: emptyMetadata,
    ...extra,
  };
}
const subject = { ins: '168047505611243' as Ins, insOid: '1.2.250.1.213.1.4.8' as InsOid };
const shape = (d: RecordDocument) => toDocumentReference(d, subject, 'https://carnet.test/fhir');
const authorTypes = (d: RecordDocument) => {
  const r = shape(d);
  return (r.author ?? []).map((a) =>
    a.reference?.startsWith('#')
      ? r.contained?.find((c) => `#${c.id}` === a.reference)?.resourceType
      : a.reference?.split('/')[0],
  );
};

describe('a document as a PDSm DocumentReference', () => {
  it('never has an Organization as author: a professional in their role, an organisation through a Device', () => {
    const professional = doc({
      kind: 'professional',
      nationalId: '810001000115' as NationalProfessionalId,
      name: 'Dr Claire MARTIN',
      professionCode: '10' as ProfessionCode,
      structureName: 'Cabinet',
      structureNationalId: '1750000001',
    });
    expect(authorTypes(professional)).toEqual(['PractitionerRole']);
    expect(authorTypes(doc({ kind: 'insurer', name: 'Assurance Maladie' }))).toEqual(['Device']);
    expect(authorTypes(doc({ kind: 'establishment', name: 'CH', structureName: 'CH' }))).toEqual(['Device']);
    expect(authorTypes(doc({ kind: 'patient', patientId: 'p1' as PatientId, name: 'Jean' }))).toEqual([
      'Patient',
    ]);
    // The structure keeps the document; a patient's upload is kept by the record's host.
    expect(shape(professional).custodian).toEqual({ reference: '#author-organization', display: 'Cabinet' });
    const own = shape(doc({ kind: 'patient', patientId: 'p1' as PatientId, name: 'Jean' }));
    expect(own.contained?.find((c) => `#${c.id}` === own.custodian?.reference)).toMatchObject({
      name: RECORD_HOST_NAME,
    });
  });

  it('says archived the PDSm way, without docStatus, and gives the SHA-1 it has', () => {
    const archived = shape(doc({}, { status: 'archived', metadata: { ...emptyMetadata, sha1: 'c2hhMQ==' } }));
    expect(archived.status).toBe('current');
    expect(archived.extension).toEqual([{ url: PDSM_IS_ARCHIVED_EXTENSION, valueBoolean: true }]);
    expect(archived).not.toHaveProperty('docStatus');
    expect(archived.content[0]!.attachment.hash).toBe('c2hhMQ==');
    expect(shape(doc({})).content[0]!.attachment).not.toHaveProperty('hash');
  });
});
