import type { AppContext } from '../app/index.ts';
import type { PatientPrincipal } from '../access/index.ts';
import { appendAudit } from '../audit/index.ts';
import type { PatientId } from '../identity/index.ts';
import { inRecordTransaction, openRecord, Refusal, trace } from '../guard/index.ts';
import {
  readNotificationPreferences,
  writeNotificationPreferences,
  type NotificationPreferences,
} from '../notifications/index.ts';

/*
 * Only the patient, or a minor's representative, reads and sets a profile's notification choices: the guard
 * decides (`manage-settings`) and traces a refusal.
 */

export async function getNotificationPreferences(
  ctx: AppContext,
  principal: PatientPrincipal,
  patientId: PatientId,
): Promise<NotificationPreferences> {
  const opened = await openRecord(
    ctx.db,
    principal,
    patientId,
    'manage-settings',
    'settings',
    ctx.clock.now(),
  );
  if (opened instanceof Refusal) throw opened.error;
  return readNotificationPreferences(opened.db, patientId);
}

export async function updateNotificationPreferences(
  ctx: AppContext,
  principal: PatientPrincipal,
  patientId: PatientId,
  update: Partial<NotificationPreferences>,
): Promise<NotificationPreferences> {
  const now = ctx.clock.now();
  return inRecordTransaction(ctx, async (trx) => {
    const opened = await openRecord(trx, principal, patientId, 'manage-settings', 'settings', now);
    if (opened instanceof Refusal) return opened;
    const next = await writeNotificationPreferences(trx, patientId, update, now);
    await appendAudit(
      trx,
      trace(principal, patientId, 'settings', 'success', {
        targetType: 'Patient',
        targetId: patientId,
        detail: { notifications: Object.keys(update).sort().join(',') },
      }),
      now,
    );
    return next;
  });
}
