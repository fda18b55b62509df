/**
 * The form of a name that FHIR string search compares (search.html#string): lower case, accents and other
 * combining marks removed, French ligatures spelled out. `author.given=eloise` finds « Éloïse ». Stored beside the
 * name (`author_given_search`, `author_family_search`) so that SQLite and PostgreSQL compare the same text.
 */
export function searchableName(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss');
}
