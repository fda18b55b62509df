import type { DocumentReference, Extension, Organization, Practitioner } from '@medplum/fhirtypes';
import {
  PROFESSIONAL_ID_OID,
  STRUCTURE_ID_OID,
  insSystem,
  professionLabel,
  type Ins,
  type InsOid,
} from '../identity/index.ts';
import { documentClasses, findDocumentType } from '../record/document-types.ts';
import { canonicalSystem } from '../terminology/index.ts';
import type { DocumentStatus, RecordDocument } from '../record/index.ts';
import {
  CLASS_CODE_SYSTEM,
  CONTENT_SHA256_EXTENSION,
  DOCUMENT_STATUS_EXTENSION,
  URI_SYSTEM,
} from './document-systems.ts';
import { securityLabels } from './security-labels.ts';
import { FR_CORE_IDENTIFIER_TYPE_SYSTEM, PROFESSION_SYSTEM } from './systems.ts';

/** The patient as the DocumentReference's subject shows them: Carnet id and INS. */
export interface DocumentSubject {
  readonly ins: Ins;
  readonly insOid: InsOid;
}

const statusOf: Record<DocumentStatus, DocumentReference['status']> = {
  current: 'current',
  superseded: 'superseded',
  // FHIR has no archived status: an archived document is still valid, the extension says it is archived.
  archived: 'current',
  deleted: 'entered-in-error',
};

type AuthorReference = NonNullable<DocumentReference['author']>[number];

function authorResources(doc: RecordDocument): {
  contained: (Practitioner | Organization)[];
  author: AuthorReference[];
} {
  const a = doc.author;
  const organization: Organization | undefined =
    a.kind === 'insurer' || a.structureName
      ? {
          resourceType: 'Organization',
          id: 'author-organization',
          name: a.kind === 'insurer' ? a.name : a.structureName,
          ...(a.structureNationalId
            ? { identifier: [{ system: `urn:oid:${STRUCTURE_ID_OID}`, value: a.structureNationalId }] }
            : {}),
        }
      : undefined;
  const practitioner: Practitioner | undefined =
    a.kind === 'professional'
      ? {
          resourceType: 'Practitioner',
          id: 'author',
          identifier: [
            {
              type: { coding: [{ system: FR_CORE_IDENTIFIER_TYPE_SYSTEM, code: 'IDNPS' }] },
              system: `urn:oid:${PROFESSIONAL_ID_OID}`,
              value: a.nationalId,
            },
          ],
          name: [{ text: a.name }],
          ...(a.professionCode
            ? {
                qualification: [
                  {
                    code: {
                      coding: [
                        {
                          system: PROFESSION_SYSTEM,
                          code: a.professionCode,
                          display: professionLabel(a.professionCode),
                        },
                      ],
                    },
                  },
                ],
              }
            : {}),
        }
      : undefined;
  const author: AuthorReference[] = [
    ...(practitioner ? [{ reference: '#author', display: a.name }] : []),
    ...(a.kind === 'patient' && a.patientId
      ? [{ reference: `Patient/${a.patientId}`, display: a.name }]
      : []),
    ...(organization ? [{ reference: '#author-organization', display: organization.name }] : []),
  ];
  return {
    contained: [...(practitioner ? [practitioner] : []), ...(organization ? [organization] : [])],
    author,
  };
}

/** A document version as an ANS PDSm / IHE MHD DocumentReference; its content is served at `Binary/<id>`. */
export function toDocumentReference(
  doc: RecordDocument,
  subject: DocumentSubject,
  fhirBase: string,
): DocumentReference {
  const { contained, author } = authorResources(doc);
  const extension: Extension[] =
    doc.status === 'archived' ? [{ url: DOCUMENT_STATUS_EXTENSION, valueCode: 'archived' }] : [];
  const period = {
    ...(doc.serviceStart ? { start: doc.serviceStart } : {}),
    ...(doc.serviceEnd ? { end: doc.serviceEnd } : {}),
  };
  return {
    resourceType: 'DocumentReference',
    id: doc.id,
    meta: { lastUpdated: doc.depositedAt },
    ...(contained.length ? { contained } : {}),
    ...(extension.length ? { extension } : {}),
    masterIdentifier: { system: URI_SYSTEM, value: doc.masterIdentifier },
    identifier: [{ use: 'official', system: URI_SYSTEM, value: `urn:uuid:${doc.id}` }],
    status: statusOf[doc.status],
    docStatus: 'final',
    // Codings in the spelling PDSm uses, whatever spelling the document was filed with.
    type: {
      coding: [{ system: canonicalSystem(doc.typeSystem), code: doc.typeCode, display: doc.typeDisplay }],
    },
    category: [
      {
        coding: [
          {
            system: findDocumentType(doc.typeCode, doc.typeSystem)?.classSystem ?? CLASS_CODE_SYSTEM,
            code: doc.classCode,
            display: documentClasses[doc.classCode] ?? doc.classCode,
          },
        ],
      },
    ],
    subject: {
      reference: `Patient/${doc.patientId}`,
      identifier: { system: insSystem(subject.insOid), value: subject.ins },
    },
    date: doc.depositedAt,
    author,
    securityLabel: securityLabels(doc.confidentiality),
    content: [
      {
        attachment: {
          contentType: doc.contentType,
          url: `${fhirBase}/Binary/${doc.id}`,
          size: doc.size,
          title: doc.title,
          creation: doc.createdAt,
          extension: [{ url: CONTENT_SHA256_EXTENSION, valueString: doc.hash }],
        },
      },
    ],
    ...(Object.keys(period).length ? { context: { period } } : {}),
    ...(doc.replacesId
      ? { relatesTo: [{ code: 'replaces', target: { reference: `DocumentReference/${doc.replacesId}` } }] }
      : {}),
  };
}
