import type { AppContext } from '../app/context.ts';
import type { PatientId } from '../identity/index.ts';
import { CarnetError, conflict, invalid } from '../shared/errors.ts';
import {
  activationCodeStatus,
  isWellFormedActivationCode,
  normalizeActivationCode,
} from './activation-code-rules.ts';
import { activationCodeHash, sameHash } from './secret-hash.ts';

export const codeRefusals = {
  invalid: () =>
    invalid(
      'activation-code-invalid',
      'Le code provisoire est incorrect. Vérifiez-le ou demandez un nouveau code.',
      'code',
    ),
  expired: () =>
    new CarnetError(
      'gone',
      'activation-code-expired',
      'Ce code provisoire a expiré : demandez un nouveau code.',
    ),
  used: () => conflict('activation-code-used', 'Ce code provisoire a déjà été utilisé.'),
};

/**
 * Finds the person's usable code matching `input`, or throws the precise refusal. A wrong guess counts
 * against the pending codes (they stop matching after too many), and changes nothing else.
 */
export async function checkActivationCode(
  ctx: AppContext,
  patientId: PatientId,
  input: string,
): Promise<string> {
  const now = ctx.clock.now();
  const codes = await ctx.db
    .selectFrom('activation_codes')
    .selectAll()
    .where('patient_id', '=', patientId)
    .execute();
  const code = normalizeActivationCode(input);
  const hash = isWellFormedActivationCode(code) ? activationCodeHash(ctx.config, code) : undefined;
  const match = hash === undefined ? undefined : codes.find((c) => sameHash(c.code_hash, hash));
  const status = match ? activationCodeStatus(match, now) : undefined;
  if (!match || status === 'revoked' || status === 'exhausted') {
    await ctx.db
      .updateTable('activation_codes')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('patient_id', '=', patientId)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .execute();
    throw codeRefusals.invalid();
  }
  if (status === 'expired') throw codeRefusals.expired();
  if (status === 'used') throw codeRefusals.used();
  return match.id;
}
