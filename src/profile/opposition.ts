import { createHash } from 'node:crypto';
import type { AppContext } from '../app/index.ts';
import type { PatientId } from '../identity/index.ts';
import { findInsuredById } from '../insured/index.ts';
import { notFound, randomToken } from '../shared/index.ts';
import { identifyWithCode, type ActivationRequest } from './activation.ts';
import { revokePendingCodes } from './activation-codes.ts';
import { transition } from './lifecycle.ts';
import { oppositionProofPdf } from './opposition-proof.ts';

/** The proof URL carries a random token; only its hash is stored, the printed reference is derived from that. */
const proofTokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
export const oppositionReference = (tokenHash: string) => `OPP-${tokenHash.slice(0, 12).toUpperCase()}`;

/**
 * A person whose profile is `created` opposes it (same identification as activation). Pending codes are
 * cancelled; only the identity and the opposition are kept. Returns the token of the proof URL.
 */
export async function opposeProfile(
  ctx: AppContext,
  request: ActivationRequest,
): Promise<{ proofToken: string }> {
  const { person } = await identifyWithCode(ctx, request, 'oppose');
  const now = ctx.clock.now();
  const proofToken = randomToken();
  await ctx.db.transaction().execute(async (trx) => {
    const state = transition(person.profileState, 'oppose');
    await trx
      .updateTable('patients')
      .set({ profile_state: state, state_changed_at: now.toISOString(), updated_at: now.toISOString() })
      .where('id', '=', person.id)
      .where('profile_state', '=', person.profileState)
      .execute();
    await revokePendingCodes(trx, person.id, now);
    await trx
      .insertInto('oppositions')
      .values({
        patient_id: person.id,
        proof_token: proofTokenHash(proofToken),
        opposed_at: now.toISOString(),
      })
      .execute();
  });
  return { proofToken };
}

export async function oppositionProof(ctx: AppContext, token: string): Promise<Uint8Array> {
  const hash = proofTokenHash(token);
  const opposition = await ctx.db
    .selectFrom('oppositions')
    .selectAll()
    .where('proof_token', '=', hash)
    .executeTakeFirst();
  const person = opposition && (await findInsuredById(ctx.db, opposition.patient_id as PatientId));
  if (!opposition || !person)
    throw notFound('opposition-proof-unknown', 'Cette attestation est introuvable.');
  return oppositionProofPdf(person, opposition.opposed_at, oppositionReference(hash));
}
