import type { Config } from '../config/index.ts';
import type { PatientId } from '../identity/index.ts';
import { listEntries } from '../medical-profile/index.ts';
import type { Executor } from '../storage/index.ts';

export interface VaccinationFact {
  readonly vaccineCode: string;
  /** YYYY-MM-DD */
  readonly date: string;
}

/**
 * The vaccinations of the patient's medical profile, as the prevention engine needs them. A system read for
 * computing reminders (not a person's access, so not traced); the patient's pages trace their own reads.
 */
export async function profileVaccinations(
  db: Executor,
  config: Pick<Config, 'documentKey'>,
  patientId: PatientId,
): Promise<VaccinationFact[]> {
  const entries = await listEntries(db, config, patientId, ['vaccinations']);
  return entries.flatMap((entry) => {
    const data = entry.data as { vaccineCode?: unknown; date?: unknown };
    return typeof data.vaccineCode === 'string' && typeof data.date === 'string'
      ? [{ vaccineCode: data.vaccineCode, date: data.date }]
      : [];
  });
}
