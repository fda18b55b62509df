import type { BundleLink } from '@medplum/fhirtypes';
import { invalid } from '../shared/index.ts';

/** Offset paging of every FHIR search (`_count`, `_offset`): stable because results are ordered. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface Page {
  readonly count: number;
  readonly offset: number;
}

function pagingInteger(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value)) {
    throw invalid('search-paging-invalid', `Le paramètre « ${name} » doit être un entier positif.`, name);
  }
  return Math.min(Number(value), max);
}

/** Reads `_count` and `_offset` as given in the query (a repeated one is refused like a malformed one). */
export function readPage(count: unknown, offset: unknown): Page {
  return {
    count: pagingInteger(count, '_count', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
    offset: pagingInteger(offset, '_offset', 0, Number.MAX_SAFE_INTEGER),
  };
}

/** `self`, `next` and `previous` links of a page; `url` builds the search URL for an offset. */
export function offsetPageLinks(url: (offset: number) => string, page: Page, total: number): BundleLink[] {
  const { count, offset } = page;
  return [
    { relation: 'self', url: url(offset) },
    ...(count > 0 && offset + count < total ? [{ relation: 'next', url: url(offset + count) }] : []),
    ...(offset > 0 ? [{ relation: 'previous', url: url(Math.max(0, offset - count)) }] : []),
  ];
}
