/**
 * Search without accents or case, the same on SQLite and PostgreSQL: the words are normalised once in
 * TypeScript, stored in `search_text`, and the query is normalised the same way ("glycemie" finds "Glycémie").
 */
export function normalizeForSearch(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The query's words (letters and digits only, so none is a LIKE wildcard), at most eight. */
export function searchTerms(query: string): string[] {
  const words = normalizeForSearch(query).split(' ').filter(Boolean);
  return [...new Set(words)].slice(0, 8);
}
