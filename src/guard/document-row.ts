import { createHmac } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { DocumentFacts } from '../access/index.ts';
import type { Config } from '../config/index.ts';
import type { NationalProfessionalId, PatientId, ProfessionCode, SpecialtyCode } from '../identity/index.ts';
import { type DocumentsTable, openField, sealField } from '../storage/index.ts';
import { searchableName } from './search-text.ts';
import type {
  AuthorKind,
  ConfidentialityFlag,
  ConfidentialityLevel,
  ContentFormat,
  DocumentCoding,
  DocumentId,
  DocumentMetadata,
  DocumentStatus,
  RecordDocument,
} from './document.ts';

export type DocumentRow = Selectable<DocumentsTable>;

type Keys = Pick<Config, 'documentKey'>;

/**
 * A title names a condition as often as a file does ("Bilan VIH", "Consultation psychiatrie"): it is sealed at
 * rest, bound to its document. A record's free-text search finds it through keyed digests of its word prefixes
 * (search-index.ts), never through the title itself.
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

/** What `sealed_metadata` holds: the metadata that is given back but never searched in clear. */
interface SealedMetadata {
  readonly formatDisplay?: string;
  readonly facilityDisplay?: string;
  readonly settingDisplay?: string;
  readonly events?: readonly DocumentCoding[];
  readonly related?: DocumentMetadata['related'];
  readonly sourcePatientInfo?: DocumentMetadata['sourcePatientInfo'];
  readonly authorRole?: DocumentCoding;
  readonly custodian?: DocumentMetadata['custodian'];
}

const metadataPlace = (documentId: string) => `metadata:${documentId}`;

function sealMetadata(config: Keys, doc: RecordDocument): string | null {
  const m = doc.metadata;
  const sealed: SealedMetadata = {
    ...(m.format?.display ? { formatDisplay: m.format.display } : {}),
    ...(m.facilityType?.display ? { facilityDisplay: m.facilityType.display } : {}),
    ...(m.practiceSetting?.display ? { settingDisplay: m.practiceSetting.display } : {}),
    ...(m.events.length ? { events: m.events } : {}),
    ...(m.related.length ? { related: m.related } : {}),
    ...(m.sourcePatientInfo ? { sourcePatientInfo: m.sourcePatientInfo } : {}),
    ...(m.authorRole ? { authorRole: m.authorRole } : {}),
    ...(m.custodian ? { custodian: m.custodian } : {}),
  };
  if (Object.keys(sealed).length === 0) return null;
  return sealField(config, doc.patientId, metadataPlace(doc.id), JSON.stringify(sealed));
}

function openMetadata(config: Keys, row: DocumentRow): SealedMetadata {
  if (!row.sealed_metadata) return {};
  return JSON.parse(
    openField(config, row.patient_id, metadataPlace(row.id), row.sealed_metadata),
  ) as SealedMetadata;
}

function coding(
  system: string | null,
  code: string | null,
  display: string | undefined,
): DocumentCoding | undefined {
  return system !== null && code !== null ? { system, code, ...(display ? { display } : {}) } : undefined;
}

function metadataOf(config: Keys, row: DocumentRow): DocumentMetadata {
  const sealed = openMetadata(config, row);
  return {
    format: coding(row.format_system, row.format_code, sealed.formatDisplay),
    language: row.language ?? undefined,
    facilityType: coding(row.facility_system, row.facility_code, sealed.facilityDisplay),
    practiceSetting: coding(row.setting_system, row.setting_code, sealed.settingDisplay),
    events: sealed.events ?? [],
    related: sealed.related ?? [],
    confidentialityLevel: row.confidentiality_code as ConfidentialityLevel,
    sha1: row.content_sha1 ?? undefined,
    sourcePatientInfo: sealed.sourcePatientInfo,
    authorRole: sealed.authorRole,
    custodian: sealed.custodian,
  };
}

/**
 * The searchable form of an event code: a keyed digest bound to the patient, so that `event=` finds a document
 * while a dump shows no diagnosis and no two records' codes can be compared. Two tokens per code: with its system
 * (`system|code`) and without (`code`), as FHIR token search allows both.
 */
export function eventTokens(config: Keys, patientId: string, system: string | undefined, code: string) {
  // Its own key, derived from the document key: the sealing key is never used for anything else.
  const key = createHmac('sha256', config.documentKey.key).update('carnet:event-token-key').digest();
  const token = (text: string) =>
    createHmac('sha256', key).update(`event:${patientId}:${text}`).digest('base64url');
  return system === undefined ? [token(`|${code}`)] : [token(`${system}|${code}`), token(`|${code}`)];
}

/** The rows of `document_event_tokens` for documents being inserted. */
export function eventTokenRows(config: Keys, docs: readonly RecordDocument[]) {
  return docs.flatMap((doc) => {
    // A set per document (its key): two events with one code in two systems share the system-less token.
    const tokens = new Set(
      doc.metadata.events.flatMap((e) => eventTokens(config, doc.patientId, e.system, e.code)),
    );
    return [...tokens].map((token) => ({ patient_id: doc.patientId, document_id: doc.id, token }));
  });
}

/** The rows of `document_related_ids` for documents being inserted. */
export function relatedIdRows(docs: readonly RecordDocument[]) {
  return docs.flatMap((doc) =>
    doc.metadata.related.map((r, position) => ({
      patient_id: doc.patientId,
      document_id: doc.id,
      position,
      system: r.system ?? null,
      value: r.value,
    })),
  );
}

/** The metadata columns of a row stored without PDSm metadata (as older versions did): for imports and fixtures. */
export const noMetadataColumns = Object.freeze({
  author_given_name: null,
  author_family_name: null,
  author_given_search: null,
  author_family_search: null,
  format_system: null,
  format_code: null,
  facility_system: null,
  facility_code: null,
  setting_system: null,
  setting_code: null,
  language: null,
  content_sha1: null,
  confidentiality_code: 'N',
  sealed_metadata: null,
} satisfies Partial<DocumentRow>);

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
      givenName: row.author_given_name ?? undefined,
      familyName: row.author_family_name ?? undefined,
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
    metadata: metadataOf(config, row),
  };
}

export function toDocumentRow(config: Keys, doc: RecordDocument, updatedAt: string): DocumentRow {
  const flags = new Set(doc.confidentiality);
  return {
    // Set by the deposit itself when a patient files a message attachment (src/record/deposit.ts).
    filed_from_message: null,
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
    author_given_name: doc.author.givenName ?? null,
    author_family_name: doc.author.familyName ?? null,
    author_given_search: doc.author.givenName === undefined ? null : searchableName(doc.author.givenName),
    author_family_search: doc.author.familyName === undefined ? null : searchableName(doc.author.familyName),
    format_system: doc.metadata.format?.system ?? null,
    format_code: doc.metadata.format?.code ?? null,
    facility_system: doc.metadata.facilityType?.system ?? null,
    facility_code: doc.metadata.facilityType?.code ?? null,
    setting_system: doc.metadata.practiceSetting?.system ?? null,
    setting_code: doc.metadata.practiceSetting?.code ?? null,
    language: doc.metadata.language ?? null,
    content_sha1: doc.metadata.sha1 ?? null,
    confidentiality_code: doc.metadata.confidentialityLevel,
    sealed_metadata: sealMetadata(config, doc),
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
