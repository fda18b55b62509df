/**
 * Who may read, write and mask the parts of a patient's medical profile and their reimbursed-care history.
 * Professionals read them as they read documents: the record decision (blocked, consent, emergency), then the
 * habilitation matrix through the document type each part stands for, then the patient's mask.
 */
import type { ProfileArea } from '../terminology/index.ts';
import { activeHabilitationMatrix, isTypeAllowed, type HabilitationMatrix } from './habilitation-matrix.ts';
import { appScopeAllows } from './policy.ts';
import type { Principal } from './principal.ts';
import {
  actsForRecord,
  appMay,
  decideRecord,
  maskedVisibleTo,
  type Decision,
  type RecordContext,
} from './record-policy.ts';

export type ProfileAction = 'read' | 'write' | 'mask';

/**
 * The document type whose matrix cell decides a professional's reading of a profile part: vaccinations are a
 * vaccination history, reimbursed care is the insurer's REMB, the rest is what the patient wrote about
 * themselves (DOCPAT01, "synthèse déposée par le patient"), treatments their own treatments (DOCPAT02).
 */
export const profileAreaDocumentType: Record<ProfileArea, string> = {
  vaccinations: '11369-6',
  'care-history': 'REMB',
  treatments: 'DOCPAT02',
  allergies: 'DOCPAT01',
  conditions: 'DOCPAT01',
  hospitalisations: 'DOCPAT01',
  disabilities: 'DOCPAT01',
  'family-history': 'DOCPAT01',
  measurements: 'DOCPAT01',
  lifestyle: 'DOCPAT01',
  contacts: 'DOCPAT01',
  wishes: 'DOCPAT01',
  'blood-group': 'DOCPAT01',
};

/**
 * What the Assurance Maladie feeds: reimbursed care and vaccinations (docs/features.md, "Mon histoire de santé
 * (reimbursed care)").
 */
const insurerWritableAreas: readonly ProfileArea[] = ['care-history', 'vaccinations'];

/**
 * Which of the patient's masks a reader is told about: the patient sees all of theirs; anyone else only those on
 * the sections they asked for (a mask on a section they did not ask about is not theirs to know).
 */
export function maskedAreasShown<A extends ProfileArea>(
  principal: Principal,
  masks: ReadonlySet<ProfileArea>,
  asked: readonly A[],
): ProfileArea[] {
  return principal.kind === 'patient' ? [...masks] : asked.filter((area) => masks.has(area));
}

export function decideProfile(
  principal: Principal,
  record: RecordContext,
  area: ProfileArea,
  action: ProfileAction,
  masked: boolean,
  matrix: HabilitationMatrix = activeHabilitationMatrix,
): Decision {
  switch (principal.kind) {
    case 'auditor':
      return { allowed: false, reason: 'role' };
    case 'insurer': {
      const recordDecision = decideRecord(principal, record, 'deposit');
      if (!recordDecision.allowed) return recordDecision;
      return action === 'write' && insurerWritableAreas.includes(area)
        ? recordDecision
        : { allowed: false, reason: 'role' };
    }
    case 'patient': {
      const recordDecision = decideRecord(principal, record, 'consult');
      if (!recordDecision.allowed) return recordDecision;
      if (!actsForRecord(principal, record)) return { allowed: false, reason: 'not-own-record' };
      // The reimbursed-care history is the insurer's: the patient reads and masks it, never edits it.
      if (area === 'care-history' && action === 'write') return { allowed: false, reason: 'role' };
      return recordDecision;
    }
    case 'app': {
      const recordDecision = decideRecord(principal, record, 'consult');
      if (!recordDecision.allowed) return recordDecision;
      if (action === 'mask' || area === 'care-history') return { allowed: false, reason: 'scope' };
      // Within a purpose, only the interactions its granted scopes name. An app's one write to the profile is
      // creating a measurement (FHIR create): it needs a scope allowing create (`Observation.c`, v1 `.write`).
      const granted =
        action === 'write'
          ? area === 'measurements' &&
            appMay(principal, 'write-measurements') &&
            appScopeAllows(principal, 'Observation', 'c')
          : appMay(principal, 'read-profile') ||
            (area === 'measurements' && appMay(principal, 'read-measurements'));
      return granted ? recordDecision : { allowed: false, reason: 'scope' };
    }
    case 'professional': {
      if (action !== 'read') return { allowed: false, reason: 'role' };
      const recordDecision = decideRecord(principal, record, 'consult');
      if (!recordDecision.allowed) return recordDecision;
      const type = profileAreaDocumentType[area];
      if (!isTypeAllowed(matrix, principal.professionCode, principal.specialtyCode, type)) {
        return { allowed: false, reason: 'habilitation' };
      }
      if (masked && !maskedVisibleTo(record, recordDecision.emergency))
        return { allowed: false, reason: 'masked' };
      return recordDecision;
    }
  }
}

/**
 * Entries from a feed or an app are theirs: the patient masks them, never rewrites them, and an app never rewrites
 * what the patient or the insurer wrote. (Who may write the part at all is `decideProfile`'s.)
 */
export function mayEditProfileEntry(principal: Principal, source: 'patient' | 'insurer' | 'app'): boolean {
  if (principal.kind === 'patient') return source === 'patient';
  if (principal.kind === 'app') return source === 'app';
  return true;
}
