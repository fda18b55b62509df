import type { ProfessionalPrincipal, PatientPrincipal } from '../access/index.ts';
import type { Ins, NationalProfessionalId, PatientId, ProfessionCode, Rpps } from '../identity/index.ts';

/** A doctor (emergency accesses are per patient: rows of `emergency_accesses`, see `appendAudit`). */
export function doctor(): ProfessionalPrincipal {
  return {
    kind: 'professional',
    professionalId: 'pro-1',
    nationalId: '810001000115' as NationalProfessionalId,
    rpps: '10001000115' as Rpps,
    professionCode: '10' as ProfessionCode,
    specialtyCode: undefined,
    givenName: 'Marie',
    familyName: 'CURIE',
    signIn: { regulator: false, declaredEmergency: undefined },
    structure: undefined,
  };
}

export function patient(patientId: PatientId): PatientPrincipal {
  return { kind: 'patient', patientId, ins: '268057505611212' as Ins, actsFor: [patientId] };
}
