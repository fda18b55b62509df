// Test builders for the record policy (used by record-policy and document-filter tests).
import type {
  Ins,
  NationalProfessionalId,
  PatientId,
  ProfessionCode,
  SpecialtyCode,
} from '../identity/index.ts';
import type { AppPrincipal, AppPurpose, PatientPrincipal, ProfessionalPrincipal } from './principal.ts';
import { scopesOfPurposes } from '../catalogue/index.ts';
import {
  defaultRecordSettings,
  type DocumentFacts,
  type EmergencyAccess,
  type ProfessionalRelation,
  type RecordContext,
} from './record-policy.ts';

export const patientA = 'patient-a' as PatientId;
export const childB = 'child-b' as PatientId;

export function professional(
  professionCode: ProfessionCode,
  options: { id?: string; specialty?: SpecialtyCode; regulator?: boolean } = {},
): ProfessionalPrincipal {
  const id = options.id ?? `8100000000${professionCode}`;
  return {
    kind: 'professional',
    professionalId: `pro-${id}`,
    nationalId: id as NationalProfessionalId,
    rpps: undefined,
    professionCode,
    specialtyCode: options.specialty,
    givenName: 'Camille',
    familyName: 'Martin',
    signIn: { regulator: options.regulator ?? false, declaredEmergency: undefined },
    structure: undefined,
  };
}

export function patient(patientId: PatientId, actsFor: PatientId[] = [patientId]): PatientPrincipal {
  return { kind: 'patient', patientId, ins: `ins-${patientId}` as Ins, actsFor };
}

/** A connected app holding a grant for `patientId` with these purposes (their v1 scopes, unless `scopes`). */
export function appFor(
  patientId: PatientId,
  purposes: AppPurpose[],
  scopes: string[] = scopesOfPurposes(purposes),
): AppPrincipal {
  return {
    kind: 'app',
    serviceId: 'glucosuivi',
    serviceName: 'GlucoSuivi',
    grantId: 'grant-1',
    patientId,
    purposes,
    scopes,
  };
}

/** The asking professional's emergency access to the record's patient (`RecordContext.emergency`). */
export const briseDeGlace = (reason: string | undefined): EmergencyAccess => ({
  mode: 'bris-de-glace',
  reason,
  endsAt: '2999-01-01T00:00:00.000Z',
});
export const regulation: EmergencyAccess = {
  mode: 'centre-de-regulation',
  reason: undefined,
  endsAt: '2999-01-01T00:00:00.000Z',
};

export const consented: ProfessionalRelation = { blocked: false, administrator: false, consent: true };

export function record(overrides: Partial<RecordContext> = {}): RecordContext {
  return {
    patientId: patientA,
    profileState: 'activated',
    patientIsMinor: false,
    settings: defaultRecordSettings,
    relation: consented,
    ...overrides,
  };
}

export function doc(overrides: Partial<DocumentFacts> = {}): DocumentFacts {
  return {
    typeCode: '11488-4',
    status: 'current',
    masked: false,
    invisiblePatient: false,
    invisibleRepresentatives: false,
    authorNationalId: '8999999999',
    authorPatientId: undefined,
    ...overrides,
  };
}
