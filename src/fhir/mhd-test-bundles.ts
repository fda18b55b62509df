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
  /** More of the DocumentReference (PDSm metadata); its `context` is merged with the default period. */
  readonly extra?: Partial<DocumentReference>;
}

export interface BundleOptions {
  /** More of the SubmissionSet List. */
  readonly list?: Record<string, unknown>;
  /** A Patient entry (MHD allows one), placed first with this fullUrl. */
  readonly patient?: { readonly fullUrl: string; readonly resource: Record<string, unknown> };
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
    ...doc.extra,
    // The extra content's attachment is completed with the default one and the Binary reference.
    content: [
      {
        ...doc.extra?.content?.[0],
        attachment: {
          contentType: doc.contentType,
          creation: '2024-03-01T10:00:00+01:00',
          ...doc.extra?.content?.[0]?.attachment,
          ...attachment,
        },
      },
    ],
    context: { period: { start: '2024-03-01', end: '2024-03-01' }, ...doc.extra?.context },
    ...(doc.replaces
      ? { relatesTo: [{ code: 'replaces', target: { reference: `DocumentReference/${doc.replaces}` } }] }
      : {}),
  } as DocumentReference;
}

/** One SubmissionSet, then for each document its DocumentReference and its Binary. */
export function provideBundle(
  subject: string,
  docs: readonly TestDocument[],
  options: BundleOptions = {},
): Bundle {
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
      ...(options.patient
        ? [
            {
              fullUrl: options.patient.fullUrl,
              resource: { resourceType: 'Patient', ...options.patient.resource },
              request: post('Patient'),
            },
          ]
        : []),
      {
        fullUrl: `urn:uuid:${randomUUID()}`,
        resource: {
          resourceType: 'List',
          status: 'current',
          mode: 'working',
          code: { coding: [{ system: MHD_LIST_TYPES_SYSTEM, code: 'submissionset' }] },
          subject: { reference: subject },
          identifier: [{ use: 'usual', system: 'urn:ietf:rfc:3986', value: `urn:uuid:${randomUUID()}` }],
          ...options.list,
        },
        request: post('List'),
      },
      ...entries,
    ],
  } as Bundle;
}
