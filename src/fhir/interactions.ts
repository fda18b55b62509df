import type { Bundle, Patient, Practitioner } from '@medplum/fhirtypes';
import { authorize } from '../access/index.ts';
import type { PatientId } from '../identity/index.ts';
import { findInsuredById, findInsuredByIns } from '../insured/index.ts';
import { findProfessionalById } from '../professionals/index.ts';
import { notFound } from '../shared/index.ts';
import type { FhirCall } from './call.ts';
import { searchsetBundle } from './bundle.ts';
import { toPatientResource } from './patient-resource.ts';
import { toPractitionerResource } from './practitioner-resource.ts';
import { parsePatientSearch, patientSearchUrl, type QueryParams } from './search-params.ts';

/**
 * `GET Patient?identifier=<INS system>|<INS>`: tells whether a DMP exists (docs/fhir.md, "Does this patient have a
 * DMP?"); no match is an empty Bundle.
 */
export async function searchPatients(call: FhirCall, query: QueryParams): Promise<Bundle<Patient>> {
  const search = parsePatientSearch(query);
  const person = await findInsuredByIns(call.ctx.db, search.ins);
  // FHIR token semantics: with a system, the identifier must be in that system (an INS in the test range is
  // not found under the production OID).
  const match = person && (!search.oid || person.insOid === search.oid) ? person : undefined;
  // With no match the question is still asked of the policy, as about someone without a profile, so that a
  // principal who may not search learns nothing from the difference.
  authorize(call.principal, { type: 'patient.find', profileState: match?.profileState ?? 'opposed' });
  return searchsetBundle({
    selfUrl: patientSearchUrl(call.fhirBase, search),
    fhirBase: call.fhirBase,
    matches: match ? [toPatientResource(match)] : [],
  });
}

const patientNotFound = () => notFound('patient-not-found', 'Patient introuvable.');

export async function readPatient(call: FhirCall, id: string): Promise<Patient> {
  const person = await findInsuredById(call.ctx.db, id as PatientId);
  if (!person) throw patientNotFound();
  authorize(call.principal, {
    type: 'patient.read-identity',
    patientId: person.id,
    profileState: person.profileState,
  });
  return toPatientResource(person);
}

export async function readPractitioner(call: FhirCall, id: string): Promise<Practitioner> {
  authorize(call.principal, { type: 'practitioner.read' });
  const professional = await findProfessionalById(call.ctx.db, id);
  if (!professional) throw notFound('practitioner-not-found', 'Professionnel de santé introuvable.');
  return toPractitionerResource(professional);
}
