import type { Selectable } from 'kysely';
import type { DocumentFacts } from '../access/record-policy.ts';
import type { Config } from '../config/index.ts';
import type { NationalProfessionalId, PatientId, ProfessionCode, SpecialtyCode } from '../identity/index.ts';
import type { DocumentsTable } from '../storage/index.ts';
import { openField, sealField } from './content/sealed-text.ts';
import type {
  AuthorKind,
  ConfidentialityFlag,
  ContentFormat,
  DocumentId,
  DocumentStatus,
  RecordDocument,
} from './document.ts';

export type DocumentRow = Selectable<DocumentsTable>;

type Keys = Pick<Config, 'documentKey'>;

/**
 * A title names a condition as often as a file does ("Bilan VIH", "Consultation psychiatrie"): it is sealed at
 * rest, bound to its document. No search filters on it (the FHIR server offers no `description` parameter), so
 * no blind index is kept.
 */
export function sealTitle(config: Keys, patientId: string, documentId: string, title: string): string {
  return sealField(config, patientId, `title:${documentId}`, title);
}

export function openTitle(
  config: Keys,
  row: Pick<DocumentRow, 'patient_id' | 'id' | 'sealed_title'>,
): string {
  return openField(config, row.patient_id, `title:${row.id}`, row.sealed_title);
}

const flagsOf = (row: DocumentRow): ConfidentialityFlag[] => [
  ...(row.masked_ps ? (['MASQUE_PS'] as const) : []),
  ...(row.invisible_patient ? (['INVISIBLE_PATIENT'] as const) : []),
  ...(row.invisible_representatives ? (['INVISIBLE_REPRESENTANTS_LEGAUX'] as const) : []),
];

export function toRecordDocument(config: Keys, row: DocumentRow): RecordDocument {
  return {
    id: row.id as DocumentId,
    patientId: row.patient_id as PatientId,
    masterIdentifier: row.master_identifier,
    typeCode: row.type_code,
    typeSystem: row.type_system,
    typeDisplay: row.type_display,
    classCode: row.class_code,
    title: openTitle(config, row),
    author: {
      kind: row.author_kind as AuthorKind,
      nationalId: (row.author_national_id ?? undefined) as NationalProfessionalId | undefined,
      patientId: (row.author_patient_id ?? undefined) as PatientId | undefined,
      name: row.author_name,
      professionCode: (row.author_profession_code ?? undefined) as ProfessionCode | undefined,
      specialtyCode: (row.author_specialty_code ?? undefined) as SpecialtyCode | undefined,
      structureNationalId: row.author_structure_national_id ?? undefined,
      structureName: row.author_structure_name ?? undefined,
    },
    createdAt: row.created_at,
    serviceStart: row.service_start ?? undefined,
    serviceEnd: row.service_end ?? undefined,
    depositedAt: row.deposited_at,
    status: row.status as DocumentStatus,
    confidentiality: flagsOf(row),
    hash: row.content_hash,
    size: row.content_size,
    contentType: row.content_type as ContentFormat,
    replacesId: (row.replaces_id ?? undefined) as DocumentId | undefined,
    submissionSetId: row.submission_set_id ?? undefined,
  };
}

export function toDocumentRow(config: Keys, doc: RecordDocument, updatedAt: string): DocumentRow {
  const flags = new Set(doc.confidentiality);
  return {
    patient_id: doc.patientId,
    id: doc.id,
    master_identifier: doc.masterIdentifier,
    type_code: doc.typeCode,
    type_system: doc.typeSystem,
    type_display: doc.typeDisplay,
    class_code: doc.classCode,
    sealed_title: sealTitle(config, doc.patientId, doc.id, doc.title),
    author_kind: doc.author.kind,
    author_national_id: doc.author.nationalId ?? null,
    author_patient_id: doc.author.patientId ?? null,
    author_name: doc.author.name,
    author_profession_code: doc.author.professionCode ?? null,
    author_specialty_code: doc.author.specialtyCode ?? null,
    author_structure_national_id: doc.author.structureNationalId ?? null,
    author_structure_name: doc.author.structureName ?? null,
    created_at: doc.createdAt,
    service_start: doc.serviceStart ?? null,
    service_end: doc.serviceEnd ?? null,
    deposited_at: doc.depositedAt,
    status: doc.status,
    masked_ps: flags.has('MASQUE_PS') ? 1 : 0,
    invisible_patient: flags.has('INVISIBLE_PATIENT') ? 1 : 0,
    invisible_representatives: flags.has('INVISIBLE_REPRESENTANTS_LEGAUX') ? 1 : 0,
    content_hash: doc.hash,
    content_size: doc.size,
    content_type: doc.contentType,
    replaces_id: doc.replacesId ?? null,
    submission_set_id: doc.submissionSetId ?? null,
    updated_at: updatedAt,
  };
}

/** What the policy needs to know about one document. */
export function documentFacts(doc: RecordDocument): DocumentFacts {
  return {
    typeCode: doc.typeCode,
    status: doc.status,
    masked: doc.confidentiality.includes('MASQUE_PS'),
    invisiblePatient: doc.confidentiality.includes('INVISIBLE_PATIENT'),
    invisibleRepresentatives: doc.confidentiality.includes('INVISIBLE_REPRESENTANTS_LEGAUX'),
    authorNationalId: doc.author.nationalId ?? undefined,
    authorPatientId: doc.author.patientId ?? undefined,
  };
}

/** The 0/1 columns of a confidentiality set (for updates). */
export function flagColumns(flags: readonly ConfidentialityFlag[]) {
  return {
    masked_ps: flags.includes('MASQUE_PS') ? 1 : 0,
    invisible_patient: flags.includes('INVISIBLE_PATIENT') ? 1 : 0,
    invisible_representatives: flags.includes('INVISIBLE_REPRESENTANTS_LEGAUX') ? 1 : 0,
  };
}
