import { conflict, type CarnetError } from '../shared/index.ts';
import type { ProfileState } from '../storage/index.ts';

/**
 * What can happen to a profile (docs/features.md, "Profile lifecycle"): created → activated → closed, or created →
 * opposed.
 */
export type ProfileEvent = 'activate' | 'oppose' | 'close';

const refusals = {
  opposed: () =>
    conflict(
      'profile-opposed',
      'Vous vous êtes opposé(e) à la création de votre profil Mon espace santé : il ne peut pas être activé.',
    ),
  activated: () =>
    conflict('profile-already-activated', 'Ce profil Mon espace santé est déjà activé. Connectez-vous.'),
  closed: () => conflict('profile-closed', 'Ce profil Mon espace santé a été fermé.'),
  notActivated: () => conflict('profile-not-activated', 'Ce profil Mon espace santé n’est pas activé.'),
} as const;

/** The state after an event, or the refusal explaining why the event cannot happen now. */
export function nextProfileState(
  from: ProfileState,
  event: ProfileEvent,
): { ok: true; state: ProfileState } | { ok: false; error: CarnetError } {
  if (from === 'opposed') return { ok: false, error: refusals.opposed() };
  if (from === 'closed') return { ok: false, error: refusals.closed() };
  if (event === 'close')
    return from === 'activated'
      ? { ok: true, state: 'closed' }
      : { ok: false, error: refusals.notActivated() };
  if (from === 'activated') return { ok: false, error: refusals.activated() };
  return { ok: true, state: event === 'activate' ? 'activated' : 'opposed' };
}

/** Throws the refusal; returns the new state. */
export function transition(from: ProfileState, event: ProfileEvent): ProfileState {
  const result = nextProfileState(from, event);
  if (!result.ok) throw result.error;
  return result.state;
}
