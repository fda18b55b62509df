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
export type Principal =
  ProfessionalPrincipal | PatientPrincipal | InsurerPrincipal | AuditorPrincipal | AppPrincipal;

/**
 * How a professional reaches a record (docs/access.md, "Emergency access"): emergency modes need the patient's
 * opt-in.
 */
export type AccessMode = 'normal' | EmergencyMode;
export type EmergencyMode = 'bris-de-glace' | 'centre-de-regulation';

/** An emergency access asked for: the reason is required for bris de glace (traced, shown to the patient). */
export interface EmergencyRequest {
  readonly mode: EmergencyMode;
  readonly reason: string | undefined;
}

/** What the sign-in (Pro Santé Connect's claims) says about how the professional acts, beyond who they are. */
export interface ProfessionalSignIn {
  /** Acting as a SAMU regulator (centre 15): PSC `Acces_Regulation_Medicale`. Only a regulator uses that mode. */
  readonly regulator: boolean;
  /**
   * An emergency access a bearer token declares (PSC `Mode_Acces_Raison`, `Acces_Regulation_Medicale`). It is no
   * mode of the whole token: it opens an emergency access to the one patient a request concerns (src/record).
   */
  readonly declaredEmergency: EmergencyRequest | undefined;
}

export interface ProfessionalPrincipal {
  readonly kind: 'professional';
  readonly professionalId: string;
  readonly nationalId: NationalProfessionalId;
  readonly rpps: Rpps | undefined;
  readonly professionCode: ProfessionCode;
  readonly specialtyCode: SpecialtyCode | undefined;
  readonly givenName: string;
  readonly familyName: string;
  /** Regulator role and declared emergency of this session or token; emergency accesses are per patient. */
  readonly signIn: ProfessionalSignIn;
  /** Where they practise, as the identity provider says (author structure of their deposits). */
  readonly structure: { readonly nationalId: string; readonly name: string } | undefined;
}

export interface PatientPrincipal {
  readonly kind: 'patient';
  /** The signed-in person (owner of the account). */
  readonly patientId: PatientId;
  readonly ins: Ins;
  /** Profiles this person may act for: their own and the minors they legally represent. */
  readonly actsFor: readonly PatientId[];
}

/** The Assurance Maladie feeding reimbursement data and certificates (a system, not a person). */
export interface InsurerPrincipal {
  readonly kind: 'insurer';
}

/**
 * What a connected service may do, purpose by purpose, as the patient consented (docs/access.md, "Connected apps").
 * The codes are the catalogue's purposes; each stands for SMART scopes (src/catalogue/vocabulary.ts).
 */
export type AppPurpose =
  | 'read-documents'
  | 'read-profile'
  | 'read-measurements'
  | 'write-measurements'
  | 'read-agenda'
  | 'write-agenda';

/** A connected health service acting for one patient within the purposes the patient granted it. */
export interface AppPrincipal {
  readonly kind: 'app';
  readonly serviceId: string;
  readonly serviceName: string;
  readonly grantId: string;
  /** The one profile the grant covers (the patient's own, or a child's their representative connected). */
  readonly patientId: PatientId;
  readonly purposes: readonly AppPurpose[];
  /**
   * The SMART scopes of the grant, exactly as the app asked for them within the consented purposes
   * (`patient/Observation.c`, `patient/Appointment.read`…): which interactions each purpose allows it.
   */
  readonly scopes: readonly string[];
}

/** A person whose role is to audit access traces (facts: "nobody else does, except an auditor role"). */
export interface AuditorPrincipal {
  readonly kind: 'auditor';
  readonly id: string;
  readonly name: string;
}
