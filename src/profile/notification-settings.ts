import type { AppContext } from '../app/index.ts';
import { type PatientPrincipal, decideRecord } from '../access/index.ts';
import { appendAudit } from '../audit/index.ts';
import type { PatientId } from '../identity/index.ts';
import { trace, loadRecordContext, denialError } from '../record/index.ts';
import type { Executor } from '../storage/index.ts';
import {
  readNotificationPreferences,
  writeNotificationPreferences,
  type NotificationPreferences,
} from '../notifications/index.ts';

/** Only the patient, or a minor's representative, reads and sets a profile's notification choices. */
async function authorise(ctx: AppContext, db: Executor, principal: PatientPrincipal, patientId: PatientId) {
  const record = await loadRecordContext(db, patientId, principal, ctx.clock.now());
  const decision = decideRecord(principal, record, 'manage-settings');
  if (!decision.allowed) throw denialError(decision.reason);
}

export async function getNotificationPreferences(
  ctx: AppContext,
  principal: PatientPrincipal,
  patientId: PatientId,
): Promise<NotificationPreferences> {
  await authorise(ctx, ctx.db, principal, patientId);
  return readNotificationPreferences(ctx.db, patientId);
}

export async function updateNotificationPreferences(
  ctx: AppContext,
  principal: PatientPrincipal,
  patientId: PatientId,
  update: Partial<NotificationPreferences>,
): Promise<NotificationPreferences> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    await authorise(ctx, trx, principal, patientId);
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
