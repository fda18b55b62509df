import type { PatientId } from '../identity/index.ts';
import type { ProfileState } from '../storage/index.ts';
import { allow as allowed, deny, type Decision } from './decision.ts';
import type { AppPrincipal, AppPurpose, Principal } from './principal.ts';

/**
 * The one access policy. Every adapter asks it before touching a patient's data; the record's
 * decision order is `record-policy.ts` (docs/access.md). This one decides identity-level actions.
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

export type { Decision } from './decision.ts';

/** The purposes that let a connected app read its patient's identity (`Patient`). */
const identityPurposes: readonly AppPurpose[] = ['read-documents', 'read-profile'];

// No emergency mode at the identity level.
const allow: Decision = allowed();

export function decide(principal: Principal, action: Action): Decision {
  switch (action.type) {
    case 'patient.find':
    case 'patient.read-identity':
      if (principal.kind === 'professional') {
        // Telling a professional whether a profile exists is what the DMP does (docs/fhir.md, "Does this patient
        // have a DMP?"); the identity of an opposed person is still theirs to know (they have the patient's Vitale
        // card in hand), but not more.
        return allow;
      }
      if (action.type !== 'patient.read-identity') return deny('not-own-profile');
      // A connected app is told its patient's id (the SMART `patient` launch context), never anyone else's
      // identity; reading the identity itself is for an app granted the patient's documents or medical profile,
      // which name the patient anyway. An app that only writes measurements learns nothing more.
      if (principal.kind === 'app') {
        if (principal.patientId !== action.patientId) return deny('not-own-profile');
        return identityPurposes.some((p) => principal.purposes.includes(p)) ? allow : deny('scope');
      }
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

/** A FHIR interaction as SMART v2 scopes name them: create, read, update, delete, search. */
export type ScopeInteraction = 'c' | 'r' | 'u' | 'd' | 's';

const v1Interactions: Readonly<Record<string, string>> = { read: 'rs', write: 'cud', '*': 'cruds' };
const V2_PERMISSIONS = /^c?r?u?d?s?$/;

/**
 * Whether the SMART scopes a connected app was granted allow an interaction on a resource type. Scopes are
 * kept exactly as the app asked for them and the patient consented (`patient/Observation.c` is create only),
 * so a purpose's reach is narrowed to the interactions actually asked for; the purpose itself is checked apart.
 */
export function appScopeAllows(
  principal: AppPrincipal,
  resourceType: string,
  interaction: ScopeInteraction,
): boolean {
  return principal.scopes.some((scope) => {
    const match = /^patient\/([A-Za-z]+|\*)\.([a-z*]+)$/.exec(scope);
    if (!match || (match[1] !== resourceType && match[1] !== '*')) return false;
    const permission = match[2]!;
    const interactions = v1Interactions[permission] ?? (V2_PERMISSIONS.test(permission) ? permission : '');
    return interactions.includes(interaction);
  });
}

/** Reading in either form (by id or by search): the policy's `read` covers both. */
export const appScopeReads = (principal: AppPrincipal, resourceType: string): boolean =>
  appScopeAllows(principal, resourceType, 'r') || appScopeAllows(principal, resourceType, 's');
