import { createHash } from 'node:crypto';
import type { Bundle, DocumentReference, Reference } from '@medplum/fhirtypes';
import {
  depositDocuments,
  DepositInputError,
  type DepositInput,
  type DepositOptions,
  type RecordDocument,
} from '../record/index.ts';
import { CarnetError, uuidv7 } from '../shared/index.ts';
import { insSystem } from '../identity/index.ts';
import type { InsuredPerson } from '../insured/index.ts';
import { unprocessable } from './fhir-input.ts';
import { cdaHeaderOf, cdaMismatch } from './cda-consistency.ts';
import { documentReferences, type FhirCall } from './call.ts';
import { parseDocumentReference, type DocumentReferenceDraft } from './document-reference-input.ts';
import { patientByInsToken, resolvePatientReference } from './patient-reference.ts';
import { parseProvideBundle, type DraftDocument, type ProvideBundleDraft } from './provide-bundle.ts';

/** Points a refused input at its element in the request (the service names fields, FHIR wants paths). */
async function deposit(
  call: FhirCall,
  inputs: DepositInput[],
  drafts: readonly DraftDocument[],
  options: DepositOptions = {},
) {
  try {
    return await depositDocuments(call.ctx, call.principal, inputs, options);
  } catch (error) {
    if (!(error instanceof DepositInputError)) throw error;
    const paths = drafts[error.index]!.draft.paths;
    const path = (error.expression && paths[error.expression]) || paths.content;
    throw new CarnetError(error.kind, error.code, error.message, path);
  }
}

/** The INS identifiers of the bundle's Patient entry, as `system|value` tokens. */
function insTokens(bundle: ProvideBundleDraft): string[] {
  return (bundle.patient?.identifiers ?? []).map((id) => (id.system ? `${id.system}|${id.value}` : id.value));
}

/**
 * The patient the bundle's Patient entry names by INS (a subject may point at that entry by its fullUrl):
 * one of its identifiers must be an INS Carnet knows.
 */
async function patientOfEntry(call: FhirCall, bundle: ProvideBundleDraft): Promise<InsuredPerson> {
  const entry = bundle.patient!;
  const path = `Bundle.entry[${entry.entryIndex}].resource.identifier`;
  for (const token of insTokens(bundle)) {
    try {
      return await patientByInsToken(call.ctx.db, token, path);
    } catch (error) {
      if (!(error instanceof CarnetError)) throw error;
    }
  }
  throw unprocessable('patient-ins-required', 'Le patient du lot doit porter l’INS d’un assuré connu.', path);
}

/** MHD allows a Patient entry: it must carry the subject's INS (the same system and value). */
function checkPatientEntry(bundle: ProvideBundleDraft, person: InsuredPerson): void {
  const entry = bundle.patient;
  if (!entry) return;
  const matches = entry.identifiers.some(
    (id) => id.value === person.ins && (id.system === undefined || id.system === insSystem(person.insOid)),
  );
  if (!matches) {
    throw unprocessable(
      'patient-mismatch',
      'Le patient joint au lot ne porte pas l’INS du patient concerné par les documents.',
      `Bundle.entry[${entry.entryIndex}].resource.identifier`,
    );
  }
}

/** The one patient of a submission: the List's subject, every document's and the Patient entry must agree. */
async function submissionPatient(call: FhirCall, bundle: ProvideBundleDraft) {
  const db = call.ctx.db;
  const listIndex = bundle.entries.findIndex((e) => e.resourceType === 'List');
  const refs = [
    ...(bundle.submissionSet.subject
      ? [{ ref: bundle.submissionSet.subject, path: `Bundle.entry[${listIndex}].resource.subject` }]
      : []),
    ...bundle.documents.flatMap((d) =>
      d.draft.subject
        ? [{ ref: d.draft.subject, path: `Bundle.entry[${d.entryIndex}].resource.subject` }]
        : [],
    ),
  ];
  const fullUrl = bundle.patient?.fullUrl;
  const resolve = async (ref: Reference, path: string) =>
    fullUrl !== undefined && ref.reference === fullUrl
      ? patientOfEntry(call, bundle)
      : resolvePatientReference(db, ref, call.fhirBase, path);
  if (refs.length === 0) {
    const person = bundle.patient
      ? await patientOfEntry(call, bundle)
      : await resolvePatientReference(db, undefined, call.fhirBase, 'Bundle.entry');
    checkPatientEntry(bundle, person);
    return person;
  }
  const people: { person: InsuredPerson; path: string }[] = [];
  // The List and its documents usually name the subject by the same reference: one lookup each distinct one.
  const resolved = new Map<string, InsuredPerson>();
  for (const { ref, path } of refs) {
    const key = JSON.stringify(ref);
    const person = resolved.get(key) ?? (await resolve(ref, path));
    resolved.set(key, person);
    people.push({ person, path });
  }
  const other = people.find((p) => p.person.id !== people[0]!.person.id);
  if (other)
    throw unprocessable(
      'subject-mismatch',
      'Tous les documents d’un lot concernent le même patient.',
      other.path,
    );
  checkPatientEntry(bundle, people[0]!.person);
  return people[0]!.person;
}

/**
 * PDSm `attachment.hash` (base64 SHA-1) and `attachment.size`, when given, must be those of the content: a
 * difference means a corrupted or mismatched transfer (422 naming the element).
 */
function checkAttachment(draft: DocumentReferenceDraft, content: Uint8Array): void {
  if (draft.declaredSize !== undefined && draft.declaredSize !== content.byteLength) {
    throw unprocessable(
      'attachment-size-mismatch',
      `La taille déclarée (${draft.declaredSize} octets) n’est pas celle du contenu (${content.byteLength} octets).`,
      draft.paths.size!,
    );
  }
  if (draft.declaredHash !== undefined) {
    const sha1 = createHash('sha1').update(content).digest();
    const declared = Buffer.from(draft.declaredHash, 'base64');
    if (!declared.equals(sha1)) {
      throw unprocessable(
        'attachment-hash-mismatch',
        'L’empreinte SHA-1 déclarée (attachment.hash, en base64) n’est pas celle du contenu.',
        draft.paths.hash!,
      );
    }
  }
}

/** A CDA document's header must agree with its metadata, as the DMP checks (422 naming the first mismatch). */
function checkCdaHeader(
  call: FhirCall,
  draft: DocumentReferenceDraft,
  content: Uint8Array,
  person: InsuredPerson,
) {
  const header = cdaHeaderOf(content, draft.fields.declaredContentType);
  if (!header) return;
  const mismatch = cdaMismatch(header, {
    ins: person.ins,
    insOid: person.insOid,
    typeCode: draft.fields.typeCode,
    authorNationalId: call.principal.kind === 'professional' ? call.principal.nationalId : undefined,
    confidentialityLevel: draft.fields.metadata?.confidentialityLevel ?? 'N',
  });
  if (!mismatch) return;
  const path = {
    subject: draft.paths.subject!,
    typeCode: draft.paths.typeCode!,
    author: draft.paths.author!,
    confidentiality: draft.paths.confidentiality!,
  }[mismatch.field];
  throw unprocessable(mismatch.code, mismatch.message, path);
}

function checkDocuments(call: FhirCall, documents: readonly DraftDocument[], person: InsuredPerson) {
  for (const d of documents) {
    checkAttachment(d.draft, d.content);
    checkCdaHeader(call, d.draft, d.content, person);
  }
}

/** ITI-65: a transaction Bundle deposited all or nothing; the answer is a `transaction-response`. */
export async function provideDocumentBundle(call: FhirCall, body: unknown): Promise<Bundle> {
  const bundle = parseProvideBundle(body);
  const person = await submissionPatient(call, bundle);
  checkDocuments(call, bundle.documents, person);
  const listId = uuidv7(call.ctx.clock.now().getTime());
  const set = bundle.submissionSet;
  const inputs = bundle.documents.map((d) => ({
    ...d.draft.fields,
    patientId: person.id,
    content: d.content,
    submissionSetId: listId,
  }));
  const docs = await deposit(call, inputs, bundle.documents, {
    patient: person,
    submissionSet: {
      id: listId,
      input: {
        masterIdentifier: set.uniqueId ?? `urn:uuid:${listId}`,
        sourceId: set.sourceId,
        contentType: set.designationType,
        title: set.title,
        comments: set.comments,
      },
    },
  });
  const byEntry = new Map<number, RecordDocument>(bundle.documents.map((d, i) => [d.entryIndex, docs[i]!]));
  const byBinary = new Map<number, RecordDocument>(
    bundle.documents.flatMap((d, i) =>
      d.binaryIndex === undefined ? [] : [[d.binaryIndex, docs[i]!] as const],
    ),
  );
  const lastModified = docs[0]!.depositedAt;
  return {
    resourceType: 'Bundle',
    id: listId,
    type: 'transaction-response',
    entry: bundle.entries.map((e, i) => {
      // The Patient entry is matched, never created: it answers with the record's patient.
      if (e.resourceType === 'Patient') {
        return { response: { status: '200 OK', location: `Patient/${person.id}` } };
      }
      const location =
        e.resourceType === 'List'
          ? `List/${listId}`
          : e.resourceType === 'DocumentReference'
            ? `DocumentReference/${byEntry.get(i)!.id}`
            : `Binary/${byBinary.get(i)?.id ?? listId}`;
      return { response: { status: '201 Created', location, lastModified } };
    }),
  };
}

/** ITI-105: one DocumentReference with its content inline (`attachment.data`). */
export async function publishDocumentReference(
  call: FhirCall,
  body: unknown,
): Promise<{ resource: DocumentReference; location: string }> {
  const draft = parseDocumentReference(body, 'DocumentReference');
  if (!draft.inlineData) {
    throw unprocessable(
      'content-inline-required',
      'Le contenu du document est attendu dans attachment.data.',
      'DocumentReference.content[0].attachment.data',
    );
  }
  const person = await resolvePatientReference(
    call.ctx.db,
    draft.subject,
    call.fhirBase,
    'DocumentReference.subject',
  );
  const drafts = [{ entryIndex: 0, draft, content: draft.inlineData, binaryIndex: undefined }];
  checkDocuments(call, drafts, person);
  // MHD Simplified Publish: the recipient makes the submission set the producer did not send.
  const listId = uuidv7(call.ctx.clock.now().getTime());
  const input = { ...draft.fields, patientId: person.id, content: draft.inlineData, submissionSetId: listId };
  const [doc] = await deposit(call, [input], drafts, {
    patient: person,
    submissionSet: {
      id: listId,
      input: {
        masterIdentifier: `urn:uuid:${listId}`,
        sourceId: undefined,
        contentType: undefined,
        title: undefined,
        comments: undefined,
      },
    },
  });
  const [resource] = await documentReferences(call, person.id, [doc!], person);
  return { resource: resource!, location: `${call.fhirBase}/DocumentReference/${doc!.id}` };
}
