import type { AppContext } from '../app/index.ts';
import type { Principal } from '../access/index.ts';
import { appendAudit, type AuditAction } from '../audit/index.ts';
import type { PatientId } from '../identity/index.ts';
import { findProfessionalByNationalId, professionalDisplayName } from '../professionals/index.ts';
import { invalid, notFound } from '../shared/index.ts';
import type { Executor } from '../storage/index.ts';
import {
  trace,
  ensureRecordProfessional,
  findRecordProfessional,
  updateRecordProfessional,
  type RecordProfessionalRow,
  openRecord,
  inRecordTransaction,
  Refusal,
} from '../guard/index.ts';
import { toProfessionalView, type RecordProfessionalView } from './professional-view.ts';

export interface ProfessionalStatusChange {
  readonly blocked?: boolean;
  readonly administrator?: boolean;
}

/** The professional's line, created from the directory for one who never came (the patient may block ahead). */
async function lineOf(db: Executor, patientId: PatientId, nationalId: string, now: string) {
  const row = await findRecordProfessional(db, patientId, nationalId);
  if (row) return row;
  const known = await findProfessionalByNationalId(db, nationalId);
  if (!known) throw notFound('professional-not-found', 'Professionnel de santé introuvable.');
  const identity = {
    nationalId,
    professionalId: known.id,
    name: professionalDisplayName(known),
    professionCode: known.professionCode as string,
  };
  return ensureRecordProfessional(db, patientId, identity, now);
}

function actionsOf(row: RecordProfessionalRow, blocked: boolean, administrator: boolean): AuditAction[] {
  const actions: AuditAction[] = [];
  if (blocked !== (row.blocked === 1)) actions.push(blocked ? 'block' : 'unblock');
  if (administrator !== (row.administrator === 1))
    actions.push(administrator ? 'name-administrator' : 'remove-administrator');
  return actions;
}

/**
 * Block, unblock, name or remove an administrateur (docs/access.md, "The administrateur"); a blocked professional is
 * no administrateur.
 */
export async function setProfessionalStatus(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  nationalId: string,
  change: ProfessionalStatusChange,
): Promise<RecordProfessionalView> {
  if (change.blocked && change.administrator) {
    throw invalid('administrator-blocked', 'Un professionnel bloqué ne peut pas être administrateur.');
  }
  const now = ctx.clock.now();
  const at = now.toISOString();
  const audit: AuditAction = change.blocked !== undefined ? 'block' : 'name-administrator';
  return inRecordTransaction(ctx, async (trx) => {
    const opened = await openRecord(trx, principal, patientId, 'manage-settings', audit, now);
    if (opened instanceof Refusal) return opened;
    const row = await lineOf(trx, patientId, nationalId, at);
    const blocked = change.blocked ?? row.blocked === 1;
    const administrator = blocked ? false : (change.administrator ?? row.administrator === 1);
    const updated = {
      ...row,
      blocked: blocked ? 1 : 0,
      administrator: administrator ? 1 : 0,
      updated_at: at,
    };
    await updateRecordProfessional(trx, patientId, nationalId, {
      blocked: updated.blocked,
      administrator: updated.administrator,
      updated_at: at,
    });
    for (const action of actionsOf(row, blocked, administrator)) {
      const input = trace(principal, patientId, action, 'success', {
        targetType: 'Professional',
        targetId: nationalId,
      });
      await appendAudit(trx, input, now);
    }
    return toProfessionalView(updated);
  });
}
