import { insOids, insProblemMessage, insSystem, parseIns, type Ins, type InsOid } from '../identity/index.ts';
import { invalid } from '../shared/index.ts';

export type QueryParams = Readonly<Record<string, string | readonly string[] | undefined>>;

/** `Patient?identifier=<system>|<INS>`: the INS searched, and its system when the client gave one. */
export interface PatientIdentifierSearch {
  /** `undefined` when the token had no `|` (FHIR: a value in any system). */
  readonly oid: InsOid | undefined;
  readonly ins: Ins;
}

const oidOfSystem = (system: string): InsOid | undefined => insOids.find((oid) => insSystem(oid) === system);

/** Every value given for a parameter, in order. */
export function paramValues(query: QueryParams, name: string): string[] {
  const value = query[name];
  return value === undefined ? [] : typeof value === 'string' ? [value] : [...value];
}

/** The one value of a parameter that may be given once (400 when repeated). */
export function single(query: QueryParams, name: string): string | undefined {
  const value = query[name];
  if (value === undefined || typeof value === 'string') return value;
  if (value.length > 1) {
    throw invalid(
      'search-parameter-repeated',
      `Le paramètre « ${name} » ne peut être donné qu’une fois.`,
      name,
    );
  }
  return value[0];
}

/**
 * Parses the one search Carnet answers on Patient (docs/fhir.md, "Does this patient have a DMP?"). The system must
 * be an INS system and the value a valid matricule INS: a wrong key is answered with the same French message as
 * everywhere else.
 */
export function parsePatientSearch(query: QueryParams): PatientIdentifierSearch {
  const token = single(query, 'identifier');
  if (!token) {
    throw invalid(
      'search-identifier-required',
      'La recherche de patient se fait par matricule INS : paramètre « identifier » attendu.',
      'identifier',
    );
  }
  const bar = token.indexOf('|');
  const system = bar === -1 ? undefined : token.slice(0, bar);
  const value = bar === -1 ? token : token.slice(bar + 1);
  const oid = system === undefined ? undefined : oidOfSystem(system);
  if (system !== undefined && !oid) {
    throw invalid(
      'identifier-system-unsupported',
      'Le système d’identifiant doit être celui du matricule INS (urn:oid:1.2.250.1.213.1.4.8).',
      'identifier',
    );
  }
  const parsed = parseIns(value);
  if (!parsed.ok) throw invalid('ins-invalid', insProblemMessage[parsed.problem], 'identifier');
  return { oid, ins: parsed.value.ins };
}

/** The search as the server understood it, for the Bundle's `self` link. */
export function patientSearchUrl(fhirBase: string, search: PatientIdentifierSearch): string {
  const token = search.oid ? `${insSystem(search.oid)}|${search.ins}` : search.ins;
  return `${fhirBase}/Patient?identifier=${encodeURIComponent(token)}`;
}
