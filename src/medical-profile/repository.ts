import { sql } from 'kysely';
import type { Config } from '../config/index.ts';
import type { PatientId } from '../identity/index.ts';
import { openText, sealText, type Executor, type ProfileEntriesTable } from '../storage/index.ts';
import { profileSections, type ProfileSection } from '../terminology/index.ts';
import type { EntrySource, ProfileEntry, SectionData } from './types.ts';

type Key = Pick<Config, 'documentKey'>;

/** The code a section's entries are grouped by (per-kind charts, FHIR `code=`). */
export function kindOf(section: ProfileSection, data: SectionData[ProfileSection]): string | null {
  switch (section) {
    case 'measurements':
      return (data as SectionData['measurements']).kind;
    case 'vaccinations':
      return (data as SectionData['vaccinations']).vaccineCode;
    case 'contacts':
      return (data as SectionData['contacts']).role;
    case 'wishes':
      return (data as SectionData['wishes']).kind;
    case 'lifestyle':
      return (data as SectionData['lifestyle']).topic;
    case 'allergies':
      return (data as SectionData['allergies']).category;
    default:
      return null;
  }
}

/** The date the entry is about, for sorting (newest first); null when it has none. */
export function effectiveOf(section: ProfileSection, data: SectionData[ProfileSection]): string | null {
  const d = data as unknown as Record<string, unknown>;
  const candidates = {
    measurements: 'at',
    vaccinations: 'date',
    hospitalisations: 'startDate',
    treatments: 'startDate',
    conditions: 'since',
    allergies: 'since',
    disabilities: 'since',
    lifestyle: 'since',
  } as Partial<Record<ProfileSection, string>>;
  const key = candidates[section];
  const value = key ? d[key] : undefined;
  return typeof value === 'string' ? value : null;
}

export interface NewEntry {
  id: string;
  patientId: PatientId;
  section: ProfileSection;
  data: SectionData[ProfileSection];
  source: EntrySource;
  sourceRef: string | null;
  sourceName: string | null;
  at: string;
}

export function entryRow(config: Key, entry: NewEntry): ProfileEntriesTable {
  return {
    patient_id: entry.patientId,
    id: entry.id,
    section: entry.section,
    kind: kindOf(entry.section, entry.data),
    effective_at: effectiveOf(entry.section, entry.data),
    source: entry.source,
    source_ref: entry.sourceRef,
    source_name: entry.sourceName,
    data_sealed: sealText(config, entry.patientId, entry.id, JSON.stringify(entry.data)),
    recorded_at: entry.at,
    updated_at: entry.at,
  };
}

export function entryOf(config: Key, row: ProfileEntriesTable): ProfileEntry {
  return {
    id: row.id,
    patientId: row.patient_id as PatientId,
    section: row.section as ProfileSection,
    data: JSON.parse(
      openText(config, row.patient_id, row.id, row.data_sealed),
    ) as SectionData[ProfileSection],
    source: row.source as EntrySource,
    sourceRef: row.source_ref,
    sourceName: row.source_name,
    recordedAt: row.recorded_at,
    updatedAt: row.updated_at,
  };
}

/** A slice of a list, as FHIR's `_offset` and `_count` give it. */
export interface EntryPage {
  readonly offset: number;
  readonly count: number;
}

/**
 * Entries of some sections, in the order of the sections, newest first inside each (by the date the entry is
 * about, then when it was recorded). Ordered in SQL so that a page is read, and opened, alone.
 */
export async function listEntries(
  db: Executor,
  config: Key,
  patientId: PatientId,
  sections: readonly ProfileSection[],
  page?: EntryPage,
): Promise<ProfileEntry[]> {
  if (sections.length === 0 || page?.count === 0) return [];
  const ordered = [...sections].sort((a, b) => profileSections.indexOf(a) - profileSections.indexOf(b));
  const sectionRank = sql<number>`case ${sql.ref('section')} ${sql.join(
    ordered.map((s, i) => sql`when ${sql.lit(s)} then ${sql.lit(i)}`),
    sql` `,
  )} end`;
  let query = db
    .selectFrom('profile_entries')
    .selectAll()
    .where('patient_id', '=', patientId)
    .where('section', 'in', sections)
    .orderBy(sectionRank)
    .orderBy(sql`coalesce(${sql.ref('effective_at')}, '')`, 'desc')
    .orderBy('recorded_at', 'desc')
    .orderBy('id', 'desc');
  if (page) query = query.limit(page.count).offset(page.offset);
  const rows = await query.execute();
  return rows.map((row) => entryOf(config, row));
}

/** How many entries these sections hold, without opening any. */
export async function countEntries(
  db: Executor,
  patientId: PatientId,
  sections: readonly ProfileSection[],
): Promise<number> {
  if (sections.length === 0) return 0;
  const row = await db
    .selectFrom('profile_entries')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('patient_id', '=', patientId)
    .where('section', 'in', sections)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function countSection(db: Executor, patientId: PatientId, section: ProfileSection) {
  const row = await db
    .selectFrom('profile_entries')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('patient_id', '=', patientId)
    .where('section', '=', section)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
