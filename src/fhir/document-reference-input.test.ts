import { describe, expect, it } from 'vitest';
import { CarnetError } from '../shared/index.ts';
import { parseDocumentReference } from './document-reference-input.ts';

const V3 = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
const base = {
  resourceType: 'DocumentReference',
  type: { coding: [{ system: 'http://loinc.org', code: '11488-4' }] },
  description: 'Compte rendu',
  content: [{ attachment: { contentType: 'application/pdf', data: 'JVBERi0=' } }],
};

function refusal(resource: object): { code: string; path: string | undefined } {
  try {
    parseDocumentReference(resource, 'DocumentReference');
  } catch (error) {
    if (error instanceof CarnetError) return { code: error.code, path: error.expression };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('reading a submitted DocumentReference (PDSm)', () => {
  it('reads the level, the flags, the author role and the declared hash and size', () => {
    const draft = parseDocumentReference(
      {
        ...base,
        contained: [
          {
            resourceType: 'Practitioner',
            id: 'p',
            identifier: [{ system: 'urn:oid:1.2.250.1.71.4.2.1', value: '810001000115' }],
          },
          {
            resourceType: 'PractitionerRole',
            id: 'r',
            practitioner: { reference: '#p' },
            code: [{ coding: [{ system: 'urn:oid:x', code: 'A' }] }],
          },
        ],
        author: [{ reference: '#r' }],
        securityLabel: [{ coding: [{ system: V3, code: 'V' }] }, { coding: [{ code: 'INVISIBLE_PATIENT' }] }],
        content: [{ attachment: { ...base.content[0]!.attachment, hash: 'abc=', size: 5 } }],
      },
      'DocumentReference',
    );
    expect(draft.fields.metadata?.confidentialityLevel).toBe('V');
    expect(draft.fields.confidentiality).toEqual(['INVISIBLE_PATIENT']);
    expect(draft.fields.authorNationalId).toBe('810001000115');
    expect(draft.fields.metadata?.authorRole).toEqual({ system: 'urn:oid:x', code: 'A' });
    expect([draft.declaredHash, draft.declaredSize]).toEqual(['abc=', 5]);
    expect(draft.paths.author).toBe('DocumentReference.author[0]');
  });

  it('refuses what it cannot keep faithfully, naming the element', () => {
    expect(refusal({ ...base, author: [{ reference: '#nobody' }] })).toEqual({
      code: 'contained-missing',
      path: 'DocumentReference.author[0].reference',
    });
    expect(refusal({ ...base, context: { facilityType: { coding: [{ code: 'SA07' }] } } })).toEqual({
      code: 'coding-system-required',
      path: 'DocumentReference.context.facilityType.coding[0]',
    });
    expect(
      refusal({
        ...base,
        securityLabel: [{ coding: [{ system: V3, code: 'N' }] }, { coding: [{ system: V3, code: 'R' }] }],
      }),
    ).toEqual({ code: 'security-label-levels', path: 'DocumentReference.securityLabel[1]' });
    expect(
      refusal({ ...base, content: [{ attachment: { ...base.content[0]!.attachment, size: 'big' } }] }),
    ).toEqual({ code: 'resource-invalid', path: 'DocumentReference.content[0].attachment.size' });
    expect(
      refusal({
        ...base,
        context: { sourcePatientInfo: { reference: '#o' } },
        contained: [{ resourceType: 'Organization', id: 'o' }],
      }),
    ).toEqual({
      code: 'source-patient-invalid',
      path: 'DocumentReference.context.sourcePatientInfo.reference',
    });
  });
});
