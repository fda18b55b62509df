import type { AppContext } from '../app/index.ts';
import type { Principal } from '../access/index.ts';
import type { PatientId } from '../identity/index.ts';
import type { RecordDocument } from '../record/index.ts';
import { findInsuredById, type InsuredPerson } from '../insured/index.ts';
import { notFound } from '../shared/index.ts';
import { toDocumentReference } from './document-reference.ts';
import type { DocumentReference } from '@medplum/fhirtypes';

/**
 * One FHIR interaction as every handler of the route table receives it: who asks, through which base URL, with the
 * application context (database, configuration, clock). Free of the web framework.
 */
export interface FhirCall {
  readonly ctx: AppContext;
  readonly principal: Principal;
  /** `<base>/fhir`. */
  readonly fhirBase: string;
}

/** DocumentReferences of one patient's documents (the subject carries the INS). */
export async function documentReferences(
  call: FhirCall,
  patientId: PatientId,
  docs: readonly RecordDocument[],
  known?: InsuredPerson,
): Promise<DocumentReference[]> {
  if (docs.length === 0) return [];
  // The caller who has just resolved the patient passes them: one read fewer per search.
  const person = known?.id === patientId ? known : await findInsuredById(call.ctx.db, patientId);
  if (!person) throw notFound('patient-not-found', 'Patient introuvable.');
  return docs.map((doc) => toDocumentReference(doc, person, call.fhirBase));
}
