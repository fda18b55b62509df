import type { CodeableConcept, Reference } from '@medplum/fhirtypes';
import { findDocumentType } from '../terminology/index.ts';
import type { DepositInput, DocumentId } from '../record/index.ts';
import { invalid } from '../shared/index.ts';
import {
  arrayAt,
  base64Bytes,
  expectResourceType,
  isObject,
  objectAt,
  optionalString,
  unprocessable,
  type Json,
} from './fhir-input.ts';
import {
  codingOf,
  conceptOf,
  custodianOf,
  relatedOf,
  sourcePatientOf,
  submittedAuthorOf,
} from './document-reference-metadata.ts';
import { readSecurityLabels } from './security-labels.ts';

export type DepositFields = Omit<DepositInput, 'patientId' | 'content' | 'submissionSetId'>;

/** What a posted DocumentReference asks to deposit, before its patient and content are resolved. */
export interface DocumentReferenceDraft {
  readonly subject: Reference | undefined;
  readonly fields: DepositFields;
  /** `urn:uuid:<fullUrl of a Binary>` in an ITI-65 bundle. */
  readonly attachmentUrl: string | undefined;
  /** `attachment.data` (ITI-105, or inline in a bundle). */
  readonly inlineData: Uint8Array | undefined;
  /** `attachment.hash` (base64 SHA-1) and `attachment.size` as declared: checked against the content. */
  readonly declaredHash: string | undefined;
  readonly declaredSize: number | undefined;
  /** FHIRPath of each deposit field, so that a refusal points at the element. */
  readonly paths: Readonly<Record<string, string>>;
}

/** The coding Carnet knows (LOINC or TRE_A05), else the first one: its refusal will name it. */
function typeCoding(type: unknown, path: string): { code: string; system?: string; path: string } {
  const codings = arrayAt(isObject(type) ? type.coding : undefined, `${path}.coding`);
  const read = codings.map((c, i) => ({
    code: isObject(c) ? optionalString(c.code, `${path}.coding[${i}].code`) : undefined,
    system: isObject(c) ? optionalString(c.system, `${path}.coding[${i}].system`) : undefined,
    path: `${path}.coding[${i}].code`,
  }));
  const known = read.find((c) => c.code && findDocumentType(c.code, c.system));
  const chosen = known ?? read.find((c) => c.code);
  if (!chosen?.code) throw invalid('type-required', 'Le type du document est obligatoire.', path);
  return { code: chosen.code, ...(chosen.system ? { system: chosen.system } : {}), path: chosen.path };
}

function replacesOf(relatesTo: unknown, path: string): DocumentId | undefined {
  const links = arrayAt(relatesTo, path);
  if (links.length === 0) return undefined;
  if (links.length > 1)
    throw unprocessable('relates-to-several', 'Un seul document remplacé est accepté.', path);
  const link = objectAt(links[0], `${path}[0]`);
  if (link.code !== 'replaces') {
    throw unprocessable(
      'relates-to-unsupported',
      'Seule la relation « replaces » est prise en charge.',
      `${path}[0].code`,
    );
  }
  const target = isObject(link.target)
    ? optionalString(link.target.reference, `${path}[0].target.reference`)
    : undefined;
  const id = target ? /(?:^|\/)DocumentReference\/([^/]+)$/.exec(target)?.[1] : undefined;
  if (!id) {
    throw unprocessable(
      'relates-to-target',
      'Le document remplacé doit être désigné par « DocumentReference/<id> ».',
      `${path}[0].target`,
    );
  }
  return id as DocumentId;
}

function optionalSize(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw invalid('resource-invalid', 'Une taille entière est attendue.', path);
  }
  return value;
}

/** Reads a DocumentReference to deposit (ITI-65 entry or ITI-105 body); structure only, the rules are the service's. */
export function parseDocumentReference(value: unknown, path: string): DocumentReferenceDraft {
  const resource: Json = objectAt(value, path);
  expectResourceType(resource, 'DocumentReference', path);
  const type = typeCoding(resource.type, `${path}.type`);
  const content = arrayAt(resource.content, `${path}.content`);
  if (content.length !== 1) {
    throw invalid('content-required', 'Un document a exactement un contenu.', `${path}.content`);
  }
  const attachmentPath = `${path}.content[0].attachment`;
  const content0 = objectAt(content[0], `${path}.content[0]`);
  const attachment = objectAt(content0.attachment, attachmentPath);
  const context = isObject(resource.context) ? resource.context : {};
  const period = isObject(context.period) ? context.period : {};
  const labels = arrayAt(resource.securityLabel, `${path}.securityLabel`) as CodeableConcept[];
  const masterIdentifier = isObject(resource.masterIdentifier)
    ? optionalString(resource.masterIdentifier.value, `${path}.masterIdentifier.value`)
    : undefined;
  const title =
    optionalString(resource.description, `${path}.description`) ??
    optionalString(attachment.title, `${attachmentPath}.title`) ??
    '';
  const createdAt = optionalString(attachment.creation, `${attachmentPath}.creation`);
  const serviceStart = optionalString(period.start, `${path}.context.period.start`);
  const serviceEnd = optionalString(period.end, `${path}.context.period.end`);
  const declared = optionalString(attachment.contentType, `${attachmentPath}.contentType`);
  const replacesId = replacesOf(resource.relatesTo, `${path}.relatesTo`);
  const { flags, level } = readSecurityLabels(labels, `${path}.securityLabel`);
  const author = submittedAuthorOf(resource, path);
  const language = optionalString(attachment.language, `${attachmentPath}.language`);
  const format = codingOf(content0.format, `${path}.content[0].format`);
  const facilityType = conceptOf(context.facilityType, `${path}.context.facilityType`);
  const practiceSetting = conceptOf(context.practiceSetting, `${path}.context.practiceSetting`);
  const events = arrayAt(context.event, `${path}.context.event`).flatMap((e, i) => {
    const read = conceptOf(e, `${path}.context.event[${i}]`);
    return read ? [read] : [];
  });
  const related = relatedOf(context.related, `${path}.context.related`);
  const sourcePatientInfo = sourcePatientOf(
    resource,
    context.sourcePatientInfo,
    `${path}.context.sourcePatientInfo`,
    path,
  );
  const custodian = custodianOf(resource, resource.custodian, `${path}.custodian`, path);
  const fields: DepositFields = {
    typeCode: type.code,
    ...(type.system ? { typeSystem: type.system } : {}),
    title,
    ...(masterIdentifier ? { masterIdentifier } : {}),
    ...(createdAt ? { createdAt } : {}),
    ...(serviceStart ? { serviceStart } : {}),
    ...(serviceEnd ? { serviceEnd } : {}),
    confidentiality: flags,
    ...(declared ? { declaredContentType: declared } : {}),
    ...(replacesId ? { replacesId } : {}),
    ...(author?.nationalId ? { authorNationalId: author.nationalId } : {}),
    metadata: {
      format,
      language,
      facilityType,
      practiceSetting,
      events,
      related,
      confidentialityLevel: level,
      sourcePatientInfo,
      authorRole: author?.role,
      custodian,
    },
  };
  return {
    subject: isObject(resource.subject) ? (resource.subject as Reference) : undefined,
    fields,
    attachmentUrl: optionalString(attachment.url, `${attachmentPath}.url`),
    inlineData:
      attachment.data === undefined ? undefined : base64Bytes(attachment.data, `${attachmentPath}.data`),
    declaredHash: optionalString(attachment.hash, `${attachmentPath}.hash`),
    declaredSize: optionalSize(attachment.size, `${attachmentPath}.size`),
    paths: {
      typeCode: type.path,
      title: `${path}.description`,
      createdAt: `${attachmentPath}.creation`,
      serviceStart: `${path}.context.period.start`,
      serviceEnd: `${path}.context.period.end`,
      confidentiality: `${path}.securityLabel`,
      masterIdentifier: `${path}.masterIdentifier`,
      content: attachmentPath,
      relatesTo: `${path}.relatesTo`,
      author: author?.path ?? `${path}.author`,
      subject: `${path}.subject`,
      hash: `${attachmentPath}.hash`,
      size: `${attachmentPath}.size`,
    },
  };
}
