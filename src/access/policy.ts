import type { PatientId } from '../identity/index.ts';
import type { ProfileState } from '../storage/index.ts';
import type { Principal } from './principal.ts';

/**
 * The one access policy. Every adapter asks it before touching a patient's data; the decision order
 * grows with the shared-record issue (facts.md §3). For now it decides identity-level actions.
 */
export type Action =
  | { readonly type: 'patient.find'; readonly profileState: ProfileState }
  | {
      readonly type: 'patient.read-identity';
      readonly patientId: PatientId;
      readonly profileState: ProfileState;
    }
  | { readonly type: 'profile.manage'; readonly patientId: PatientId }
  /** A patient's MSSanté mailbox: theirs or a represented minor's, once the profile is activated. */
  | { readonly type: 'mailbox.open'; readonly patientId: PatientId; readonly profileState: ProfileState }
  | { readonly type: 'practitioner.read' };

export type Decision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

const allow: Decision = { allowed: true };
const deny = (reason: string): Decision => ({ allowed: false, reason });

export function decide(principal: Principal, action: Action): Decision {
  switch (action.type) {
    case 'patient.find':
    case 'patient.read-identity':
      if (principal.kind === 'professional') {
        // Telling a professional whether a profile exists is what the DMP does (facts.md §8); the identity of an
        // opposed person is still theirs to know (they have the patient's Vitale card in hand), but not more.
        return allow;
      }
      if (action.type !== 'patient.read-identity') return deny('not-own-profile');
      // A connected app knows its patient's identity (the SMART `patient` launch context), nobody else's.
      if (principal.kind === 'app')
        return principal.patientId === action.patientId ? allow : deny('not-own-profile');
      return principal.kind === 'patient' && principal.actsFor.includes(action.patientId)
        ? allow
        : deny('not-own-profile');
    case 'profile.manage':
      return principal.kind === 'patient' && principal.actsFor.includes(action.patientId)
        ? allow
        : deny('not-own-profile');
    case 'mailbox.open':
      if (principal.kind !== 'patient' || !principal.actsFor.includes(action.patientId)) {
        return deny('not-own-mailbox');
      }
      return action.profileState === 'activated' ? allow : deny('profile-not-activated');
    case 'practitioner.read':
      return allow;
  }
}
