import { type Principal, decideRecordExport } from '../access/index.ts';
import type { AppContext } from '../app/index.ts';
import { appendAudit, type AuditDetail } from '../audit/index.ts';
import type { PatientId } from '../identity/index.ts';
import type { InsuredPerson } from '../insured/index.ts';
import { trace } from './audit-trace.ts';
import { loadRecord } from './record-context.ts';
import { denialError, inRecordTransaction, refuse } from './refusal.ts';

export type ExportFormat = 'synthesis-pdf' | 'record-zip' | 'history-pdf';

/** What the guard hands an export once the policy allowed it. */
export interface GuardedExport {
  readonly principal: Principal;
  readonly patientId: PatientId;
  readonly person: InsuredPerson;
  readonly format: ExportFormat;
}

/** Loads the record and asks the policy (decideRecordExport); a refusal is traced as a denied export. */
export async function openExport(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  format: ExportFormat,
): Promise<GuardedExport> {
  const now = ctx.clock.now();
  return inRecordTransaction(ctx, async (trx) => {
    const { person, context: record } = await loadRecord(trx, patientId, principal, now);
    const decision = decideRecordExport(principal, record);
    if (!decision.allowed) {
      const input = trace(principal, patientId, 'export', 'denied', {
        targetType: 'Patient',
        targetId: patientId,
        detail: { format, refusal: decision.reason },
      });
      return refuse(trx, input, denialError(decision.reason), now);
    }
    return { principal, patientId, person, format };
  });
}

/** The export's trace, committed before the file is sent; counts only, never content. */
export async function traceExport(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  format: ExportFormat,
  detail: AuditDetail,
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute((trx) =>
    appendAudit(
      trx,
      trace(principal, patientId, 'export', 'success', {
        targetType: 'Patient',
        targetId: patientId,
        detail: { format, ...detail },
      }),
      now,
    ),
  );
}
