import type { BundleLink, CapabilityStatementRestResourceSearchParam } from '@medplum/fhirtypes';
import { PROFESSIONAL_ID_OID } from '../identity/index.ts';
import {
  type AllOf,
  type CodeSearch,
  type DateSearch,
  type DocumentFilters,
  type DocumentQuery,
  type DocumentStatus,
  type LevelOrFlag,
  type NameSearch,
  confidentialityFlags,
  datePrefixes,
  type DatePrefix,
} from '../record/index.ts';
import { invalid } from '../shared/index.ts';
import {
  CLASS_CODE_SYSTEM,
  TRE_A07_SYSTEM,
  URI_SYSTEM,
  V3_CONFIDENTIALITY_SYSTEM,
} from './document-systems.ts';
import { offsetPageLinks, readPage } from './paging.ts';
import type { QueryParams } from './search-params.ts';
import { storedSystem } from './coding-system.ts';

export type PatientParam = { readonly identifier: string } | { readonly id: string };

/** FHIR's `Prefer: handling=strict|lenient` (search.html#errors); lenient is the default. */
export type SearchHandling = 'strict' | 'lenient';

/** A search as sent: its parameters in order, from the URL and, for `POST _search`, the form body. */
export type SearchPairs = readonly (readonly [string, string])[];

/** An ITI-67 query as understood: the patient, the service's filters, and the parameters echoed in links. */
export interface DocumentSearch {
  readonly patient: PatientParam;
  readonly query: Omit<DocumentQuery, 'patientId'>;
  /** The parameters the search used (paging aside), for the `self`, `next` and `previous` links. */
  readonly params: SearchPairs;
}

type ParamType = 'token' | 'reference' | 'date' | 'string' | 'number' | 'special';
interface ParamDefinition {
  readonly type: ParamType;
  readonly modifiers?: readonly string[];
  readonly documentation: string;
}

/**
 * Every parameter ITI-67 answers on DocumentReference (IHE MHD as profiled by the ANS PDSm), with the modifiers it
 * understands. The CapabilityStatement declares exactly these; anything else is unknown (400 under
 * `Prefer: handling=strict`, otherwise ignored and left out of the `self` link).
 */
export const documentSearchParameters: Readonly<Record<string, ParamDefinition>> = {
  patient: { type: 'reference', documentation: 'The patient: Patient/<id>. One patient per search.' },
  'patient.identifier': { type: 'token', documentation: 'The patient by INS: <system>|<INS>.' },
  subject: { type: 'reference', documentation: 'Same as patient.' },
  'subject.identifier': { type: 'token', documentation: 'Same as patient.identifier.' },
  identifier: {
    type: 'token',
    documentation: 'masterIdentifier (the producer’s uniqueId) or identifier (urn:uuid:<entryUUID>).',
  },
  status: {
    type: 'token',
    documentation: 'current, superseded, entered-in-error; current when absent. An unknown code is a 400.',
  },
  type: { type: 'token', documentation: 'typeCode (JDV_J07), any spelling of the system.' },
  category: { type: 'token', documentation: 'classCode (JDV_J06).' },
  format: { type: 'token', documentation: 'formatCode (JDV_J10).' },
  facility: { type: 'token', documentation: 'healthcareFacilityTypeCode (JDV_J02).' },
  setting: { type: 'token', documentation: 'practiceSettingCode (JDV_J04).' },
  event: { type: 'token', documentation: 'eventCodeList.' },
  'security-label': {
    type: 'token',
    documentation:
      'Confidentiality: N, R, V (v3-Confidentiality) and the TRE_A07 flags (MASQUE_PS, INVISIBLE_PATIENT, ' +
      'INVISIBLE_REPRESENTANTS_LEGAUX). An unknown code is a 400.',
  },
  related: {
    type: 'reference',
    modifiers: ['identifier'],
    documentation:
      'context.related identifiers (referenceIdList): related=<system>|<value> or related:identifier=…',
  },
  creation: {
    type: 'date',
    documentation: 'attachment.creation; prefixes eq ne gt lt ge le sa eb ap, at the precision given (UTC).',
  },
  date: { type: 'date', documentation: 'When the DocumentReference was stored (DocumentReference.date).' },
  period: {
    type: 'date',
    documentation: 'context.period (service start and stop): FHIR date search on a Period.',
  },
  'author.given': {
    type: 'string',
    modifiers: ['exact', 'contains'],
    documentation: 'The author’s given name: starts with, case and accents ignored.',
  },
  'author.family': {
    type: 'string',
    modifiers: ['exact', 'contains'],
    documentation: 'The author’s family name: starts with, case and accents ignored.',
  },
  'author.identifier': { type: 'token', documentation: 'The author’s RPPS number.' },
  _count: { type: 'number', documentation: 'Page size (default 20, at most 100).' },
  _offset: { type: 'number', documentation: 'Offset of the page.' },
  _format: { type: 'special', documentation: 'json.' },
};

/** The CapabilityStatement's `searchParam` of DocumentReference: what this parser implements, nothing else. */
export function documentSearchParams(): CapabilityStatementRestResourceSearchParam[] {
  return Object.entries(documentSearchParameters)
    .filter(([name]) => name !== '_format')
    .map(([name, def]) => ({ name, type: def.type, documentation: def.documentation }));
}

/** `Prefer: handling=strict` (the header may carry other preferences). */
export function searchHandling(prefer: string | string[] | undefined): SearchHandling {
  const text = Array.isArray(prefer) ? prefer.join(',') : (prefer ?? '');
  return /(?:^|[,;\s])handling\s*=\s*"?strict"?(?:$|[,;\s])/i.test(text) ? 'strict' : 'lenient';
}

/** A query object (Fastify's, or a test's) as ordered pairs. */
export function searchPairs(query: QueryParams): [string, string][] {
  return Object.entries(query).flatMap(([name, value]) =>
    value === undefined
      ? []
      : (typeof value === 'string' ? [value] : value).map((v) => [name, v] as [string, string]),
  );
}

const shown = (text: string) => text.slice(0, 60);

/** Splits on the separator where it is not escaped by `\` (search.html#escaping), and unescapes the parts. */
function splitEscaped(value: string, separator: ',' | '|', limit = Infinity): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\' && i + 1 < value.length) {
      current += c + value[i + 1]!;
      i++;
    } else if (c === separator && parts.length < limit - 1) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}
const unescape = (text: string) => text.replace(/\\([\\,|$])/g, '$1');

/** `system|code` (system given, maybe empty = no system), or `code` (any system). */
function token(text: string): CodeSearch {
  const parts = splitEscaped(text, '|', 2);
  if (parts.length === 1) return { system: undefined, code: unescape(parts[0]!) };
  const system = unescape(parts[0]!);
  return { system: system === '' ? null : storedSystem(system), code: unescape(parts[1]!) };
}

/** The values of one occurrence (`a,b` = a OR b). */
const orList = (value: string) => splitEscaped(value, ',');

/** Keeps the alternatives whose system is the one these codes live in (any system when none is given). */
const inSystem = (system: string, c: CodeSearch) =>
  c.system === undefined || (c.system !== null && c.system === storedSystem(system));

/** The instants a FHIR date or dateTime covers at its precision (year, month, day, minute, second, fraction). */
export function dateRange(value: string): { lo: number; hi: number } | undefined {
  const m =
    /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/.exec(
      value,
    );
  if (!m) return undefined;
  const [year, month, day, hour, minute, second, fraction, zone] = m.slice(1);
  const at = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0) => {
    const date = new Date(0);
    date.setUTCFullYear(y, mo, d);
    date.setUTCHours(h, mi, s, ms);
    return date.getTime();
  };
  const y = Number(year);
  const mo = month === undefined ? 0 : Number(month) - 1;
  const d = day === undefined ? 1 : Number(day);
  if (mo > 11 || d < 1 || d > 31) return undefined;
  if (hour === undefined) {
    const lo = at(y, mo, d);
    if (new Date(lo).getUTCDate() !== d) return undefined; // 2024-02-30
    const next =
      day !== undefined ? at(y, mo, d + 1) : month !== undefined ? at(y, mo + 1, 1) : at(y + 1, 0, 1);
    return { lo, hi: next - 1 };
  }
  const [h, mi, s] = [Number(hour), Number(minute), second === undefined ? 0 : Number(second)];
  if (h > 23 || mi > 59 || s > 59) return undefined;
  const ms = fraction === undefined ? 0 : Math.floor(Number(`0${fraction}`) * 1000);
  const offset =
    zone === 'Z'
      ? 0
      : (zone!.startsWith('-') ? -1 : 1) * (Number(zone!.slice(1, 3)) * 60 + Number(zone!.slice(4)));
  const local = at(y, mo, d, h, mi, s, ms);
  if (new Date(local).getUTCDate() !== d) return undefined;
  const lo = local - offset * 60_000;
  const width = second === undefined ? 60_000 : fraction === undefined ? 1000 : 1;
  return { lo, hi: lo + width - 1 };
}

/** The ISO form stored values have (`toISOString`), which compares as text on both databases. */
const iso = (t: number) => new Date(t).toISOString();
const [FIRST_INSTANT, LAST_INSTANT] = [
  Date.parse('0000-01-01T00:00:00Z'),
  Date.parse('9999-12-31T23:59:59.999Z'),
];
const inStoredRange = (t: number) => t >= FIRST_INSTANT && t <= LAST_INSTANT;

function dateSearch(text: string, name: string): DateSearch {
  const prefix = (/^[a-z]{2}/.exec(text)?.[0] ?? 'eq') as DatePrefix;
  const known = (datePrefixes as readonly string[]).includes(prefix);
  const range = dateRange(known && /^[a-z]/.test(text) ? text.slice(2) : text);
  if (!range || !inStoredRange(range.lo) || !inStoredRange(range.hi)) {
    throw invalid('search-date-invalid', `La date « ${shown(text)} » n’est pas valide.`, name);
  }
  return { prefix, lo: iso(range.lo), hi: iso(range.hi) };
}

const statusByFhir: Record<string, DocumentStatus> = {
  current: 'current',
  superseded: 'superseded',
  'entered-in-error': 'deleted',
};
const STATUS_SYSTEM = 'http://hl7.org/fhir/document-reference-status';

function statusList(value: string): DocumentStatus[] {
  return orList(value).flatMap((text) => {
    const t = token(text);
    const status = statusByFhir[t.code];
    if (!status)
      throw invalid('search-status-invalid', `Statut de document inconnu : « ${shown(t.code)} ».`, 'status');
    return inSystem(STATUS_SYSTEM, t) ? [status] : [];
  });
}

const levels = ['N', 'R', 'V'] as const;
function labelList(value: string): LevelOrFlag[] {
  return orList(value).flatMap((text) => {
    const t = token(text);
    if ((levels as readonly string[]).includes(t.code))
      return inSystem(V3_CONFIDENTIALITY_SYSTEM, t) ? [t.code as LevelOrFlag] : [];
    if ((confidentialityFlags as readonly string[]).includes(t.code))
      return inSystem(TRE_A07_SYSTEM, t) ? [t.code as LevelOrFlag] : [];
    throw invalid(
      'search-security-label-invalid',
      `Niveau de confidentialité inconnu : « ${shown(t.code)} ».`,
      'security-label',
    );
  });
}

const UUID_URN = /^urn:uuid:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
function identifierList(value: string) {
  return orList(value).flatMap((text) => {
    const t = token(text);
    if (!inSystem(URI_SYSTEM, t)) return [];
    const uuid = UUID_URN.exec(t.code)?.[1];
    return [{ masterIdentifier: t.code }, ...(uuid ? [{ documentId: uuid }] : [])];
  });
}

function nameList(value: string, modifier: string | undefined): NameSearch[] {
  const match = modifier === 'exact' ? 'exact' : modifier === 'contains' ? 'contains' : 'starts';
  return orList(value).map((v) => ({ match, value: unescape(v) }));
}

interface Occurrence {
  readonly name: string;
  readonly modifier: string | undefined;
  readonly value: string;
}

function patientParam(occurrences: readonly Occurrence[]): PatientParam {
  const given = occurrences.filter((o) =>
    ['patient.identifier', 'subject.identifier', 'patient', 'subject'].includes(o.name),
  );
  if (given.length !== 1) {
    throw invalid(
      given.length === 0 ? 'search-patient-required' : 'search-parameter-repeated',
      'La recherche de documents porte sur un patient : un seul paramètre « patient.identifier » (INS) ou « patient » attendu.',
      given[1]?.name ?? 'patient',
    );
  }
  const { name, value } = given[0]!;
  if (splitEscaped(value, ',').length > 1)
    throw invalid('search-patient-single', 'La recherche de documents porte sur un seul patient.', name);
  if (name.endsWith('.identifier')) return { identifier: value };
  const id = /^(?:Patient\/)?([^/]+)$/.exec(value)?.[1];
  if (!id) throw invalid('patient-reference-invalid', 'La référence au patient est invalide.', name);
  return { id };
}

function single(occurrences: readonly Occurrence[], name: string): string | undefined {
  const found = occurrences.filter((o) => o.name === name);
  if (found.length > 1)
    throw invalid(
      'search-parameter-repeated',
      `Le paramètre « ${name} » ne peut être donné qu’une fois.`,
      name,
    );
  return found[0]?.value;
}

/**
 * Reads an ITI-67 query. Every declared parameter is applied (never ignored); an unknown parameter or an
 * unsupported modifier is a 400 under strict handling, and otherwise ignored and left out of the links, as FHIR
 * says. A parameter with an empty value is ignored. Values separated by commas are alternatives (OR); a repeated
 * parameter adds a condition (AND).
 */
export function parseDocumentSearch(
  input: QueryParams | SearchPairs,
  handling: SearchHandling = 'lenient',
): DocumentSearch {
  const pairs = Array.isArray(input) ? (input as SearchPairs) : searchPairs(input as QueryParams);
  const occurrences: Occurrence[] = [];
  const params: [string, string][] = [];
  for (const [raw, value] of pairs) {
    const colon = raw.indexOf(':');
    const name = colon === -1 ? raw : raw.slice(0, colon);
    const modifier = colon === -1 ? undefined : raw.slice(colon + 1);
    const definition = Object.hasOwn(documentSearchParameters, name)
      ? documentSearchParameters[name]
      : undefined;
    if (!definition) {
      if (handling === 'strict')
        throw invalid(
          'search-parameter-unknown',
          `Le paramètre de recherche « ${shown(raw)} » n’est pas pris en charge.`,
          raw,
        );
      continue;
    }
    // Refused whatever the handling: ignoring `type:not=X` or `event:missing=true` would silently widen the
    // answer to what the client meant to exclude (FHIR: an unsupported modifier is rejected).
    if (modifier !== undefined && !(definition.modifiers ?? []).includes(modifier)) {
      throw invalid(
        'search-modifier-unsupported',
        `Le modificateur « :${shown(modifier)} » du paramètre « ${name} » n’est pas pris en charge.`,
        raw,
      );
    }
    if (value === '') continue;
    occurrences.push({ name, modifier, value });
    // The page is the links' own; the format is how this answer is written, not what was searched.
    if (name !== '_count' && name !== '_offset' && name !== '_format') params.push([raw, value]);
  }

  const patient = patientParam(occurrences);
  const of = (name: string) => occurrences.filter((o) => o.name === name);
  const groups = <T>(name: string, read: (o: Occurrence) => T[]): AllOf<T> | undefined => {
    const found = of(name);
    return found.length ? found.map(read) : undefined;
  };
  const codes = (name: string, system?: string) =>
    groups(name, (o) =>
      orList(o.value)
        .map(token)
        .filter((t) => system === undefined || inSystem(system, t)),
    );
  const dates = (name: string) => groups(name, (o) => orList(o.value).map((v) => dateSearch(v, name)));

  // A document has one status: the AND of the OR lists is their intersection.
  const statusGroups = groups('status', (o) => statusList(o.value));
  const statuses = statusGroups?.reduce((kept, group) => kept.filter((s) => group.includes(s)));

  const filters: DocumentFilters = {
    identifiers: groups('identifier', (o) => identifierList(o.value)),
    types: codes('type'),
    classCodes: groups('category', (o) =>
      orList(o.value)
        .map(token)
        .filter((t) => inSystem(CLASS_CODE_SYSTEM, t))
        .map((t) => t.code),
    ),
    formats: codes('format'),
    facilities: codes('facility'),
    settings: codes('setting'),
    events: codes('event'),
    related: codes('related'),
    labels: groups('security-label', (o) => labelList(o.value)),
    created: dates('creation'),
    deposited: dates('date'),
    period: dates('period'),
    authorGiven: groups('author.given', (o) => nameList(o.value, o.modifier)),
    authorFamily: groups('author.family', (o) => nameList(o.value, o.modifier)),
    authorNationalIds: groups('author.identifier', (o) =>
      orList(o.value)
        .map(token)
        .filter((t) => inSystem(`urn:oid:${PROFESSIONAL_ID_OID}`, t))
        .map((t) => t.code),
    ),
  };
  single(occurrences, '_format');
  return {
    patient,
    params,
    query: {
      ...(statuses ? { statuses: [...statuses] } : {}),
      filters: Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)),
      ...readPage(single(occurrences, '_count'), single(occurrences, '_offset')),
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
