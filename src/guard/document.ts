import { type Brand, invalid } from '../shared/index.ts';
import type { NationalProfessionalId, PatientId, ProfessionCode, SpecialtyCode } from '../identity/index.ts';
import type { ContentFormat } from '../config/index.ts';
import type { DocumentStatus } from '../terminology/index.ts';

export type { DocumentStatus };

/** Carnet's id of one version of a document (UUIDv7). */
export type DocumentId = Brand<string, 'DocumentId'>;

/** Visibility flags of TRE_A07 beside the normal `N` (docs/access.md, "Masks and visibility flags"). */
export type ConfidentialityFlag = 'MASQUE_PS' | 'INVISIBLE_PATIENT' | 'INVISIBLE_REPRESENTANTS_LEGAUX';
export const confidentialityFlags: readonly ConfidentialityFlag[] = [
  'MASQUE_PS',
  'INVISIBLE_PATIENT',
  'INVISIBLE_REPRESENTANTS_LEGAUX',
];

export type AuthorKind = 'professional' | 'establishment' | 'patient' | 'insurer';

export interface DocumentAuthor {
  readonly kind: AuthorKind;
  /** `8`+RPPS for a professional, `1`+FINESS / `3`+SIRET for an establishment; absent for the patient and the insurer. */
  readonly nationalId: NationalProfessionalId | string | undefined;
  /** The patient who uploaded it (kind `patient`: the patient or their legal representative). */
  readonly patientId: PatientId | undefined;
  readonly name: string;
  /** The author's given and family names, for `author.given` / `author.family` searches (professionals). */
  readonly givenName: string | undefined;
  readonly familyName: string | undefined;
  readonly professionCode: ProfessionCode | undefined;
  readonly specialtyCode: SpecialtyCode | undefined;
  readonly structureNationalId: string | undefined;
  readonly structureName: string | undefined;
}

/** Accepted content formats (the list lives with the configuration, which names the patient's uploads). */
export type { ContentFormat };

/** A code as submitted: `system` in the canonical form of src/terminology when it knows the system. */
export interface DocumentCoding {
  readonly system: string;
  readonly code: string;
  readonly display?: string | undefined;
}

/** HL7 confidentiality (J08 / PDSm `securityLabel`) beside the TRE_A07 visibility flags. */
export type ConfidentialityLevel = 'N' | 'R' | 'V';

/** An identifier of `context.related` (XDS referenceIdList): an order, an encounter, a care pathway. */
export interface RelatedIdentifier {
  readonly system: string | undefined;
  readonly value: string;
  /** XDS CXi.5 identifier type (`urn:ihe:iti:xds:2013:order`, `…:accession`, `…:2016:studyInstanceUID`). */
  readonly type?: string | undefined;
}

/** The organisation the producer names as keeping the document (PDSm `custodian`), as submitted. */
export interface DocumentCustodian {
  readonly system: string | undefined;
  readonly value: string | undefined;
  readonly name: string | undefined;
}

/** The patient as the producer's software knew them (XDS sourcePatientInfo), kept as submitted. */
export interface SourcePatientInfo {
  readonly identifiers: readonly RelatedIdentifier[];
  readonly family: string | undefined;
  readonly given: readonly string[];
  readonly birthDate: string | undefined;
  readonly gender: string | undefined;
}

/**
 * The PDSm metadata beyond the core (docs/fhir.md, "Documents through MHD"): what the producer submitted, kept and
 * given back on read. The format, facility type, practice setting and language are stored in clear for search; event
 * codes, related identifiers, the source patient and the author's role are sealed (src/record/document-row.ts).
 */
export interface DocumentMetadata {
  readonly format: DocumentCoding | undefined;
  readonly language: string | undefined;
  readonly facilityType: DocumentCoding | undefined;
  readonly practiceSetting: DocumentCoding | undefined;
  readonly events: readonly DocumentCoding[];
  readonly related: readonly RelatedIdentifier[];
  readonly confidentialityLevel: ConfidentialityLevel;
  /** Base64 SHA-1 of the plain content; undefined for documents stored before it was kept. */
  readonly sha1: string | undefined;
  readonly sourcePatientInfo: SourcePatientInfo | undefined;
  readonly authorRole: DocumentCoding | undefined;
  readonly custodian: DocumentCustodian | undefined;
}

export const emptyMetadata: DocumentMetadata = Object.freeze({
  format: undefined,
  language: undefined,
  facilityType: undefined,
  practiceSetting: undefined,
  events: [],
  related: [],
  confidentialityLevel: 'N',
  sha1: undefined,
  sourcePatientInfo: undefined,
  authorRole: undefined,
  custodian: undefined,
});

/** One version of a document in a patient's record, with the DMP metadata (docs/fhir.md, "Document metadata"). */
export interface RecordDocument {
  readonly id: DocumentId;
  readonly patientId: PatientId;
  /** The producer's stable unique id (FHIR `masterIdentifier`, XDS `uniqueId`). */
  readonly masterIdentifier: string;
  readonly typeCode: string;
  readonly typeSystem: string;
  readonly typeDisplay: string;
  readonly classCode: string;
  readonly title: string;
  readonly author: DocumentAuthor;
  /** When the producer made the document (ISO date-time). */
  readonly createdAt: string;
  readonly serviceStart: string | undefined;
  readonly serviceEnd: string | undefined;
  /** When Carnet stored it. */
  readonly depositedAt: string;
  readonly status: DocumentStatus;
  readonly confidentiality: readonly ConfidentialityFlag[];
  /** SHA-256 of the plain content, hex. */
  readonly hash: string;
  readonly size: number;
  readonly contentType: ContentFormat;
  /** The version this one replaces (`relatesTo.code = replaces`). */
  readonly replacesId: DocumentId | undefined;
  /** The submission set (FHIR `List` id) this version came in. */
  readonly submissionSetId: string | undefined;
  readonly metadata: DocumentMetadata;
}

/** The longest document title, whichever way the document comes in (FHIR, the portals, a filed message). */
export const DOCUMENT_TITLE_MAX_LENGTH = 256;
export const titleTooLong = () =>
  invalid(
    'title-too-long',
    `Le titre est trop long (${DOCUMENT_TITLE_MAX_LENGTH} caractères au plus).`,
    'title',
  );
