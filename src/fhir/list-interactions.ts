import type { Bundle, BundleEntry, List } from '@medplum/fhirtypes';
import { findInsuredById, type InsuredPerson } from '../insured/index.ts';
import type { PatientId } from '../identity/index.ts';
import { readSubmissionSet, searchSubmissionSets } from '../record/index.ts';
import { notFound } from '../shared/index.ts';
import type { FhirCall } from './call.ts';
import { patientOfParam } from './document-interactions.ts';
import { listPageLinks, parseListSearch } from './list-search-params.ts';
import type { QueryParams } from './search-params.ts';
import { toSubmissionSetList } from './submission-set-list.ts';

async function personOf(call: FhirCall, patientId: PatientId): Promise<InsuredPerson> {
  const person = await findInsuredById(call.ctx.db, patientId);
  if (!person) throw notFound('patient-not-found', 'Patient introuvable.');
  return person;
}

/** `GET List/<id>`: a submission set with the documents of it the caller may see. */
export async function readList(call: FhirCall, id: string): Promise<List> {
  const visible = await readSubmissionSet(call.ctx, call.principal, id);
  return toSubmissionSetList(visible, await personOf(call, visible.set.patientId));
}

/** ITI-66 (Find Document Lists): the patient's submission sets with at least one document the caller may see. */
export async function searchLists(
  call: FhirCall,
  query: QueryParams,
  options: { strict?: boolean } = {},
): Promise<Bundle<List>> {
  const search = parseListSearch(query, options);
  const person = await patientOfParam(call, search.patient);
  const { total, sets } = search.lists
    ? await searchSubmissionSets(call.ctx, call.principal, { ...search.query, patientId: person.id })
    : { total: 0, sets: [] };
  const entry: BundleEntry<List>[] = sets.map((visible) => ({
    fullUrl: `${call.fhirBase}/List/${visible.set.id}`,
    resource: toSubmissionSetList(visible, person),
    search: { mode: 'match' },
  }));
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total,
    link: listPageLinks(call.fhirBase, search, total),
    entry,
  };
}
