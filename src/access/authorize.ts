import { forbidden } from '../shared/index.ts';
import { decide, type Action } from './policy.ts';
import type { Principal } from './principal.ts';

/** Throws a 403 CarnetError unless the policy allows the action. */
export function authorize(principal: Principal, action: Action): void {
  const decision = decide(principal, action);
  if (!decision.allowed) {
    throw forbidden(decision.reason, 'Vous n’avez pas accès à ces informations.');
  }
}
