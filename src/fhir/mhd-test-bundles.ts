import type { Bundle, DocumentReference } from '@medplum/fhirtypes';
import { randomUUID } from 'node:crypto';
import { MHD_LIST_TYPES_SYSTEM } from './document-systems.ts';

/** Test builders of ITI-65 bundles, shaped as DMP-compatible software sends them (PDSm). */
export interface TestDocument {
  readonly bytes: Uint8Array;
  readonly contentType: string;
  readonly typeCode: string;
  readonly typeSystem?: string;
  readonly title?: string;
  readonly masterIdentifier?: string;
  readonly securityLabels?: readonly string[];
  readonly replaces?: string;
}

export const insConditional = (oid: string, ins: string) => `Patient?identifier=urn:oid:${oid}|${ins}`;

export function documentReferenceOf(
  subject: string,
  doc: TestDocument,
  attachment: object,
): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    masterIdentifier: {
      system: 'urn:ietf:rfc:3986',
      value: doc.masterIdentifier ?? `urn:uuid:${randomUUID()}`,
    },
    status: 'current',
    type: { coding: [{ system: doc.typeSystem ?? 'http://loinc.org', code: doc.typeCode }] },
    subject: { reference: subject },
    description: doc.title ?? 'Compte rendu de consultation',
    securityLabel: (doc.securityLabels ?? []).map((code) => ({
      coding: [
        {
          system:
            'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument',
          code,
        },
      ],
    })),
    content: [
      { attachment: { contentType: doc.contentType, creation: '2024-03-01T10:00:00+01:00', ...attachment } },
    ],
    context: { period: { start: '2024-03-01', end: '2024-03-01' } },
    ...(doc.replaces
      ? { relatesTo: [{ code: 'replaces', target: { reference: `DocumentReference/${doc.replaces}` } }] }
      : {}),
  } as DocumentReference;
}

/** One SubmissionSet, then for each document its DocumentReference and its Binary. */
export function provideBundle(subject: string, docs: readonly TestDocument[]): Bundle {
  const post = (url: string) => ({ method: 'POST' as const, url });
  const entries = docs.flatMap((doc) => {
    const binaryUrl = `urn:uuid:${randomUUID()}`;
    return [
      {
        fullUrl: `urn:uuid:${randomUUID()}`,
        resource: documentReferenceOf(subject, doc, { url: binaryUrl }),
        request: post('DocumentReference'),
      },
      {
        fullUrl: binaryUrl,
        resource: {
          resourceType: 'Binary',
          contentType: doc.contentType,
          data: Buffer.from(doc.bytes).toString('base64'),
        },
        request: post('Binary'),
      },
    ];
  });
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: `urn:uuid:${randomUUID()}`,
        resource: {
          resourceType: 'List',
          status: 'current',
          mode: 'working',
          code: { coding: [{ system: MHD_LIST_TYPES_SYSTEM, code: 'submissionset' }] },
          subject: { reference: subject },
          identifier: [
            { use: 'usual', system: 'urn:ietf:rfc:3986', value: `urn:oid:1.2.250.1.999.${Date.now()}` },
          ],
        },
        request: post('List'),
      },
      ...entries,
    ],
  } as Bundle;
}
