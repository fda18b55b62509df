import type { AppContext } from '../app/index.ts';
import type { ProfessionalPrincipal } from '../access/index.ts';
import { appendAudit } from '../audit/index.ts';
import type { PatientId } from '../identity/index.ts';
import {
  trace,
  ensureRecordProfessional,
  principalIdentity,
  updateRecordProfessional,
  openRecord,
  inRecordTransaction,
  Refusal,
} from '../guard/index.ts';

/**
 * A professional outside the care team declares that the patient consented to their access (docs/access.md, "Consent
 * and the care relation"); recorded and traced. A blocked professional cannot consent their way back in.
 */
export async function declareConsent(
  ctx: AppContext,
  principal: ProfessionalPrincipal,
  patientId: PatientId,
): Promise<void> {
  const now = ctx.clock.now();
  const at = now.toISOString();
  await inRecordTransaction(ctx, async (trx) => {
    // The deposit decision is the one without consent: it refuses exactly a closed record and a blocked professional.
    const opened = await openRecord(trx, principal, patientId, 'deposit', 'consent', now);
    if (opened instanceof Refusal) return opened;
    const identity = principalIdentity(principal);
    const row = await ensureRecordProfessional(trx, patientId, identity, at);
    if (row.consent_at === null) {
      await updateRecordProfessional(trx, patientId, identity.nationalId, { consent_at: at, updated_at: at });
    }
    const input = trace(principal, patientId, 'consent', 'success', {
      targetType: 'Professional',
      targetId: identity.nationalId,
    });
    await appendAudit(trx, input, now);
    return undefined;
  });
}
