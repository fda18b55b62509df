import type { Reference } from '@medplum/fhirtypes';
import { invalid } from '../shared/index.ts';
import { parseDocumentReference, type DocumentReferenceDraft } from './document-reference-input.ts';
import type { DocumentCoding } from '../record/index.ts';
import { conceptOf } from './document-reference-metadata.ts';
import {
  IHE_DESIGNATION_TYPE_EXTENSION,
  IHE_SOURCE_ID_EXTENSION,
  MHD_LIST_TYPES_SYSTEM,
} from './document-systems.ts';
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

/** An ITI-65 "Provide Document Bundle", read and cross-checked, before any patient or rule is looked at. */
export interface DraftDocument {
  readonly entryIndex: number;
  readonly draft: DocumentReferenceDraft;
  readonly content: Uint8Array;
  /** The Binary entry it was taken from, if any. */
  readonly binaryIndex: number | undefined;
}

/** The SubmissionSet (`List`) as submitted. */
export interface SubmissionSetDraft {
  readonly subject: Reference | undefined;
  readonly uniqueId: string | undefined;
  readonly sourceId: string | undefined;
  readonly designationType: DocumentCoding | undefined;
  readonly title: string | undefined;
  readonly comments: string | undefined;
}

/** The `Patient` entry MHD allows beside the List: whom the submission is about, by INS. */
export interface PatientEntryDraft {
  readonly entryIndex: number;
  readonly fullUrl: string | undefined;
  readonly identifiers: readonly { readonly system: string | undefined; readonly value: string }[];
}

export type BundleEntryType = 'List' | 'DocumentReference' | 'Binary' | 'Patient';

export interface ProvideBundleDraft {
  /** Each entry's resource type, in request order (the response answers in the same order). */
  readonly entries: readonly { readonly resourceType: BundleEntryType }[];
  readonly submissionSet: SubmissionSetDraft;
  readonly patient: PatientEntryDraft | undefined;
  readonly documents: readonly DraftDocument[];
}

const bundleInvalid = (code: string, message: string, expression: string) =>
  invalid(code, message, expression);

function isSubmissionSet(list: Json): boolean {
  const codings = isObject(list.code) && Array.isArray(list.code.coding) ? list.code.coding : [];
  return codings.some(
    (c) =>
      isObject(c) &&
      c.code === 'submissionset' &&
      (c.system === undefined || c.system === MHD_LIST_TYPES_SYSTEM),
  );
}

function readEntry(entry: unknown, i: number) {
  const path = `Bundle.entry[${i}]`;
  const e = objectAt(entry, path);
  const resource = objectAt(e.resource, `${path}.resource`);
  const request = objectAt(e.request, `${path}.request`);
  // A Patient entry may be a conditional update (PUT) as well as a create.
  const patientEntry = isObject(resource) && resource.resourceType === 'Patient';
  if (request.method !== 'POST' && !(patientEntry && request.method === 'PUT')) {
    throw bundleInvalid(
      'bundle-entry-method',
      'Chaque entrée du lot doit être une création (POST).',
      `${path}.request.method`,
    );
  }
  const type = resource.resourceType;
  if (type !== 'List' && type !== 'DocumentReference' && type !== 'Binary' && type !== 'Patient') {
    throw unprocessable(
      'bundle-entry-unsupported',
      'Un lot de dépôt ne contient que List, DocumentReference, Binary et Patient.',
      `${path}.resource.resourceType`,
    );
  }
  return { path, resource, type, fullUrl: optionalString(e.fullUrl, `${path}.fullUrl`) } as const;
}

function binaryContent(resource: Json, path: string): { data: Uint8Array; contentType: string | undefined } {
  expectResourceType(resource, 'Binary', path);
  return {
    data: base64Bytes(resource.data, `${path}.data`),
    contentType: optionalString(resource.contentType, `${path}.contentType`),
  };
}

function extensionValue(
  resource: Json,
  url: string,
  path: string,
): { value: Json; path: string } | undefined {
  const extensions = arrayAt(resource.extension, `${path}.extension`);
  const index = extensions.findIndex((e) => isObject(e) && e.url === url);
  return index < 0 ? undefined : { value: extensions[index] as Json, path: `${path}.extension[${index}]` };
}

/** uniqueId (`identifier` use usual, else the first), sourceId, designationType, title and comments. */
function submissionSetOf(list: Json, path: string): SubmissionSetDraft {
  const identifiers = arrayAt(list.identifier, `${path}.identifier`).filter(isObject);
  const usual =
    identifiers.find((id) => id.use === 'usual') ?? identifiers.find((id) => id.use !== 'official');
  const uniqueId = usual ? optionalString(usual.value, `${path}.identifier.value`) : undefined;
  const source = extensionValue(list, IHE_SOURCE_ID_EXTENSION, path);
  const sourceId =
    source && isObject(source.value.valueIdentifier)
      ? optionalString(source.value.valueIdentifier.value, `${source.path}.valueIdentifier.value`)
      : undefined;
  const designation = extensionValue(list, IHE_DESIGNATION_TYPE_EXTENSION, path);
  const notes = arrayAt(list.note, `${path}.note`).flatMap((n, i) => {
    const text = isObject(n) ? optionalString(n.text, `${path}.note[${i}].text`) : undefined;
    return text ? [text] : [];
  });
  return {
    subject: isObject(list.subject) ? (list.subject as Reference) : undefined,
    uniqueId,
    sourceId,
    designationType: designation
      ? conceptOf(designation.value.valueCodeableConcept, `${designation.path}.valueCodeableConcept`)
      : undefined,
    title: optionalString(list.title, `${path}.title`),
    comments: notes.length ? notes.join('\n') : undefined,
  };
}

function patientEntryOf(patient: Json, entryIndex: number, fullUrl: string | undefined): PatientEntryDraft {
  const path = `Bundle.entry[${entryIndex}].resource`;
  const identifiers = arrayAt(patient.identifier, `${path}.identifier`).flatMap((id, i) => {
    const o = objectAt(id, `${path}.identifier[${i}]`);
    const value = optionalString(o.value, `${path}.identifier[${i}].value`);
    return value ? [{ system: optionalString(o.system, `${path}.identifier[${i}].system`), value }] : [];
  });
  return { entryIndex, fullUrl, identifiers };
}

/** Reads an ITI-65 transaction: one SubmissionSet List, DocumentReferences, and the Binaries they point to. */
export function parseProvideBundle(body: unknown): ProvideBundleDraft {
  const bundle = objectAt(body, 'Bundle');
  expectResourceType(bundle, 'Bundle', 'Bundle');
  if (bundle.type !== 'transaction') {
    throw bundleInvalid(
      'bundle-not-transaction',
      'Le dépôt se fait par un Bundle de type « transaction ».',
      'Bundle.type',
    );
  }
  const entries = arrayAt(bundle.entry, 'Bundle.entry').map(readEntry);
  const lists = entries.filter((e) => e.type === 'List');
  if (lists.length !== 1 || !isSubmissionSet(lists[0]!.resource)) {
    throw bundleInvalid(
      'submission-set-required',
      'Le lot doit contenir exactement un lot de soumission (List de code « submissionset »).',
      'Bundle.entry',
    );
  }
  const binaries = new Map(
    entries.flatMap((e, i) => (e.type === 'Binary' && e.fullUrl ? [[e.fullUrl, i] as const] : [])),
  );
  const documents = entries.flatMap((e, entryIndex): DraftDocument[] => {
    if (e.type !== 'DocumentReference') return [];
    const draft = parseDocumentReference(e.resource, `${e.path}.resource`);
    if (draft.inlineData) return [{ entryIndex, draft, content: draft.inlineData, binaryIndex: undefined }];
    const binaryIndex = draft.attachmentUrl ? binaries.get(draft.attachmentUrl) : undefined;
    if (binaryIndex === undefined) {
      throw unprocessable(
        'binary-missing',
        'Le contenu du document est introuvable dans le lot (attachment.url doit désigner une entrée Binary).',
        `${e.path}.resource.content[0].attachment.url`,
      );
    }
    const binary = binaryContent(entries[binaryIndex]!.resource, `Bundle.entry[${binaryIndex}].resource`);
    const fields =
      draft.fields.declaredContentType || !binary.contentType
        ? draft.fields
        : { ...draft.fields, declaredContentType: binary.contentType };
    return [{ entryIndex, draft: { ...draft, fields }, content: binary.data, binaryIndex }];
  });
  if (documents.length === 0) {
    throw bundleInvalid('document-required', 'Le lot ne contient aucun document.', 'Bundle.entry');
  }
  // MHD ITI-65: a Binary is the content of one DocumentReference. One nothing points to would be answered
  // "created" at a location that serves nothing, so the whole transaction is refused.
  const used = new Set(documents.map((d) => d.binaryIndex));
  const stray = entries.findIndex((e, i) => e.type === 'Binary' && !used.has(i));
  if (stray >= 0) {
    throw unprocessable(
      'binary-unreferenced',
      'Une entrée Binary du lot n’est le contenu d’aucun document (aucun attachment.url ne la désigne).',
      `Bundle.entry[${stray}]`,
    );
  }
  const patients = entries.flatMap((e, i) => (e.type === 'Patient' ? [{ ...e, index: i }] : []));
  if (patients.length > 1) {
    throw unprocessable('patient-entries', 'Le lot ne contient qu’un seul patient.', `${patients[1]!.path}`);
  }
  return {
    entries: entries.map((e) => ({ resourceType: e.type })),
    submissionSet: submissionSetOf(lists[0]!.resource, `${lists[0]!.path}.resource`),
    patient: patients[0] && patientEntryOf(patients[0].resource, patients[0].index, patients[0].fullUrl),
    documents,
  };
}
