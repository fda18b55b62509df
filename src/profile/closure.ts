import type { AppContext } from '../app/index.ts';
import { authorize, type PatientPrincipal } from '../access/index.ts';
import { revokePatientSessions } from '../auth/index.ts';
import type { PatientId } from '../identity/index.ts';
import { findInsuredById, type InsuredPerson } from '../insured/index.ts';
import { notFound } from '../shared/index.ts';
import { transition } from './lifecycle.ts';

/**
 * Closes a profile the principal acts for, with or without a request to delete its data (docs/features.md,
 * "Profile lifecycle": the data is then deleted by the retention job; a closed record is otherwise kept ten years).
 * Every session of that person ends.
 */
export async function closeProfile(
  ctx: AppContext,
  principal: PatientPrincipal,
  patientId: PatientId,
  deleteData: boolean,
): Promise<InsuredPerson> {
  authorize(principal, { type: 'profile.manage', patientId });
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const person = await findInsuredById(trx, patientId);
    if (!person) throw notFound();
    const state = transition(person.profileState, 'close');
    await trx
      .updateTable('patients')
      .set({
        profile_state: state,
        state_changed_at: now.toISOString(),
        deletion_requested: deleteData ? 1 : 0,
        updated_at: now.toISOString(),
      })
      .where('id', '=', patientId)
      .execute();
    await revokePatientSessions(trx, patientId, now);
    return {
      ...person,
      profileState: state,
      stateChangedAt: now.toISOString(),
      deletionRequested: deleteData,
    };
  });
}
