import { defaultRecordSettings, type RecordSettings } from '../access/index.ts';
import type { PatientId } from '../identity/index.ts';
import type { Executor } from '../storage/index.ts';

/** A missing row means the defaults (docs/access.md, "Emergency access": the opt-ins are on by default). */
export async function readRecordSettings(db: Executor, patientId: PatientId): Promise<RecordSettings> {
  const row = await db
    .selectFrom('record_settings')
    .selectAll()
    .where('patient_id', '=', patientId)
    .executeTakeFirst();
  if (!row) return { ...defaultRecordSettings };
  return {
    maskNewDocuments: row.mask_new_documents === 1,
    allowBrisDeGlace: row.allow_bris_de_glace === 1,
    allowRegulation: row.allow_regulation === 1,
    allowMaskedInEmergency: row.allow_masked_in_emergency === 1,
  };
}

export async function writeRecordSettings(
  db: Executor,
  patientId: PatientId,
  settings: RecordSettings,
  now: string,
): Promise<void> {
  const values = {
    mask_new_documents: settings.maskNewDocuments ? 1 : 0,
    allow_bris_de_glace: settings.allowBrisDeGlace ? 1 : 0,
    allow_regulation: settings.allowRegulation ? 1 : 0,
    allow_masked_in_emergency: settings.allowMaskedInEmergency ? 1 : 0,
    updated_at: now,
  };
  await db
    .insertInto('record_settings')
    .values({ patient_id: patientId, ...values })
    .onConflict((oc) => oc.column('patient_id').doUpdateSet(values))
    .execute();
}
