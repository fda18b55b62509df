import type { Config } from '../config/index.ts';
import { allWordsStart } from '../guard/index.ts';
import type { PatientId } from '../identity/index.ts';
import type { Executor } from '../storage/index.ts';
import { profileAreaLabels, type ProfileSection } from '../terminology/index.ts';
import { entrySummary } from './labels.ts';
import { effectiveOf, listEntries } from './repository.ts';
import type { ProfileEntry } from './types.ts';

/** One entry of the medical profile found by a search of the patient's space. */
export interface ProfileHit {
  readonly id: string;
  readonly section: ProfileSection;
  /** The section's French name (« Allergies »). */
  readonly sectionLabel: string;
  /** The entry in one line, as the portal and the synthesis word it. */
  readonly label: string;
  /** The date the entry is about, or when it was recorded. */
  readonly date: string;
}

/** The texts an entry is found by: its line, its section's name, and every text it holds (a note, a reaction). */
function entryTexts(entry: ProfileEntry): string[] {
  const values = Object.values(entry.data as unknown as Record<string, unknown>);
  const texts = values.flatMap((v) =>
    typeof v === 'string' ? [v] : v && typeof v === 'object' && 'display' in v ? [String(v.display)] : [],
  );
  return [entrySummary(entry), profileAreaLabels[entry.section], ...texts];
}

/**
 * The entries of `sections` (those the guard allowed) whose words start with every searched word (as
 * `queryWords` gives them), in the profile's order. Entries are sealed and never indexed: one patient's profile
 * (tens of entries) is opened in memory, on the executor the guard handed the caller.
 */
export async function searchProfile(
  config: Pick<Config, 'documentKey'>,
  db: Executor,
  patientId: PatientId,
  sections: readonly ProfileSection[],
  words: readonly string[],
): Promise<ProfileHit[]> {
  if (words.length === 0) return [];
  const entries = await listEntries(db, config, patientId, sections);
  return entries
    .filter((entry) => allWordsStart(words, entryTexts(entry)))
    .map((entry) => ({
      id: entry.id,
      section: entry.section,
      sectionLabel: profileAreaLabels[entry.section],
      label: entrySummary(entry),
      date: effectiveOf(entry.section, entry.data) ?? entry.recordedAt,
    }));
}
