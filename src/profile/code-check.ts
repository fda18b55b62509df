import type { AppContext } from '../app/index.ts';
import type { PatientId } from '../identity/index.ts';
import { CarnetError, conflict, invalid } from '../shared/index.ts';
import {
  activationCodeStatus,
  isWellFormedActivationCode,
  normalizeActivationCode,
} from './activation-code-rules.ts';
import { activationCodeHash, sameHash } from '../auth/index.ts';

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
 * The one answer to every failed identification (unknown NIR, wrong card, wrong code, a profile opposed, activated
 * or closed): it names no field, so that whoever lacks the card and the code learns nothing about a NIR.
 */
export const identificationRefused = () =>
  invalid(
    'identification-failed',
    'Ces informations ne permettent pas de vous identifier. Vérifiez votre numéro de sécurité sociale, le numéro de série de votre carte Vitale (au dos de la carte) et le code provisoire reçu par e-mail, ou demandez un nouveau code.',
  );

/** Stands for "no such person" in queries that must run anyway (a patient id is never this). */
export const NOBODY = '00000000-0000-0000-0000-000000000000';

export interface MatchedCode {
  readonly id: string;
  /** A code that matches may still be past its date or already used: said only once the person is identified. */
  readonly status: 'usable' | 'expired' | 'used';
}

/**
 * The code of `patientId` (undefined: nobody) that matches `input`, if it is neither revoked nor worn out by
 * wrong guesses. A miss counts one attempt against the person's pending codes when `countMiss`. The same
 * queries and the same hashing run in every case, so that the time taken tells nothing either.
 */
export async function matchActivationCode(
  ctx: AppContext,
  patientId: PatientId | undefined,
  input: string,
  countMiss: boolean,
): Promise<MatchedCode | undefined> {
  const now = ctx.clock.now();
  const codes = await ctx.db
    .selectFrom('activation_codes')
    .selectAll()
    .where('patient_id', '=', patientId ?? NOBODY)
    .execute();
  const code = normalizeActivationCode(input);
  const wellFormed = isWellFormedActivationCode(code);
  const hash = activationCodeHash(ctx.config, wellFormed ? code : '');
  const match = wellFormed ? codes.find((c) => sameHash(c.code_hash, hash)) : undefined;
  const status = match ? activationCodeStatus(match, now) : undefined;
  if (match && (status === 'usable' || status === 'expired' || status === 'used')) {
    return { id: match.id, status };
  }
  await ctx.db
    .updateTable('activation_codes')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('patient_id', '=', countMiss && patientId ? patientId : NOBODY)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .execute();
  return undefined;
}

/** Once the person is identified: the precise refusal of a code that is past its date or already used. */
export function usableCodeId(code: MatchedCode): string {
  if (code.status === 'expired') throw codeRefusals.expired();
  if (code.status === 'used') throw codeRefusals.used();
  return code.id;
}
