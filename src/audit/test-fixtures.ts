import type { ProfessionalPrincipal, PatientPrincipal } from '../access/principal.ts';
import type { Ins, NationalProfessionalId, PatientId, ProfessionCode, Rpps } from '../identity/index.ts';

/** A doctor in normal mode, or in the given emergency mode. */
export function doctor(
  mode: ProfessionalPrincipal['access']['mode'] = 'normal',
  reason?: string,
): ProfessionalPrincipal {
  return {
    kind: 'professional',
    professionalId: 'pro-1',
    nationalId: '810001000115' as NationalProfessionalId,
    rpps: '10001000115' as Rpps,
    professionCode: '10' as ProfessionCode,
    specialtyCode: undefined,
    givenName: 'Marie',
    familyName: 'CURIE',
    access: { mode, reason },
    structure: undefined,
  };
}

export function patient(patientId: PatientId): PatientPrincipal {
  return { kind: 'patient', patientId, ins: '268057505611212' as Ins, actsFor: [patientId] };
}
