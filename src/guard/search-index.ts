import { createHmac } from 'node:crypto';
import type { Config } from '../config/index.ts';
import type { RecordDocument } from './document.ts';
import { searchableName } from './search-text.ts';

type Keys = Pick<Config, 'documentKey'>;

/** The shortest word prefix a search matches on: one letter would match most of a record. */
export const SEARCH_PREFIX_MIN = 2;
/** The longest prefix indexed: a longer searched word is compared on its first letters only. */
export const SEARCH_PREFIX_MAX = 20;

/** French month names, for « avril 2025 »: a document's dates are found by year and by month name. */
const monthNames = [
  'janvier',
  'fevrier',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'aout',
  'septembre',
  'octobre',
  'novembre',
  'decembre',
];

/**
 * The words of a text as search compares them: lower case, accents and ligatures removed (`searchableName`), cut
 * at anything that is neither a letter nor a digit (« compte-rendu » is two words, « d'hospitalisation » two).
 */
export function searchWords(text: string): string[] {
  return searchableName(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** The words a date gives: its year, and its month's name when the date has a month. */
export function dateWords(date: string | undefined): string[] {
  if (!date || !/^\d{4}/.test(date)) return [];
  const month = /^\d{4}-(\d{2})/.exec(date)?.[1];
  const name = month ? monthNames[Number(month) - 1] : undefined;
  return [date.slice(0, 4), ...(name ? [name] : [])];
}

/**
 * The words a document is found by, besides its class (whose label is public vocabulary, matched on the class code,
 * see src/record/document-browse.ts): its title, type, author, author's structure, facility and practice setting
 * (their displays), its dates (the producer's date and the service period, by year and month name), and `more`:
 * texts read from its content at deposit (a structured CDA's section titles), which the row does not keep.
 */
export function documentSearchWords(doc: RecordDocument, more: readonly string[] = []): string[] {
  const texts = [
    ...more,
    doc.title,
    doc.typeDisplay,
    doc.author.name,
    doc.author.givenName ?? '',
    doc.author.familyName ?? '',
    doc.author.structureName ?? '',
    doc.metadata.facilityType?.display ?? '',
    doc.metadata.practiceSetting?.display ?? '',
  ];
  const words = [
    ...texts.flatMap(searchWords),
    ...[doc.createdAt, doc.serviceStart, doc.serviceEnd].flatMap(dateWords),
  ];
  return [...new Set(words)];
}

/** Every prefix of `word` a search may send (from SEARCH_PREFIX_MIN to SEARCH_PREFIX_MAX letters). */
export function searchPrefixes(word: string): string[] {
  const chars = [...word];
  const out: string[] = [];
  for (let n = SEARCH_PREFIX_MIN; n <= Math.min(chars.length, SEARCH_PREFIX_MAX); n++)
    out.push(chars.slice(0, n).join(''));
  return out;
}

/**
 * The keyed digest of a word prefix in one patient's record (the blind index of `document_search_tokens`): titles
 * stay sealed, a dump shows no word, and two records' digests cannot be compared. Its own key, derived from the
 * document key, as for event codes (document-row.ts).
 */
export function searchToken(config: Keys, patientId: string, prefix: string): string {
  return searchTokens(config, patientId)(prefix);
}

/** `searchToken` for many prefixes of one patient: the derived key is computed once. */
export function searchTokens(config: Keys, patientId: string): (prefix: string) => string {
  const key = createHmac('sha256', config.documentKey.key).update('carnet:search-token-key').digest();
  return (prefix) =>
    createHmac('sha256', key)
      .update(`search:${patientId}:${prefix}`)
      .digest()
      .subarray(0, 16)
      .toString('base64url');
}

/** The texts of a document's content that its search words take besides its row, by document id. */
export type ContentSearchTexts = ReadonlyMap<string, readonly string[]>;

/**
 * The rows of `document_search_tokens` for documents being inserted: one per distinct prefix of each, its
 * content's texts (`more`) included.
 */
export function searchTokenRows(
  config: Keys,
  docs: readonly RecordDocument[],
  more: ContentSearchTexts = new Map(),
) {
  return docs.flatMap((doc) => {
    const token = searchTokens(config, doc.patientId);
    const prefixes = new Set(documentSearchWords(doc, more.get(doc.id)).flatMap(searchPrefixes));
    return [...prefixes].map((p) => ({ patient_id: doc.patientId, document_id: doc.id, token: token(p) }));
  });
}

/**
 * Whether every searched word (as `queryWords` gives them, src/record/document-browse.ts) starts a word of one of
 * `texts`: the blind index's rule, for what is searched in memory rather than through the index (one patient's
 * messages and medical profile). A text word longer than SEARCH_PREFIX_MAX is found by its first letters, as there.
 */
export function allWordsStart(words: readonly string[], texts: readonly string[]): boolean {
  const found = texts.flatMap(searchWords);
  return words.every((word) => found.some((w) => w.startsWith(word)));
}
