import type { PatientId } from '../identity/index.ts';
import type { ProfileSection } from '../terminology/index.ts';
import type { MeasurementKind } from './measurements.ts';
import type { AllergenSystem, CodedTerm } from './pick-lists.ts';
import type { VaccineCode } from './vaccines.ts';

/** Who wrote an entry: the patient (or their representative), the Assurance Maladie feed, a connected app. */
export type EntrySource = 'patient' | 'insurer' | 'app';

/** Dates the patient knows are calendar dates (YYYY-MM-DD); measurements carry an instant. */
export interface TreatmentData {
  /** What the patient typed or picked, as they read it. */
  medication: string;
  /** The substance's ATC code when the patient picked it from the list; free text has none. */
  atc?: CodedTerm;
  dosage?: string;
  reason?: string;
  startDate?: string;
  endDate?: string;
}

export const allergyCategories = ['medication', 'food', 'environment', 'biologic'] as const;
export type AllergyCategory = (typeof allergyCategories)[number];
export const allergySeverities = ['mild', 'moderate', 'severe'] as const;
export type AllergySeverity = (typeof allergySeverities)[number];

export interface AllergyData {
  substance: string;
  /** A drug's ATC code or another substance's SNOMED CT concept, when picked from the list. */
  code?: CodedTerm & { system: AllergenSystem };
  category: AllergyCategory;
  reaction?: string;
  severity?: AllergySeverity;
  since?: string;
}

export interface ConditionData {
  label: string;
  /** CIM-10, when picked from the list. */
  cim10?: CodedTerm;
  since?: string;
  /** Set when the disease is over (an antécédent rather than an active disease). */
  resolvedOn?: string;
  note?: string;
}

export interface HospitalisationData {
  reason: string;
  place?: string;
  startDate: string;
  endDate?: string;
}

export interface DisabilityData {
  label: string;
  since?: string;
  note?: string;
}

export const familyRelations = [
  'mother',
  'father',
  'sibling',
  'grandparent',
  'child',
  'uncle-aunt',
  'other',
] as const;
export type FamilyRelation = (typeof familyRelations)[number];

export interface FamilyHistoryData {
  relation: FamilyRelation;
  condition: string;
  /** CIM-10, when picked from the list. */
  cim10?: CodedTerm;
  ageAtOnset?: number;
  note?: string;
}

export interface VaccinationData {
  /** French label, as shown. */
  vaccine: string;
  vaccineCode: VaccineCode;
  /** YYYY-MM-DD. */
  date: string;
  lot?: string;
  doseLabel?: string;
  performer?: string;
}

export interface MeasurementData {
  kind: MeasurementKind;
  value: number;
  /** Diastolic pressure when kind is blood-pressure (value is the systolic). */
  value2?: number;
  /** UCUM unit of the kind (measurementKinds[kind].unit). */
  unit: string;
  /** ISO instant. */
  at: string;
}

export const lifestyleTopics = ['tobacco', 'alcohol', 'physical-activity', 'diet', 'sleep', 'other'] as const;
export type LifestyleTopic = (typeof lifestyleTopics)[number];

export interface LifestyleData {
  topic: LifestyleTopic;
  description: string;
  since?: string;
}

export const contactRoles = ['emergency', 'trusted-person', 'caregiver'] as const;
export type ContactRole = (typeof contactRoles)[number];

export interface ContactData {
  role: ContactRole;
  name: string;
  relationship?: string;
  phone?: string;
  email?: string;
}

export const organDonationChoices = ['accept', 'refuse'] as const;
export type OrganDonationChoice = (typeof organDonationChoices)[number];

/** Organ donation, and where the advance directives can be found (the directives themselves are a document). */
export type WishData =
  { kind: 'organ-donation'; choice: OrganDonationChoice; note?: string } | { kind: 'other'; text: string };

export const aboGroups = ['A', 'B', 'AB', 'O'] as const;
export type AboGroup = (typeof aboGroups)[number];

export interface BloodGroupData {
  abo: AboGroup;
  rhesus: 'positive' | 'negative';
}

export interface SectionData {
  treatments: TreatmentData;
  allergies: AllergyData;
  conditions: ConditionData;
  hospitalisations: HospitalisationData;
  disabilities: DisabilityData;
  'family-history': FamilyHistoryData;
  vaccinations: VaccinationData;
  measurements: MeasurementData;
  lifestyle: LifestyleData;
  contacts: ContactData;
  wishes: WishData;
  'blood-group': BloodGroupData;
}

export interface ProfileEntry<S extends ProfileSection = ProfileSection> {
  id: string;
  patientId: PatientId;
  section: S;
  data: SectionData[S];
  source: EntrySource;
  /** The source's own identifier of the entry (insurer line id, app record id); null for the patient's own. */
  sourceRef: string | null;
  /** Shown to the patient: 'Assurance Maladie', an app's name. */
  sourceName: string | null;
  recordedAt: string;
  updatedAt: string;
}

/** What a feed hands to addEntriesFromSource. */
export interface SourcedEntryInput {
  patientId: PatientId;
  section: ProfileSection;
  data: unknown;
  source: EntrySource;
  sourceRef: string;
  sourceName: string | null;
}
