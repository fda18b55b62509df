/** FHIR search and read of the medical profile's resources, decided section by section by the profile policy. */
import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { PatientId } from '../identity/index.ts';
import { readProfile, readProfileEntry } from '../medical-profile/index.ts';
import { denialError } from '../record/index.ts';
import { invalid, notFound } from '../shared/index.ts';
import type { FhirCall } from './call.ts';
import { offsetPageLinks, readPage } from './paging.ts';
import { patientById, patientByInsToken } from './patient-reference.ts';
import {
  profileEntryToFhir,
  codeSearchTypes,
  sectionsOfType,
  type ProfileResourceType,
} from './profile-resources.ts';
import { single, type QueryParams } from './search-params.ts';

/** `patient=<id>|Patient/<id>`, `subject=…`, `patient.identifier=<system>|<INS>`; a patient token defaults to itself. */
async function patientOf(call: FhirCall, query: QueryParams): Promise<PatientId> {
  const byId = single(query, 'patient') ?? single(query, 'subject');
  const byIns = single(query, 'patient.identifier') ?? single(query, 'subject.identifier');
  if (byId) return (await patientById(call.ctx.db, byId.replace(/^.*Patient\//, ''), 'patient')).id;
  if (byIns) return (await patientByInsToken(call.ctx.db, byIns, 'patient.identifier')).id;
  if (call.principal.kind === 'patient') return call.principal.patientId;
  throw invalid('patient-required', 'Indiquez le patient (paramètre « patient »).', 'patient');
}

/** Token search `[system|]code` against a CodeableConcept's codings. */
function tokenMatches(concepts: readonly unknown[], token: string): boolean {
  const [system, code] = token.includes('|') ? token.split('|', 2) : [undefined, token];
  return concepts.some((c) =>
    ((c as { coding?: { system?: string; code?: string }[] } | undefined)?.coding ?? []).some(
      (coding) => coding.code === code && (system === undefined || system === '' || coding.system === system),
    ),
  );
}

/** The concepts a `code` search looks at, per resource type (FHIR R4 search parameter `code` / `vaccine-code`). */
function codedConcepts(resource: Resource): readonly unknown[] {
  switch (resource.resourceType) {
    case 'Observation':
    case 'Condition':
    case 'AllergyIntolerance':
      return [resource.code];
    case 'MedicationStatement':
      return [resource.medicationCodeableConcept];
    case 'Immunization':
      return [resource.vaccineCode];
    case 'FamilyMemberHistory':
      return (resource.condition ?? []).map((c) => c.code);
    default:
      return [];
  }
}

/** `code=[system|]code,…` on every coded type, `category=` on Observation. */
function filterByCode(resources: Resource[], query: QueryParams): Resource[] {
  const codes = single(query, 'code')?.split(',');
  const categories = single(query, 'category')?.split(',');
  return resources.filter(
    (r) =>
      (!codes || codes.some((t) => tokenMatches(codedConcepts(r), t))) &&
      (!categories ||
        (r.resourceType === 'Observation' && categories.some((t) => tokenMatches(r.category ?? [], t)))),
  );
}

const supportedParams = new Set([
  'patient',
  'subject',
  'patient.identifier',
  'subject.identifier',
  'code',
  'category',
  '_count',
  '_offset',
  '_format',
]);

/** `GET /fhir/<Type>?patient=…`: the patient's entries of the sections this type is made of, newest first. */
export async function searchProfileResources(
  call: FhirCall,
  type: ProfileResourceType,
  query: QueryParams,
): Promise<Bundle> {
  for (const name of Object.keys(query)) {
    const unsupported =
      !supportedParams.has(name) ||
      (name === 'code' && !codeSearchTypes.has(type)) ||
      (name === 'category' && type !== 'Observation');
    if (unsupported) {
      throw invalid(
        'search-parameter-unknown',
        `Le paramètre « ${name.slice(0, 40)} » n’est pas pris en charge.`,
        name,
      );
    }
  }
  const patientId = await patientOf(call, query);
  const page = readPage(query._count, query._offset);
  const sections = sectionsOfType(type);
  // Codes are inside the sealed entries: a code or category search opens every entry of the sections to
  // filter them; any other search reads, and opens, only the page.
  const filtered = single(query, 'code') !== undefined || single(query, 'category') !== undefined;
  const view = await readProfile(call.ctx, call.principal, patientId, {
    sections,
    ...(filtered ? {} : { page }),
  });
  const firstRefusal = view.refused[0];
  if (view.total === 0 && firstRefusal && view.refused.length === sections.length) {
    throw denialError(firstRefusal.reason);
  }
  const matches = filterByCode(view.entries.map(profileEntryToFhir), query);
  const total = filtered ? matches.length : view.total;
  const resources = filtered ? matches.slice(page.offset, page.offset + page.count) : matches;
  const extra = ['code', 'category']
    .map((n) => (single(query, n) ? `&${n}=${encodeURIComponent(single(query, n)!)}` : ''))
    .join('');
  const url = (at: number) =>
    `${call.fhirBase}/${type}?patient=Patient/${patientId}${extra}&_count=${page.count}&_offset=${at}`;
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total,
    link: offsetPageLinks(url, page, total),
    entry: resources.map((resource) => ({
      fullUrl: `${call.fhirBase}/${type}/${resource.id}`,
      resource,
      search: { mode: 'match' as const },
    })),
  };
}

/** `GET /fhir/<Type>/<id>`. */
export async function readProfileResource(
  call: FhirCall,
  type: ProfileResourceType,
  id: string,
): Promise<Resource> {
  const entry = await readProfileEntry(call.ctx, call.principal, id, sectionsOfType(type));
  if (!entry) throw notFound('resource-not-found', 'Cette ressource est introuvable.');
  return profileEntryToFhir(entry);
}
