/**
 * The catalogue's fixed vocabulary: purposes (what a service may do with the patient's data, consented one
 * by one), categories (how patients browse) and statuses (the operator's decision about a service).
 */

export const purposeCodes = [
  'read-documents',
  'read-profile',
  'read-measurements',
  'write-measurements',
  'read-agenda',
  'write-agenda',
] as const;
export type PurposeCode = (typeof purposeCodes)[number];

export interface Purpose {
  readonly code: PurposeCode;
  /** What the patient reads on the service page and, later, on the consent screen. */
  readonly label: string;
  /**
   * The SMART on FHIR scopes (v1 syntax) this purpose grants. The connection flow consents purpose by
   * purpose; these scopes are what a token carries once the patient agreed.
   */
  readonly scopes: readonly string[];
}

export const purposes: readonly Purpose[] = [
  {
    code: 'read-documents',
    label: 'Consulter vos documents de santé',
    scopes: ['patient/DocumentReference.read'],
  },
  {
    code: 'read-profile',
    label: 'Consulter votre profil médical (allergies, maladies, traitements, vaccinations)',
    scopes: [
      'patient/AllergyIntolerance.read',
      'patient/Condition.read',
      'patient/MedicationStatement.read',
      'patient/Immunization.read',
    ],
  },
  {
    code: 'read-measurements',
    label: 'Consulter vos mesures de santé',
    scopes: ['patient/Observation.read'],
  },
  {
    code: 'write-measurements',
    label: 'Ajouter des mesures à votre profil médical',
    scopes: ['patient/Observation.write'],
  },
  { code: 'read-agenda', label: 'Consulter votre agenda médical', scopes: ['patient/Appointment.read'] },
  {
    code: 'write-agenda',
    label: 'Ajouter des rendez-vous à votre agenda',
    scopes: ['patient/Appointment.write'],
  },
];

/** Scopes any connected service may ask for besides those of its purposes: they reveal no health data. */
export const contextScopes: readonly string[] = ['launch/patient', 'openid', 'fhirUser', 'offline_access'];

export const categoryCodes = [
  'maladies-chroniques',
  'prevention',
  'activite-physique',
  'rendez-vous',
  'grossesse-parentalite',
  'medicaments',
  'sante-mentale',
] as const;
export type CategoryCode = (typeof categoryCodes)[number];

export const categoryLabels: Readonly<Record<CategoryCode, string>> = {
  'maladies-chroniques': 'Suivi des maladies chroniques',
  prevention: 'Prévention et bien-être',
  'activite-physique': 'Activité physique',
  'rendez-vous': 'Rendez-vous et téléconsultation',
  'grossesse-parentalite': 'Grossesse et parentalité',
  medicaments: 'Médicaments et traitements',
  'sante-mentale': 'Santé mentale et sommeil',
};

/**
 * online: browsable and connectable. offline: shown, temporarily unavailable on the editor's side (new
 * connections refused, existing ones kept). suspended: shown as unavailable, loses every access until
 * reinstated. dereferenced: withdrawn from the catalogue, hidden, loses every access.
 */
export const serviceStatuses = ['online', 'offline', 'suspended', 'dereferenced'] as const;
export type ServiceStatus = (typeof serviceStatuses)[number];

export const statusLabels: Readonly<Record<ServiceStatus, string>> = {
  online: 'En ligne',
  offline: 'Temporairement indisponible',
  suspended: 'Suspendu',
  dereferenced: 'Déréférencé',
};

export const isPurposeCode = (value: unknown): value is PurposeCode =>
  typeof value === 'string' && (purposeCodes as readonly string[]).includes(value);
export const isCategoryCode = (value: unknown): value is CategoryCode =>
  typeof value === 'string' && (categoryCodes as readonly string[]).includes(value);

export function purposeOf(code: PurposeCode): Purpose {
  return purposes.find((p) => p.code === code)!;
}

/** Every scope the given purposes grant, in a stable order, without duplicates. */
export function scopesOfPurposes(codes: readonly PurposeCode[]): string[] {
  return [...new Set(purposes.filter((p) => codes.includes(p.code)).flatMap((p) => p.scopes))];
}

/** The purposes whose scopes are all within `scopes`: what a set of granted scopes means to the patient. */
export function purposesOfScopes(scopes: readonly string[]): PurposeCode[] {
  return purposes.filter((p) => p.scopes.every((s) => scopes.includes(s))).map((p) => p.code);
}

/** A suspended or dereferenced service loses access at once; an offline one keeps its connections. */
export const statusKeepsAccess = (status: ServiceStatus): boolean =>
  status === 'online' || status === 'offline';

/** Only a service online accepts new connections. */
export const statusAcceptsConnections = (status: ServiceStatus): boolean => status === 'online';

/** Patients see every service but the dereferenced ones. */
export const statusIsBrowsable = (status: ServiceStatus): boolean => status !== 'dereferenced';
