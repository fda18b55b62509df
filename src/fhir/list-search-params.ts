import type { BundleLink, CapabilityStatementRestResourceSearchParam } from '@medplum/fhirtypes';
import type { SubmissionSetQuery } from '../record/index.ts';
import { invalid } from '../shared/index.ts';
import { storedSystem } from './coding-system.ts';
import { MHD_LIST_TYPES_SYSTEM } from './document-systems.ts';
import { offsetPageLinks, readPage } from './paging.ts';
import { paramValues, single, type QueryParams } from './search-params.ts';

/**
 * An ITI-66 query (IHE MHD "Find Document Lists") as understood. Carnet keeps submission sets, not folders: a
 * query for `code=folder` only is answered with an empty Bundle (`lists: false`).
 */
export interface ListSearch {
  readonly patient: { readonly identifier: string } | { readonly id: string };
  readonly query: Omit<SubmissionSetQuery, 'patientId'>;
  /** Whether the asked codes include submission sets at all. */
  readonly lists: boolean;
  /** The understood parameters (paging aside), for the `self`, `next` and `previous` links. */
  readonly params: readonly (readonly [string, string])[];
}

/**
 * The ITI-66 parameters Carnet reads, with their FHIR types: the CapabilityStatement declares exactly these (and
 * paging); any other one is left out of the links (FHIR lenient handling), or a 400 under `handling=strict`.
 */
export const listSearchParameters: readonly CapabilityStatementRestResourceSearchParam[] = [
  { name: 'patient', type: 'reference' },
  { name: 'patient.identifier', type: 'token', documentation: 'The patient by INS.' },
  { name: 'code', type: 'token', documentation: 'submissionset (folders are not kept).' },
  { name: 'date', type: 'date' },
  { name: 'designationType', type: 'token' },
  { name: 'identifier', type: 'token' },
  { name: 'sourceId', type: 'token' },
  { name: 'source.given', type: 'string' },
  { name: 'source.family', type: 'string' },
  { name: 'status', type: 'token' },
];
const LIST_SEARCH_PARAMETERS: readonly string[] = listSearchParameters.map((p) => p.name!);

/** `a,b` = a OR b; each as `{system, code}` (`|code` and `code` have no system). */
const tokenList = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .filter((t) => t !== '')
    .map((t) => {
      const bar = t.indexOf('|');
      return bar < 0
        ? { system: undefined, code: t }
        : { system: bar === 0 ? undefined : t.slice(0, bar), code: t.slice(bar + 1) };
    });

function patientOf(query: QueryParams): { patient: ListSearch['patient']; param: [string, string] } {
  const given = (['patient.identifier', 'patient'] as const).flatMap((name) => {
    const value = single(query, name);
    return value ? [[name, value] as [string, string]] : [];
  });
  if (given.length !== 1) {
    throw invalid(
      'search-patient-required',
      'La recherche de lots porte sur un patient : paramètre « patient.identifier » (INS) ou « patient » attendu.',
      'patient',
    );
  }
  const [name, value] = given[0]!;
  if (name === 'patient.identifier') return { patient: { identifier: value }, param: [name, value] };
  const id = /^(?:Patient\/)?([^/]+)$/.exec(value)?.[1];
  if (!id) throw invalid('patient-reference-invalid', 'La référence au patient est invalide.', name);
  return { patient: { id }, param: [name, value] };
}

/** The instants a FHIR date/dateTime covers at its precision. */
function covered(value: string): [number, number] | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  if (m) {
    const y = Number(m[1]);
    const mo = m[2] ? Number(m[2]) - 1 : undefined;
    const d = m[3] ? Number(m[3]) : undefined;
    const lo = Date.UTC(y, mo ?? 0, d ?? 1);
    if (new Date(lo).toISOString().slice(0, value.length) !== value) return undefined;
    const hi =
      d !== undefined
        ? Date.UTC(y, mo!, d + 1)
        : mo !== undefined
          ? Date.UTC(y, mo + 1, 1)
          : Date.UTC(y + 1, 0, 1);
    return [lo, hi - 1];
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : [t, t];
}

function dateBounds(values: readonly string[]): { from?: string; to?: string } {
  let from = -Infinity;
  let to = Infinity;
  for (const raw of values) {
    const prefix = /^(eq|ge|le|gt|lt)/.exec(raw)?.[1] ?? 'eq';
    const range = covered(raw.replace(/^(eq|ge|le|gt|lt)/, ''));
    if (!range)
      throw invalid('search-date-invalid', `La date « ${raw.slice(0, 40)} » n’est pas valide.`, 'date');
    const [lo, hi] = range;
    if (prefix === 'ge' || prefix === 'eq') from = Math.max(from, lo);
    if (prefix === 'gt') from = Math.max(from, hi + 1);
    if (prefix === 'le' || prefix === 'eq') to = Math.min(to, hi);
    if (prefix === 'lt') to = Math.min(to, lo - 1);
  }
  return {
    ...(Number.isFinite(from) ? { from: new Date(from).toISOString() } : {}),
    ...(Number.isFinite(to) ? { to: new Date(to).toISOString() } : {}),
  };
}

/** `code`: `submissionset` (MHD list types) or `folder`; anything else is refused. */
function asksForSets(value: string | undefined): boolean {
  if (value === undefined) return true;
  const codes = tokenList(value);
  for (const c of codes) {
    const known = c.code === 'submissionset' || c.code === 'folder';
    if (!known || (c.system !== undefined && c.system !== MHD_LIST_TYPES_SYSTEM)) {
      throw invalid('search-code-invalid', `Type de liste inconnu : « ${c.code.slice(0, 40)} ».`, 'code');
    }
  }
  return codes.some((c) => c.code === 'submissionset');
}

function statusesOf(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return tokenList(value).map((s) => {
    if (s.code !== 'current' && s.code !== 'retired' && s.code !== 'entered-in-error') {
      throw invalid(
        'search-status-invalid',
        `Statut de liste inconnu : « ${s.code.slice(0, 40)} ».`,
        'status',
      );
    }
    return s.code;
  });
}

/** Parameters of every search: paging and format. */
const RESULT_PARAMETERS = ['_count', '_offset', '_format'];

/**
 * Reads an ITI-66 query. An unknown parameter is refused under `Prefer: handling=strict` (400) and left out of the
 * links otherwise, as FHIR's search rules say.
 */
export function parseListSearch(query: QueryParams, options: { strict?: boolean } = {}): ListSearch {
  // No modifier is supported; ignoring one (`code:not`, `status:missing`) would widen the answer: always a 400.
  const modified = Object.keys(query).find(
    (name) => LIST_SEARCH_PARAMETERS.includes(name.split(':')[0]!) && name.includes(':'),
  );
  if (modified !== undefined) {
    throw invalid(
      'search-modifier-unsupported',
      `Le modificateur du paramètre « ${modified.slice(0, 40)} » n’est pas pris en charge.`,
      modified.slice(0, 40),
    );
  }
  if (options.strict) {
    const known: readonly string[] = [...LIST_SEARCH_PARAMETERS, ...RESULT_PARAMETERS];
    const unknown = Object.keys(query).find((name) => !known.includes(name));
    if (unknown !== undefined) {
      throw invalid(
        'search-parameter-unknown',
        `Paramètre de recherche inconnu : « ${unknown.slice(0, 40)} ».`,
        unknown.slice(0, 40),
      );
    }
  }
  const { patient, param } = patientOf(query);
  const params: [string, string][] = [param];
  for (const name of LIST_SEARCH_PARAMETERS.slice(2))
    paramValues(query, name).forEach((v) => params.push([name, v]));
  const lists = asksForSets(single(query, 'code'));
  const identifiers = tokenList(single(query, 'identifier')).map((t) => t.code);
  const sourceIds = tokenList(single(query, 'sourceId')).map((t) => t.code);
  const designationTypes = tokenList(single(query, 'designationType')).map((t) => ({
    system: t.system === undefined ? undefined : storedSystem(t.system),
    code: t.code,
  }));
  const statuses = statusesOf(single(query, 'status'));
  const authorGiven = single(query, 'source.given');
  const authorFamily = single(query, 'source.family');
  return {
    patient,
    lists,
    params,
    query: {
      ...dateBounds(paramValues(query, 'date')),
      ...(identifiers.length ? { identifiers } : {}),
      ...(sourceIds.length ? { sourceIds } : {}),
      ...(designationTypes.length ? { designationTypes } : {}),
      ...(statuses ? { statuses } : {}),
      ...(authorGiven ? { authorGiven } : {}),
      ...(authorFamily ? { authorFamily } : {}),
      ...readPage(single(query, '_count'), single(query, '_offset')),
    },
  };
}

export function listPageLinks(fhirBase: string, search: ListSearch, total: number): BundleLink[] {
  const url = (at: number) => {
    const params = new URLSearchParams([
      ...search.params.map(([k, v]) => [k, v] as [string, string]),
      ['_count', String(search.query.count)],
      ['_offset', String(at)],
    ]);
    return `${fhirBase}/List?${params.toString()}`;
  };
  return offsetPageLinks(url, search.query, total);
}
