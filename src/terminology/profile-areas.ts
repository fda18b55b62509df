/**
 * The parts of the patient's medical profile (docs/features.md, "Medical profile"), and "Mon histoire de santé" (the
 * Assurance Maladie's reimbursed care), which the patient masks and the policy decides on the same way.
 */
export const profileSections = [
  'treatments',
  'allergies',
  'conditions',
  'hospitalisations',
  'disabilities',
  'family-history',
  'vaccinations',
  'measurements',
  'lifestyle',
  'contacts',
  'wishes',
  'blood-group',
] as const;
export type ProfileSection = (typeof profileSections)[number];

export type ProfileArea = ProfileSection | 'care-history';

export const profileAreaLabels: Record<ProfileArea, string> = {
  treatments: 'Traitements',
  allergies: 'Allergies',
  conditions: 'Maladies et antécédents',
  hospitalisations: 'Hospitalisations',
  disabilities: 'Handicaps',
  'family-history': 'Antécédents familiaux',
  vaccinations: 'Vaccinations',
  measurements: 'Mesures',
  lifestyle: 'Habitudes de vie',
  contacts: 'Contacts',
  wishes: 'Volontés (don d’organes)',
  'blood-group': 'Groupe sanguin',
  'care-history': 'Histoire de santé (soins remboursés)',
};

export const isProfileSection = (value: string): value is ProfileSection =>
  (profileSections as readonly string[]).includes(value);

export const isProfileArea = (value: string): value is ProfileArea =>
  value === 'care-history' || isProfileSection(value);
