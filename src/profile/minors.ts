import type { AppContext } from '../app/context.ts';
import type { PatientPrincipal } from '../access/index.ts';
import { limitFailures, rateRules } from '../auth/rate-limit.ts';
import { findInsuredByIns, isMinorOn, type InsuredPerson } from '../insured/index.ts';
import { conflict, forbidden, notFound } from '../shared/errors.ts';
import { consumeCodeAndActivate, parseNir } from './activation.ts';
import { checkActivationCode } from './code-check.ts';
import { transition } from './lifecycle.ts';

/**
 * A signed-in legal representative activates their child's profile with the child's code provisoire
 * (facts.md §4: only a representative registered at the Assurance Maladie may).
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
    if (!child)
      throw notFound('insured-unknown', 'Aucun assuré ne correspond à ce numéro de sécurité sociale.');
    const link = await ctx.db
      .selectFrom('representatives')
      .select('patient_id')
      .where('patient_id', '=', child.id)
      .where('representative_ins', '=', principal.ins)
      .executeTakeFirst();
    if (!link)
      throw forbidden(
        'not-representative',
        'Vous n’êtes pas enregistré(e) comme représentant légal de cet enfant auprès de l’Assurance Maladie.',
      );
    transition(child.profileState, 'activate');
    if (!isMinorOn(child, ctx.clock.now()))
      throw conflict('profile-not-minor', 'Cette personne est majeure : elle active elle-même son profil.');
    return { child, codeId: await checkActivationCode(ctx, child.id, input.code) };
  });
  await ctx.db.transaction().execute((trx) => consumeCodeAndActivate(ctx, trx, child.id, codeId));
  const now = ctx.clock.now().toISOString();
  return { ...child, profileState: 'activated', stateChangedAt: now };
}
