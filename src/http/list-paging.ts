import { invalid } from '../shared/index.ts';

/**
 * `count` and `offset` of the private API's lists. Nine digits at most, like FHIR's `_offset`: a larger number
 * cannot name a real page, and past 2^63 PostgreSQL refuses it as a server error.
 */
function listInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,9}$/.test(value))
    throw invalid('paging-invalid', `Le paramètre « ${name} » doit être un entier positif.`, name);
  return Number(value);
}

/** A page of a list: `count` between 1 and `max` (`fallback` when absent), `offset` from 0. */
export function listPage(query: { count?: string; offset?: string }, fallback: number, max: number) {
  const count = Math.min(Math.max(listInteger(query.count, 'count') ?? fallback, 1), max);
  return { count, offset: listInteger(query.offset, 'offset') ?? 0 };
}

/** `count` and `offset` as given, for services that apply their own defaults. */
export function listPaging(query: { count?: string; offset?: string }): { count?: number; offset?: number } {
  const count = listInteger(query.count, 'count');
  const offset = listInteger(query.offset, 'offset');
  return { ...(count !== undefined ? { count } : {}), ...(offset !== undefined ? { offset } : {}) };
}
