import { visibleDocumentsWhere, type Principal } from '../access/index.ts';
import type { LoadedRecord, RecordDocument } from '../guard/index.ts';
import type { Executor } from '../storage/index.ts';

/** XDS referenceIdList type of an encounter (IHE ITI TF-3 4.2.3.2.28): a hospital stay, a consultation. */
export const ENCOUNTER_ID_TYPE = 'urn:ihe:iti:xds:2015:encounterId';

export type EpisodeKind = 'encounter' | 'submission-set' | 'document';

/** An episode's id (`encounter:<id>`, `submission-set:<id>`, `document:<id>`) read into its parts. */
export interface EpisodeId {
  readonly kind: EpisodeKind;
  readonly value: string;
}

/** `encounter:SEJ-17` → its kind and value; undefined for anything else. */
export function parseEpisodeId(text: string): EpisodeId | undefined {
  const match = /^(encounter|submission-set|document):(.+)$/.exec(text);
  return match ? { kind: match[1] as EpisodeKind, value: match[2]! } : undefined;
}

/**
 * An episode of care as the record's timeline groups documents: the encounter they share (a hospital stay), else
 * the submission set they were deposited in (one professional's day of care), else the document alone.
 */
export interface Episode {
  /** `encounter:<id>`, `submission-set:<id>` or `document:<id>`: what `episodeId` of a listed document names. */
  readonly id: string;
  readonly kind: EpisodeKind;
  /** The structure of its documents' authors (« CH de Valence »), the first of the page's that names one. */
  readonly structure: string | null;
  /** Its facility type and practice setting (JDV_J02, J04 displays), the first of the page's. */
  readonly facility: string | null;
  readonly setting: string | null;
  /** Its span: the earliest start (service start, else the document's date) and the latest end of its documents. */
  readonly start: string;
  readonly end: string;
  /** The documents of the episode the reader may see in the whole record, current versions (not only this page's). */
  readonly documentCount: number;
}

const encounterOf = (doc: RecordDocument) =>
  doc.metadata.related.find((r) => r.type === ENCOUNTER_ID_TYPE)?.value;

/** The episode a document belongs to (see `Episode`). */
export function episodeIdOf(doc: RecordDocument): string {
  const encounter = encounterOf(doc);
  if (encounter !== undefined) return `encounter:${encounter}`;
  return doc.submissionSetId ? `submission-set:${doc.submissionSetId}` : `document:${doc.id}`;
}

interface Dated {
  readonly created_at: string;
  readonly service_start: string | null;
  readonly service_end: string | null;
}
const startOf = (d: Dated) => d.service_start ?? d.created_at;
const endOf = (d: Dated) => d.service_end ?? d.service_start ?? d.created_at;

/**
 * The episodes of a page of documents, in the order they first appear on it. Their spans and counts are the whole
 * record's (under the reader's policy predicate, current versions), so that a stay cut by a page says so; their
 * labels are read from the page's documents (the rest of the metadata is sealed). A submission set's count takes
 * all its documents, those that also name an encounter included.
 */
export async function episodesOf(
  db: Executor,
  principal: Principal,
  record: LoadedRecord,
  page: readonly RecordDocument[],
): Promise<Episode[]> {
  const ids = [...new Set(page.map(episodeIdOf))];
  const valueOf = (id: string) => id.slice(id.indexOf(':') + 1);
  const encounters = ids.filter((id) => id.startsWith('encounter:')).map(valueOf);
  const sets = ids.filter((id) => id.startsWith('submission-set:')).map(valueOf);
  const patientId = record.context.patientId;
  const related = encounters.length
    ? await db
        .selectFrom('document_related_ids')
        .select(['document_id', 'value'])
        .where('patient_id', '=', patientId)
        .where('value', 'in', encounters)
        .execute()
    : [];
  const inEncounter = new Map<string, string[]>();
  for (const r of related)
    inEncounter.set(r.document_id, [...(inEncounter.get(r.document_id) ?? []), r.value]);
  const rows =
    inEncounter.size || sets.length
      ? await db
          .selectFrom('documents')
          .select(['id', 'submission_set_id', 'created_at', 'service_start', 'service_end'])
          .where('patient_id', '=', patientId)
          .where('status', '=', 'current')
          .where(visibleDocumentsWhere(principal, record.context))
          .where((eb) =>
            eb.or([
              ...(inEncounter.size ? [eb('id', 'in', [...inEncounter.keys()])] : []),
              ...(sets.length ? [eb('submission_set_id', 'in', sets)] : []),
            ]),
          )
          .execute()
      : [];
  const members = new Map<string, Dated[]>();
  const add = (id: string, row: Dated) => members.set(id, [...(members.get(id) ?? []), row]);
  for (const row of rows) {
    for (const value of inEncounter.get(row.id) ?? []) add(`encounter:${value}`, row);
    if (row.submission_set_id && sets.includes(row.submission_set_id))
      add(`submission-set:${row.submission_set_id}`, row);
  }
  return ids.map((id) => {
    const shown = page.filter((d) => episodeIdOf(d) === id);
    const dated: Dated[] = shown.map((d) => ({
      created_at: d.createdAt,
      service_start: d.serviceStart ?? null,
      service_end: d.serviceEnd ?? null,
    }));
    // A document alone is its own episode: the page has it whole.
    const all = members.get(id) ?? dated;
    const label = (pick: (d: RecordDocument) => string | undefined) =>
      shown.map(pick).find((v) => v !== undefined && v !== '') ?? null;
    return {
      id,
      kind: id.slice(0, id.indexOf(':')) as EpisodeKind,
      structure: label((d) => d.author.structureName),
      facility: label((d) => d.metadata.facilityType?.display),
      setting: label((d) => d.metadata.practiceSetting?.display),
      start: all.map(startOf).reduce((a, b) => (a < b ? a : b)),
      end: all.map(endOf).reduce((a, b) => (a > b ? a : b)),
      documentCount: all.length,
    };
  });
}
