import type { Binary, Bundle, BundleEntry, DocumentReference, OperationOutcome } from '@medplum/fhirtypes';
import {
  changeConfidentiality,
  findVisibleByIdentifier,
  readDocument,
  retrieveDocumentContent,
  searchDocuments,
  type DocumentId,
} from '../record/index.ts';
import { CarnetError, notFound } from '../shared/index.ts';
import { documentReferences, type FhirCall } from './call.ts';
import { applyFhirPathPatch, applyJsonPatch, confidentialityChange } from './document-patch.ts';
import {
  pageLinks,
  parseDocumentSearch,
  type PatientParam,
  type SearchHandling,
  type SearchPairs,
} from './document-search-params.ts';
import { patientById, patientByInsToken } from './patient-reference.ts';
import { securityLabels } from './security-labels.ts';
import type { QueryParams } from './search-params.ts';

export async function patientOfParam(call: FhirCall, param: PatientParam) {
  return 'identifier' in param
    ? patientByInsToken(call.ctx.db, param.identifier, 'patient.identifier')
    : patientById(call.ctx.db, param.id, 'patient');
}

/**
 * How many of the record's documents the habilitation matrix hides from the professional, as the searchset's
 * `outcome` entry: a number only (no type, no title), so that the omission is never silent.
 */
function matrixOutcome(hidden: number): BundleEntry<OperationOutcome> {
  const diagnostics =
    hidden === 1
      ? 'Un document de ce dossier vous est masqué par la matrice d’habilitation de votre profession.'
      : `${hidden} documents de ce dossier vous sont masqués par la matrice d’habilitation de votre profession.`;
  return {
    resource: {
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'information',
          code: 'suppressed',
          details: {
            coding: [{ system: HIDDEN_BY_MATRIX_SYSTEM, code: 'hidden-by-matrix' }],
            text: `${hidden}`,
          },
          diagnostics,
        },
      ],
    },
    search: { mode: 'outcome' },
  };
}
export const HIDDEN_BY_MATRIX_SYSTEM = 'https://carnet.example.org/fhir/CodeSystem/search-outcome';

/**
 * ITI-67 (GET, or POST `_search` with the parameters in the form body and/or the URL): a page of the patient's
 * DocumentReferences the caller may see; `total` counts only those, and an `outcome` entry says how many the
 * habilitation matrix hides.
 */
export async function searchDocumentReferences(
  call: FhirCall,
  query: QueryParams | SearchPairs,
  handling: SearchHandling = 'lenient',
): Promise<Bundle<DocumentReference | OperationOutcome>> {
  const search = parseDocumentSearch(query, handling);
  const person = await patientOfParam(call, search.patient);
  const { total, documents, hiddenByMatrix } = await searchDocuments(call.ctx, call.principal, {
    ...search.query,
    patientId: person.id,
  });
  const resources = await documentReferences(call, person.id, documents, person);
  const matches: BundleEntry<DocumentReference>[] = resources.map((resource) => ({
    fullUrl: `${call.fhirBase}/DocumentReference/${resource.id}`,
    resource,
    search: { mode: 'match' },
  }));
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total,
    link: pageLinks(call.fhirBase, search, total),
    entry: [...matches, ...(hiddenByMatrix > 0 ? [matrixOutcome(hiddenByMatrix)] : [])],
  };
}

const documentNotFound = () => notFound('document-not-found', 'Document introuvable.');
const asDocumentId = (id: string): DocumentId => {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw documentNotFound();
  return id as DocumentId;
};

export async function readDocumentReference(call: FhirCall, id: string): Promise<DocumentReference> {
  const doc = await readDocument(call.ctx, call.principal, asDocumentId(id));
  const [resource] = await documentReferences(call, doc.patientId, [doc]);
  return resource!;
}

/** ITI-68: the exact bytes, or a FHIR Binary when the client asks for FHIR JSON. */
export async function retrieveBinary(
  call: FhirCall,
  id: string,
): Promise<{ contentType: string; bytes: Buffer; resource: () => Binary }> {
  const { document, content } = await retrieveDocumentContent(call.ctx, call.principal, asDocumentId(id));
  return {
    contentType: document.contentType,
    bytes: content,
    resource: () => ({
      resourceType: 'Binary',
      id: document.id,
      contentType: document.contentType,
      data: content.toString('base64'),
    }),
  };
}

/** PATCH of `securityLabel` (masking, PDSm): JSON Patch or FHIRPath Patch; anything else is refused (422). */
export async function patchDocumentReference(
  call: FhirCall,
  id: string,
  body: unknown,
): Promise<DocumentReference> {
  const doc = await readDocument(call.ctx, call.principal, asDocumentId(id));
  const level = doc.metadata.confidentialityLevel;
  const current = securityLabels(doc.confidentiality, level);
  const labels = Array.isArray(body) ? applyJsonPatch(current, body) : applyFhirPathPatch(current, body);
  const change = confidentialityChange(doc.confidentiality, labels, level);
  const updated = await changeConfidentiality(call.ctx, call.principal, doc.id, change);
  const [resource] = await documentReferences(call, updated.patientId, [updated]);
  return resource!;
}

/** Conditional PATCH `DocumentReference?identifier=<masterIdentifier>`: exactly one visible match, else 404 / 412. */
export async function conditionalPatchDocumentReference(
  call: FhirCall,
  query: QueryParams,
  body: unknown,
): Promise<DocumentReference> {
  const raw = query.identifier;
  const token = typeof raw === 'string' ? raw : undefined;
  if (!token) {
    throw new CarnetError(
      'invalid',
      'patch-condition-required',
      'La modification conditionnelle se fait par « identifier ».',
      'identifier',
    );
  }
  const value = token.slice(token.indexOf('|') + 1);
  const ids = await findVisibleByIdentifier(call.ctx, call.principal, value);
  if (ids.length === 0) throw documentNotFound();
  if (ids.length > 1) {
    throw new CarnetError(
      'precondition-failed',
      'patch-condition-ambiguous',
      'Plusieurs documents correspondent à cet identifiant.',
      'identifier',
    );
  }
  return patchDocumentReference(call, ids[0]!, body);
}
