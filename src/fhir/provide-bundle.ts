import type { Reference } from '@medplum/fhirtypes';
import { invalid } from '../shared/errors.ts';
import { parseDocumentReference, type DocumentReferenceDraft } from './document-reference-input.ts';
import { MHD_LIST_TYPES_SYSTEM } from './document-systems.ts';
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

export interface ProvideBundleDraft {
  /** Each entry's resource type, in request order (the response answers in the same order). */
  readonly entries: readonly { readonly resourceType: 'List' | 'DocumentReference' | 'Binary' }[];
  readonly submissionSet: { readonly subject: Reference | undefined; readonly uniqueId: string | undefined };
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
  if (request.method !== 'POST') {
    throw bundleInvalid(
      'bundle-entry-method',
      'Chaque entrée du lot doit être une création (POST).',
      `${path}.request.method`,
    );
  }
  const type = resource.resourceType;
  if (type !== 'List' && type !== 'DocumentReference' && type !== 'Binary') {
    throw unprocessable(
      'bundle-entry-unsupported',
      'Un lot de dépôt ne contient que List, DocumentReference et Binary.',
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
  const list = lists[0]!.resource;
  const identifiers = arrayAt(list.identifier, `${lists[0]!.path}.resource.identifier`);
  const uniqueId = identifiers
    .map((id) => (isObject(id) ? id.value : undefined))
    .find((v) => typeof v === 'string');
  return {
    entries: entries.map((e) => ({ resourceType: e.type })),
    submissionSet: {
      subject: isObject(list.subject) ? (list.subject as Reference) : undefined,
      uniqueId: uniqueId as string | undefined,
    },
    documents,
  };
}
