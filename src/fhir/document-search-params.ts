import type { BundleLink } from '@medplum/fhirtypes';
import type {
  ConfidentialityFlag,
  DocumentQuery,
  DocumentStatus,
  SecurityLabelCode,
} from '../record/index.ts';
import { confidentialityFlags } from '../record/index.ts';
import { invalid } from '../shared/errors.ts';
import type { QueryParams } from './search-params.ts';
import { offsetPageLinks, readPage } from './paging.ts';

export type PatientParam = { readonly identifier: string } | { readonly id: string };

/** An ITI-67 query as understood: the patient, the service's filters, and the parameters echoed in links. */
export interface DocumentSearch {
  readonly patient: PatientParam;
  readonly query: Omit<DocumentQuery, 'patientId'>;
  /** The understood parameters (paging aside), for the `self`, `next` and `previous` links. */
  readonly params: readonly (readonly [string, string])[];
}

const all = (query: QueryParams, name: string): string[] => {
  const value = query[name];
  return value === undefined ? [] : typeof value === 'string' ? [value] : [...value];
};
const one = (query: QueryParams, name: string): string | undefined => {
  const values = all(query, name);
  if (values.length > 1)
    throw invalid(
      'search-parameter-repeated',
      `Le paramètre « ${name} » ne peut être donné qu'une fois.`,
      name,
    );
  return values[0];
};
/** Token lists (`a,b` = a OR b); the value after `|` when a system is given. */
const tokens = (value: string | undefined) =>
  value === undefined
    ? []
    : value
        .split(',')
        .map((t) => t.slice(t.indexOf('|') + 1))
        .filter((t) => t !== '');

function patientParam(query: QueryParams): { patient: PatientParam; param: [string, string] } {
  const given = (['patient.identifier', 'subject.identifier', 'patient', 'subject'] as const).flatMap(
    (name) => {
      const value = one(query, name);
      return value ? [[name, value] as [string, string]] : [];
    },
  );
  if (given.length !== 1) {
    throw invalid(
      'search-patient-required',
      'La recherche de documents porte sur un patient : paramètre « patient.identifier » (INS) ou « patient » attendu.',
      'patient',
    );
  }
  const [name, value] = given[0]!;
  if (name.endsWith('.identifier')) return { patient: { identifier: value }, param: [name, value] };
  const id = /^(?:Patient\/)?([^/]+)$/.exec(value)?.[1];
  if (!id) throw invalid('patient-reference-invalid', 'La référence au patient est invalide.', name);
  return { patient: { id }, param: [name, value] };
}

/** The instants a FHIR date or dateTime covers, at its precision (year, month, day or instant). */
function dateRange(value: string): [number, number] | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  if (m) {
    const [y, mo, d] = [Number(m[1]), m[2] ? Number(m[2]) - 1 : undefined, m[3] ? Number(m[3]) : undefined];
    const lo = Date.UTC(y, mo ?? 0, d ?? 1);
    // Date.UTC rolls 2024-13-45 over into 2025: a real date reads back the same.
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
    const range = dateRange(raw.replace(/^(eq|ge|le|gt|lt)/, ''));
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

const statusByFhir: Record<string, DocumentStatus> = {
  current: 'current',
  superseded: 'superseded',
  'entered-in-error': 'deleted',
};

function statuses(value: string | undefined): DocumentStatus[] | undefined {
  if (value === undefined) return undefined;
  return tokens(value).map((s) => {
    const status = statusByFhir[s];
    if (!status)
      throw invalid('search-status-invalid', `Statut de document inconnu : « ${s.slice(0, 40)} ».`, 'status');
    return status;
  });
}

function labels(value: string | undefined): SecurityLabelCode[] | undefined {
  if (value === undefined) return undefined;
  return tokens(value).map((code) => {
    if (code === 'N' || (confidentialityFlags as readonly string[]).includes(code))
      return code as 'N' | ConfidentialityFlag;
    throw invalid(
      'search-security-label-invalid',
      `Niveau de confidentialité inconnu : « ${code.slice(0, 40)} ».`,
      'security-label',
    );
  });
}

/** Reads an ITI-67 query (unknown parameters are ignored, as FHIR's lenient handling allows; links show what was used). */
export function parseDocumentSearch(query: QueryParams): DocumentSearch {
  const { patient, param } = patientParam(query);
  const params: [string, string][] = [param];
  const keep = (name: string) => all(query, name).forEach((v) => params.push([name, v]));
  ['type', 'category', 'date', 'status', 'author.identifier', 'security-label'].forEach(keep);
  const authorToken = one(query, 'author.identifier');
  const typeCodes = tokens(one(query, 'type'));
  const classCodes = tokens(one(query, 'category'));
  const status = statuses(one(query, 'status'));
  const securityLabels = labels(one(query, 'security-label'));
  return {
    patient,
    params,
    query: {
      ...(typeCodes.length ? { typeCodes } : {}),
      ...(classCodes.length ? { classCodes } : {}),
      ...(status ? { statuses: status } : {}),
      ...dateBounds(all(query, 'date')),
      ...(authorToken ? { authorNationalId: tokens(authorToken)[0] ?? '' } : {}),
      ...(securityLabels ? { securityLabels } : {}),
      ...readPage(one(query, '_count'), one(query, '_offset')),
    },
  };
}

/** `self`, `next` and `previous` links of an ITI-67 page, repeating the parameters the search used. */
export function pageLinks(fhirBase: string, search: DocumentSearch, total: number): BundleLink[] {
  const url = (at: number) => {
    const params = new URLSearchParams([
      ...search.params.map(([k, v]) => [k, v] as [string, string]),
      ['_count', String(search.query.count)],
      ['_offset', String(at)],
    ]);
    return `${fhirBase}/DocumentReference?${params.toString()}`;
  };
  return offsetPageLinks(url, search.query, total);
}
