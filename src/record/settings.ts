import type { AppContext } from '../app/index.ts';
import type { Principal, RecordSettings } from '../access/index.ts';
import { appendAudit } from '../audit/index.ts';
import type { PatientId } from '../identity/index.ts';
import { invalid } from '../shared/index.ts';
import {
  trace,
  listRecordProfessionals,
  openRecord,
  inRecordTransaction,
  Refusal,
  readRecordSettings,
  writeRecordSettings,
} from '../guard/index.ts';
import { toProfessionalView, type RecordProfessionalView } from './professional-view.ts';

const settingKeys: readonly (keyof RecordSettings)[] = [
  'maskNewDocuments',
  'allowBrisDeGlace',
  'allowRegulation',
  'allowMaskedInEmergency',
];

/** The patient's page "qui a accès à mon dossier": their settings and every professional who came. */
export async function getRecordOverview(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
): Promise<{ settings: RecordSettings; professionals: RecordProfessionalView[] }> {
  const opened = await openRecord(
    ctx.db,
    principal,
    patientId,
    'manage-settings',
    'settings',
    ctx.clock.now(),
  );
  if (opened instanceof Refusal) throw opened.error;
  const rows = await listRecordProfessionals(ctx.db, patientId);
  return { settings: opened.record.context.settings, professionals: rows.map(toProfessionalView) };
}

/** Changes some of the patient's choices (mask new documents, the three emergency opt-ins). */
export async function updateRecordSettings(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  patch: Partial<RecordSettings>,
): Promise<RecordSettings> {
  for (const [key, value] of Object.entries(patch)) {
    if (!settingKeys.includes(key as keyof RecordSettings) || typeof value !== 'boolean') {
      throw invalid('setting-invalid', 'Ce réglage n’existe pas ou sa valeur est invalide.', key);
    }
  }
  const now = ctx.clock.now();
  return inRecordTransaction(ctx, async (trx) => {
    const opened = await openRecord(trx, principal, patientId, 'manage-settings', 'settings', now);
    if (opened instanceof Refusal) return opened;
    const settings = { ...(await readRecordSettings(trx, patientId)), ...patch };
    await writeRecordSettings(trx, patientId, settings, now.toISOString());
    const input = trace(principal, patientId, 'settings', 'success', {
      targetType: 'RecordSettings',
      targetId: patientId,
      detail: { ...patch },
    });
    await appendAudit(trx, input, now);
    return settings;
  });
}
