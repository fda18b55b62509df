import type { Bundle, DocumentReference } from '@medplum/fhirtypes';
import {
  depositDocuments,
  DepositInputError,
  type DepositInput,
  type RecordDocument,
} from '../record/index.ts';
import { CarnetError } from '../shared/errors.ts';
import type { InsuredPerson } from '../insured/index.ts';
import { unprocessable } from './fhir-input.ts';
import { uuidv7 } from '../shared/ids.ts';
import { documentReferences, type DocumentCall } from './document-call.ts';
import { parseDocumentReference } from './document-reference-input.ts';
import { resolvePatientReference } from './patient-reference.ts';
import { parseProvideBundle, type DraftDocument } from './provide-bundle.ts';

/** Points a refused input at its element in the request (the service names fields, FHIR wants paths). */
async function deposit(call: DocumentCall, inputs: DepositInput[], drafts: readonly DraftDocument[]) {
  try {
    return await depositDocuments(call.ctx, call.principal, inputs);
  } catch (error) {
    if (!(error instanceof DepositInputError)) throw error;
    const paths = drafts[error.index]!.draft.paths;
    const path = (error.expression && paths[error.expression]) || paths.content;
    throw new CarnetError(error.kind, error.code, error.message, path);
  }
}

/** The one patient of a submission: the List's subject and every document's must agree. */
async function submissionPatient(call: DocumentCall, bundle: ReturnType<typeof parseProvideBundle>) {
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
  if (refs.length === 0) return resolvePatientReference(db, undefined, call.fhirBase, 'Bundle.entry');
  const people: { person: InsuredPerson; path: string }[] = [];
  for (const { ref, path } of refs)
    people.push({ person: await resolvePatientReference(db, ref, call.fhirBase, path), path });
  const other = people.find((p) => p.person.id !== people[0]!.person.id);
  if (other)
    throw unprocessable(
      'subject-mismatch',
      'Tous les documents d’un lot concernent le même patient.',
      other.path,
    );
  return people[0]!.person;
}

/** ITI-65: a transaction Bundle deposited all or nothing; the answer is a `transaction-response`. */
export async function provideDocumentBundle(call: DocumentCall, body: unknown): Promise<Bundle> {
  const bundle = parseProvideBundle(body);
  const person = await submissionPatient(call, bundle);
  const listId = uuidv7(call.ctx.clock.now().getTime());
  const submissionSetId = bundle.submissionSet.uniqueId ?? `urn:uuid:${listId}`;
  const inputs = bundle.documents.map((d) => ({
    ...d.draft.fields,
    patientId: person.id,
    content: d.content,
    submissionSetId,
  }));
  const docs = await deposit(call, inputs, bundle.documents);
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
  call: DocumentCall,
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
  const input = { ...draft.fields, patientId: person.id, content: draft.inlineData };
  const [doc] = await deposit(
    call,
    [input],
    [{ entryIndex: 0, draft, content: draft.inlineData, binaryIndex: undefined }],
  );
  const [resource] = await documentReferences(call, person.id, [doc!]);
  return { resource: resource!, location: `${call.fhirBase}/DocumentReference/${doc!.id}` };
}
