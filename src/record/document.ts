import type { Brand } from '../shared/brand.ts';
import type { NationalProfessionalId, PatientId, ProfessionCode, SpecialtyCode } from '../identity/index.ts';

/** Carnet's id of one version of a document (UUIDv7). */
export type DocumentId = Brand<string, 'DocumentId'>;

/** Logical statuses: nothing is ever physically removed (facts.md §2 "Versions"). */
export type DocumentStatus = 'current' | 'superseded' | 'archived' | 'deleted';

/** Visibility flags of TRE_A07 beside the normal `N` (facts.md §2 "Confidentiality"). */
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
  readonly professionCode: ProfessionCode | undefined;
  readonly specialtyCode: SpecialtyCode | undefined;
  readonly structureNationalId: string | undefined;
  readonly structureName: string | undefined;
}

/** Accepted content formats, recognised by their bytes, never by the declared type. */
export type ContentFormat =
  'application/pdf' | 'text/xml' | 'text/plain' | 'image/jpeg' | 'image/png' | 'image/tiff';

/** One version of a document in a patient's record, with the DMP metadata (facts.md §2). */
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
  readonly submissionSetId: string | undefined;
}
