import type { AppContext } from '../app/context.ts';
import type { Principal } from '../access/principal.ts';
import type { PatientId } from '../identity/index.ts';
import type { RecordDocument } from '../record/index.ts';
import { findInsuredById } from '../insured/index.ts';
import { notFound } from '../shared/errors.ts';
import { toDocumentReference } from './document-reference.ts';
import type { DocumentReference } from '@medplum/fhirtypes';

/** A FHIR document interaction: who asks, through which base URL. Free of the web framework. */
export interface DocumentCall {
  readonly ctx: AppContext;
  readonly principal: Principal;
  /** `<base>/fhir`. */
  readonly fhirBase: string;
}

/** DocumentReferences of one patient's documents (the subject carries the INS). */
export async function documentReferences(
  call: DocumentCall,
  patientId: PatientId,
  docs: readonly RecordDocument[],
): Promise<DocumentReference[]> {
  if (docs.length === 0) return [];
  const person = await findInsuredById(call.ctx.db, patientId);
  if (!person) throw notFound('patient-not-found', 'Patient introuvable.');
  return docs.map((doc) => toDocumentReference(doc, person, call.fhirBase));
}
