import type { Bundle, ExplanationOfBenefit } from '@medplum/fhirtypes';
import type { PatientId } from '../identity/index.ts';
import { careItemToExplanationOfBenefit, readCareHistory } from '../insurer/index.ts';
import { invalid } from '../shared/index.ts';
import type { FhirCall } from './call.ts';
import { offsetPageLinks, readPage } from './paging.ts';
import { patientById, patientByInsToken } from './patient-reference.ts';
import { single, type QueryParams } from './search-params.ts';

/**
 * `ExplanationOfBenefit?patient=<id>` (or `patient.identifier=<system>|<INS>`): the reimbursed care of "Mon
 * histoire de santé", newest first, `_count`/`_offset`; a patient's token reads their own (omitting `patient`), a
 * professional's under the same policy as the portal (masked: the administrateur only).
 */
export async function searchExplanationsOfBenefit(
  call: FhirCall,
  query: QueryParams,
): Promise<Bundle<ExplanationOfBenefit>> {
  const { ctx, principal, fhirBase } = call;
  const byId = single(query, 'patient');
  const byIns = single(query, 'patient.identifier');
  let patientId: PatientId;
  if (byIns) patientId = (await patientByInsToken(ctx.db, byIns, 'patient.identifier')).id;
  else if (byId) patientId = (await patientById(ctx.db, byId.replace(/^.*Patient\//, ''), 'patient')).id;
  else if (principal.kind === 'patient') patientId = principal.patientId;
  else
    throw invalid(
      'search-patient-required',
      'La recherche porte sur un patient : paramètre « patient » attendu.',
      'patient',
    );
  const page = readPage(query._count, query._offset);
  const history = await readCareHistory(ctx, principal, patientId, {
    count: page.count,
    offset: page.offset,
  });
  const url = (at: number) =>
    `${fhirBase}/ExplanationOfBenefit?patient=Patient/${patientId}&_count=${page.count}&_offset=${at}`;
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: history.total,
    link: offsetPageLinks(url, page, history.total),
    entry: history.items.map((item) => ({
      fullUrl: `${fhirBase}/ExplanationOfBenefit/${item.id}`,
      resource: careItemToExplanationOfBenefit(item, patientId),
      search: { mode: 'match' as const },
    })),
  };
}
