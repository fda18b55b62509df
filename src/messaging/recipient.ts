import type { AppContext } from '../app/index.ts';
import { findInsuredByIns } from '../insured/index.ts';
import { checkEnvelopeSender, decideForProfile, parseRecipient } from './routing.ts';
import type { RcptDecision } from './types.ts';

/**
 * RCPT TO for one address: the address, then the patient's profile (see `decideForProfile`: unknown refused
 * now, opposed or closed reported by a DSN). With the envelope sender, a patient address is refused (5.7.1).
 */
export async function checkRecipient(
  ctx: AppContext,
  address: string,
  envelopeFrom?: string,
): Promise<RcptDecision> {
  const domain = ctx.config.patientMailDomain;
  if (envelopeFrom !== undefined) {
    const senderRefusal = checkEnvelopeSender(envelopeFrom, domain);
    if (senderRefusal) return senderRefusal;
  }
  const parsed = parseRecipient(address, domain);
  if (!parsed.ok) return parsed.refusal;
  const person = await findInsuredByIns(ctx.db, parsed.ins);
  return decideForProfile(person && { id: person.id, state: person.profileState });
}
