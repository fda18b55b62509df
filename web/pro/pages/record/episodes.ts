import type { EpisodeView, RecordDocumentView } from '../../../shared/record-types.ts';

/**
 * The portal's timeline of one page of documents: by month, and inside a month by episode of care. The documents
 * of a hospital stay (an encounter) or of one professional's submission sit together under the episode, which the
 * list answer describes (src/record/episodes.ts); a document alone in its episode stands on its own.
 */
export type TimelineEntry =
  | { readonly kind: 'document'; readonly document: RecordDocumentView }
  | {
      readonly kind: 'episode';
      readonly episode: EpisodeView;
      readonly documents: readonly RecordDocumentView[];
    };

export interface TimelineMonth {
  /** « mars 2026 » */
  readonly month: string;
  readonly entries: readonly TimelineEntry[];
}

/** "2026-03-12…" → "mars 2026" */
function monthOf(iso: string): string {
  const [year, month] = iso.slice(0, 7).split('-').map(Number);
  if (!year || !month) return iso.slice(0, 7);
  return new Date(Date.UTC(year, month - 1, 15)).toLocaleDateString('fr-FR', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/**
 * The page's documents in the list's order (newest first), each episode gathered where its first document
 * appears, then cut by month of that first document's date.
 */
export function timelineOf(
  documents: readonly RecordDocumentView[],
  episodes: readonly EpisodeView[],
): TimelineMonth[] {
  const byId = new Map(episodes.map((e) => [e.id, e]));
  const gathered = new Map<string, RecordDocumentView[]>();
  const order: { id: string | undefined; first: RecordDocumentView }[] = [];
  for (const doc of documents) {
    const episode = doc.episodeId ? byId.get(doc.episodeId) : undefined;
    // An episode of one document is that document: no heading for it.
    if (!episode || episode.kind === 'document' || episode.documentCount < 2) {
      order.push({ id: undefined, first: doc });
      continue;
    }
    const known = gathered.get(episode.id);
    if (known) known.push(doc);
    else {
      gathered.set(episode.id, [doc]);
      order.push({ id: episode.id, first: doc });
    }
  }
  const months: { month: string; entries: TimelineEntry[] }[] = [];
  for (const { id, first } of order) {
    const entry: TimelineEntry =
      id === undefined
        ? { kind: 'document', document: first }
        : { kind: 'episode', episode: byId.get(id)!, documents: gathered.get(id)! };
    const month = monthOf(first.createdAt);
    const last = months.at(-1);
    if (last?.month === month) last.entries.push(entry);
    else months.push({ month, entries: [entry] });
  }
  return months;
}

/** « 3 mars 2026 », « 1er mars 2026 » (French writes the first of the month as an ordinal). */
const dayMonthYear = (iso: string) =>
  new Date(iso)
    .toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
    .replace(/^1 /, '1er ');

/** « du 3 au 9 mars 2026 », « du 28 février au 2 mars 2026 », « le 3 mars 2026 ». */
export function spanOf(start: string, end: string): string {
  const [from, to] = [dayMonthYear(start), dayMonthYear(end)];
  if (from === to) return `le ${from}`;
  const [fromParts, toParts] = [from.split(' '), to.split(' ')];
  // The same year (and month) is said once, at the end.
  if (fromParts[2] === toParts[2]) {
    const short = fromParts[1] === toParts[1] ? fromParts[0] : `${fromParts[0]} ${fromParts[1]}`;
    return `du ${short} au ${to}`;
  }
  return `du ${from} au ${to}`;
}

/** The heading of an episode: what it was, where, when, and how many of its documents this page shows. */
export function episodeHeading(episode: EpisodeView, shown: number): { title: string; detail: string } {
  const what = episode.kind === 'encounter' ? 'Séjour' : 'Envoi groupé';
  const where = episode.structure ?? episode.facility;
  // A search or a page boundary may show part of it: its whole size is still said.
  const count =
    shown < episode.documentCount
      ? `${episode.documentCount} documents, dont ${shown} sur cette page`
      : `${episode.documentCount} documents`;
  return {
    title: where ? `${what} — ${where}` : what,
    detail: `${spanOf(episode.start, episode.end)} · ${count}`,
  };
}
