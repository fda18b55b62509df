import type {
  Device,
  DocumentReference,
  Organization,
  Patient,
  Practitioner,
  PractitionerRole,
  Reference,
} from '@medplum/fhirtypes';
import {
  PROFESSIONAL_ID_OID,
  STRUCTURE_ID_OID,
  insSystem,
  professionLabel,
  type Ins,
  type InsOid,
} from '../identity/index.ts';
import { documentClasses, findDocumentType, canonicalSystem } from '../terminology/index.ts';
import type { DocumentAuthor, DocumentCoding, DocumentStatus, RecordDocument } from '../record/index.ts';
import {
  CLASS_CODE_SYSTEM,
  PDSM_DOCUMENT_REFERENCE_PROFILE,
  PDSM_IS_ARCHIVED_EXTENSION,
  URI_SYSTEM,
} from './document-systems.ts';
import { securityLabels } from './security-labels.ts';
import { FR_CORE_IDENTIFIER_TYPE_SYSTEM, PROFESSION_SYSTEM, SPECIALTY_SYSTEM } from './systems.ts';

/** The patient as the DocumentReference's subject shows them: Carnet id and INS. */
export interface DocumentSubject {
  readonly ins: Ins;
  readonly insOid: InsOid;
}

const statusOf: Record<DocumentStatus, DocumentReference['status']> = {
  current: 'current',
  superseded: 'superseded',
  // FHIR has no archived status: PDSm keeps the document `current` with its isArchived extension set.
  archived: 'current',
  deleted: 'entered-in-error',
};

/** Who keeps the record's documents when the author names no organisation (a patient's own uploads). */
export const RECORD_HOST_NAME = 'Carnet (hébergeur du dossier médical partagé)';

export type AuthorReference = NonNullable<DocumentReference['author']>[number];
export type Contained = Practitioner | PractitionerRole | Organization | Device | Patient;

const codeable = (c: DocumentCoding) => ({
  coding: [{ system: c.system, code: c.code, ...(c.display ? { display: c.display } : {}) }],
});

function structureOrganization(a: DocumentAuthor): Organization | undefined {
  const own = a.kind === 'insurer' || a.kind === 'establishment';
  if (!own && !a.structureName) return undefined;
  return {
    resourceType: 'Organization',
    id: 'author-organization',
    name: own ? (a.structureName ?? a.name) : a.structureName,
    ...(a.structureNationalId
      ? {
          identifier: [
            {
              type: { coding: [{ system: FR_CORE_IDENTIFIER_TYPE_SYSTEM, code: 'IDNST' }] },
              system: `urn:oid:${STRUCTURE_ID_OID}`,
              value: a.structureNationalId,
            },
          ],
        }
      : {}),
  };
}

function professionalResources(
  a: DocumentAuthor,
  authorRole: DocumentCoding | undefined,
  organization: Organization | undefined,
): Contained[] {
  const practitioner: Practitioner = {
    resourceType: 'Practitioner',
    id: 'author-practitioner',
    identifier: [
      {
        type: { coding: [{ system: FR_CORE_IDENTIFIER_TYPE_SYSTEM, code: 'IDNPS' }] },
        system: `urn:oid:${PROFESSIONAL_ID_OID}`,
        value: a.nationalId,
      },
    ],
    name: [
      {
        text: a.name,
        ...(a.familyName ? { family: a.familyName } : {}),
        ...(a.givenName ? { given: [a.givenName] } : {}),
      },
    ],
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
  };
  // PDSm's author is the professional in their practice (PractitionerRole): role, specialty and institution.
  const role: PractitionerRole = {
    resourceType: 'PractitionerRole',
    id: 'author',
    practitioner: { reference: '#author-practitioner', display: a.name },
    ...(organization
      ? { organization: { reference: '#author-organization', display: organization.name } }
      : {}),
    ...(authorRole ? { code: [codeable(authorRole)] } : {}),
    ...(a.specialtyCode
      ? { specialty: [{ coding: [{ system: SPECIALTY_SYSTEM, code: a.specialtyCode }] }] }
      : {}),
  };
  return [role, practitioner];
}

function insurerDevice(a: DocumentAuthor): Device {
  return {
    resourceType: 'Device',
    id: 'author',
    deviceName: [{ name: a.name, type: 'user-friendly-name' }],
    owner: { reference: '#author-organization' },
  };
}

/** The author (PDSm allows Practitioner, PractitionerRole, Device or Patient, never an Organization). */
export function authorParts(
  a: DocumentAuthor,
  authorRole: DocumentCoding | undefined,
): { contained: Contained[]; author: AuthorReference[] } {
  const organization = structureOrganization(a);
  const orgs = organization ? [organization] : [];
  switch (a.kind) {
    case 'professional':
      return {
        contained: [...professionalResources(a, authorRole, organization), ...orgs],
        author: [{ reference: '#author', display: a.name }],
      };
    case 'insurer':
    case 'establishment':
      // An organisation authors through its system: a Device owned by the Organization.
      return {
        contained: [insurerDevice(a), ...orgs],
        author: [{ reference: '#author', display: a.name }],
      };
    case 'patient':
      return {
        contained: orgs,
        author: a.patientId ? [{ reference: `Patient/${a.patientId}`, display: a.name }] : [],
      };
  }
}

/** PDSm `custodian` (1..1): as submitted, else the author's organisation, else the record's host. */
function custodianParts(
  doc: RecordDocument,
  contained: Contained[],
): { contained: Contained[]; ref: Reference<Organization> } {
  const submitted = doc.metadata.custodian;
  if (submitted) {
    const org: Organization = {
      resourceType: 'Organization',
      id: 'custodian',
      ...(submitted.value
        ? {
            identifier: [
              { ...(submitted.system ? { system: submitted.system } : {}), value: submitted.value },
            ],
          }
        : {}),
      ...(submitted.name ? { name: submitted.name } : {}),
    };
    return { contained: [org], ref: { reference: '#custodian', ...(org.name ? { display: org.name } : {}) } };
  }
  const own = contained.find((c): c is Organization => c.id === 'author-organization');
  if (own) return { contained: [], ref: { reference: '#author-organization', display: own.name } };
  const host: Organization = { resourceType: 'Organization', id: 'custodian', name: RECORD_HOST_NAME };
  return { contained: [host], ref: { reference: '#custodian', display: host.name } };
}

function sourcePatient(doc: RecordDocument): Patient | undefined {
  const info = doc.metadata.sourcePatientInfo;
  if (!info) return undefined;
  return {
    resourceType: 'Patient',
    id: 'source-patient',
    ...(info.identifiers.length
      ? {
          identifier: info.identifiers.map((i) => ({
            ...(i.system ? { system: i.system } : {}),
            value: i.value,
          })),
        }
      : {}),
    ...(info.family || info.given.length
      ? {
          name: [
            {
              ...(info.family ? { family: info.family } : {}),
              ...(info.given.length ? { given: [...info.given] } : {}),
            },
          ],
        }
      : {}),
    ...(info.birthDate ? { birthDate: info.birthDate } : {}),
    ...(info.gender ? { gender: info.gender as Patient['gender'] } : {}),
  };
}

function contextOf(doc: RecordDocument, source: Patient | undefined): DocumentReference['context'] {
  const m = doc.metadata;
  const period = {
    ...(doc.serviceStart ? { start: doc.serviceStart } : {}),
    ...(doc.serviceEnd ? { end: doc.serviceEnd } : {}),
  };
  const context: NonNullable<DocumentReference['context']> = {
    ...(m.events.length ? { event: m.events.map(codeable) } : {}),
    ...(Object.keys(period).length ? { period } : {}),
    ...(m.facilityType ? { facilityType: codeable(m.facilityType) } : {}),
    ...(m.practiceSetting ? { practiceSetting: codeable(m.practiceSetting) } : {}),
    ...(source ? { sourcePatientInfo: { reference: '#source-patient' } } : {}),
    ...(m.related.length
      ? {
          related: m.related.map((r) => ({
            identifier: {
              ...(r.type ? { type: { coding: [{ system: URI_SYSTEM, code: r.type }] } } : {}),
              ...(r.system ? { system: r.system } : {}),
              value: r.value,
            },
          })),
        }
      : {}),
  };
  return Object.keys(context).length ? context : undefined;
}

/**
 * A document version as an ANS PDSm DocumentReference (IHE MHD Comprehensive); its content is served at
 * `Binary/<id>`. `date` is when the DocumentReference was made in the DMP (the deposit, as PDSm defines it);
 * the document's own creation date is `attachment.creation`.
 */
export function toDocumentReference(
  doc: RecordDocument,
  subject: DocumentSubject,
  fhirBase: string,
): DocumentReference {
  const authored = authorParts(doc.author, doc.metadata.authorRole);
  const custodian = custodianParts(doc, authored.contained);
  const source = sourcePatient(doc);
  const contained = [...authored.contained, ...custodian.contained, ...(source ? [source] : [])];
  const context = contextOf(doc, source);
  const m = doc.metadata;
  return {
    resourceType: 'DocumentReference',
    id: doc.id,
    meta: { lastUpdated: doc.depositedAt, profile: [PDSM_DOCUMENT_REFERENCE_PROFILE] },
    ...(contained.length ? { contained } : {}),
    extension: [{ url: PDSM_IS_ARCHIVED_EXTENSION, valueBoolean: doc.status === 'archived' }],
    masterIdentifier: { system: URI_SYSTEM, value: doc.masterIdentifier },
    identifier: [{ use: 'official', system: URI_SYSTEM, value: `urn:uuid:${doc.id}` }],
    status: statusOf[doc.status],
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
    ...(authored.author.length ? { author: authored.author } : {}),
    custodian: custodian.ref,
    securityLabel: securityLabels(doc.confidentiality, m.confidentialityLevel),
    content: [
      {
        attachment: {
          contentType: doc.contentType,
          ...(m.language ? { language: m.language } : {}),
          url: `${fhirBase}/Binary/${doc.id}`,
          size: doc.size,
          // PDSm: base64 SHA-1 of the content; documents stored before it was kept have none.
          ...(m.sha1 ? { hash: m.sha1 } : {}),
          title: doc.title,
          creation: doc.createdAt,
        },
        ...(m.format
          ? {
              format: {
                system: m.format.system,
                code: m.format.code,
                ...(m.format.display ? { display: m.format.display } : {}),
              },
            }
          : {}),
      },
    ],
    ...(context ? { context } : {}),
    ...(doc.replacesId
      ? { relatesTo: [{ code: 'replaces', target: { reference: `DocumentReference/${doc.replacesId}` } }] }
      : {}),
  };
}
