import type { AppContext } from '../app/index.ts';
import type { PatientPrincipal } from '../access/index.ts';
import { limitFailures, rateRules } from '../auth/index.ts';
import { findInsuredByIns, isMinorOn, type InsuredPerson } from '../insured/index.ts';
import { conflict, invalid } from '../shared/index.ts';
import { consumeCodeAndActivate, parseNir } from './activation.ts';
import { NOBODY, matchActivationCode, usableCodeId } from './code-check.ts';
import { transition } from './lifecycle.ts';

/** The one answer of every failure until child NIR, representation and code match (as for one's own profile). */
const childIdentificationRefused = () =>
  invalid(
    'identification-failed',
    'Ces informations ne permettent pas d’activer ce profil. Vérifiez le numéro de sécurité sociale de l’enfant et le code provisoire reçu par e-mail ; seul un représentant légal enregistré auprès de l’Assurance Maladie peut l’activer.',
  );

/**
 * A signed-in legal representative activates their child's profile with the child's code provisoire
 * (docs/features.md, "Profile lifecycle": only a representative registered at the Assurance Maladie may).
 */
export async function activateChildProfile(
  ctx: AppContext,
  principal: PatientPrincipal,
  input: { childNir: string; code: string; ip: string },
): Promise<InsuredPerson> {
  const ins = parseNir(input.childNir, 'childNir');
  const rules = [rateRules.activationIp(input.ip), rateRules.activation(ins)];
  const { child, codeId } = await limitFailures(ctx.db, rules, ctx.clock.now(), async () => {
    const child = await findInsuredByIns(ctx.db, ins);
    const link = await ctx.db
      .selectFrom('representatives')
      .select('patient_id')
      .where('patient_id', '=', child?.id ?? NOBODY)
      .where('representative_ins', '=', principal.ins)
      .executeTakeFirst();
    const code = await matchActivationCode(ctx, child?.id, input.code, link !== undefined);
    if (!child || !link || !code) throw childIdentificationRefused();
    transition(child.profileState, 'activate');
    if (!isMinorOn(child, ctx.clock.now()))
      throw conflict('profile-not-minor', 'Cette personne est majeure : elle active elle-même son profil.');
    return { child, codeId: usableCodeId(code) };
  });
  // The link was checked above: from this activation on, the representative acts for the child.
  const representative = { ...principal, actsFor: [...principal.actsFor, child.id] };
  await ctx.db
    .transaction()
    .execute((trx) => consumeCodeAndActivate(ctx, trx, child.id, codeId, representative));
  const now = ctx.clock.now().toISOString();
  return { ...child, profileState: 'activated', stateChangedAt: now };
}
