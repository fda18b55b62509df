import type {
  Ins,
  NationalProfessionalId,
  PatientId,
  ProfessionCode,
  Rpps,
  SpecialtyCode,
} from '../identity/index.ts';

/**
 * Who is asking. Built at the edge (session cookie or bearer token) and handed to the access policy;
 * never built from request bodies.
 */
export type Principal = ProfessionalPrincipal | PatientPrincipal;

export interface ProfessionalPrincipal {
  readonly kind: 'professional';
  readonly professionalId: string;
  readonly nationalId: NationalProfessionalId;
  readonly rpps: Rpps | undefined;
  readonly professionCode: ProfessionCode;
  readonly specialtyCode: SpecialtyCode | undefined;
  readonly givenName: string;
  readonly familyName: string;
  /** Access mode claimed for this session (Pro Santé Connect `Mode_Acces_Raison` etc.); `normal` by default. */
  readonly accessMode: 'normal' | 'bris-de-glace' | 'centre-de-regulation';
}

export interface PatientPrincipal {
  readonly kind: 'patient';
  /** The signed-in person (owner of the account). */
  readonly patientId: PatientId;
  readonly ins: Ins;
  /** Profiles this person may act for: their own and the minors they legally represent. */
  readonly actsFor: readonly PatientId[];
}
