import type { Reference } from '@medplum/fhirtypes';
import type { PatientId } from '../identity/index.ts';
import { findInsuredById, findInsuredByIns, type InsuredPerson } from '../insured/index.ts';
import { CarnetError, invalid } from '../shared/index.ts';
import type { Executor } from '../storage/index.ts';
import { parsePatientSearch } from './search-params.ts';

const patientNotFound = (path: string) =>
  new CarnetError('not-found', 'patient-not-found', 'Aucun patient ne correspond à cette référence.', path);

/** `<system>|<INS>` as a patient; the INS is checked (key included) with the usual French messages. */
export async function patientByInsToken(db: Executor, token: string, path: string): Promise<InsuredPerson> {
  let search;
  try {
    search = parsePatientSearch({ identifier: token });
  } catch (error) {
    if (error instanceof CarnetError) throw new CarnetError(error.kind, error.code, error.message, path);
    throw error;
  }
  const person = await findInsuredByIns(db, search.ins);
  if (!person || (search.oid && person.insOid !== search.oid)) throw patientNotFound(path);
  return person;
}

export async function patientById(db: Executor, id: string, path: string): Promise<InsuredPerson> {
  const person = /^[0-9a-f-]{36}$/i.test(id) ? await findInsuredById(db, id as PatientId) : undefined;
  if (!person) throw patientNotFound(path);
  return person;
}

/**
 * The patient a reference designates: `Patient/<id>` (or its full URL), the conditional
 * `Patient?identifier=<system>|<INS>` of PDSm, or a logical reference by INS identifier.
 */
export async function resolvePatientReference(
  db: Executor,
  ref: Reference | undefined,
  fhirBase: string,
  path: string,
): Promise<InsuredPerson> {
  const text = ref?.reference;
  if (text) {
    const conditional = /^Patient\?identifier=(.+)$/.exec(text);
    if (conditional) return patientByInsToken(db, decodeURIComponent(conditional[1]!), path);
    const local = text.startsWith(`${fhirBase}/`) ? text.slice(fhirBase.length + 1) : text;
    const direct = /^Patient\/([^/?#]+)$/.exec(local);
    if (direct) return patientById(db, direct[1]!, path);
    throw invalid('patient-reference-invalid', 'La référence au patient est invalide.', path);
  }
  const identifier = ref?.identifier;
  if (identifier?.value) {
    return patientByInsToken(
      db,
      identifier.system ? `${identifier.system}|${identifier.value}` : identifier.value,
      path,
    );
  }
  throw invalid('patient-reference-required', 'Le patient concerné doit être indiqué.', path);
}
