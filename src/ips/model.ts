import type { InsuredPerson } from '../insured/index.ts';
import type { VsmItem } from '../vsm/index.ts';

/**
 * The International Patient Summary as Carnet assembles it (CI-SIS IPS-FR 2024.01, HL7 IPS): what the patient's
 * profile and latest VSM say, section by section, before it becomes a CDA document or a FHIR Bundle. Items are VSM
 * coded items (text always, a code where known); `reportedBy` says who stated an item when it is not a clinician.
 */
export type IpsReporter = 'patient' | 'insurer' | 'app';

export type IpsItem = VsmItem & {
  /** Absent: from the VSM, written by a doctor. */
  readonly reportedBy?: IpsReporter;
  /** The reporter's name when it is not the patient (an app, the Assurance Maladie). */
  readonly reporterName?: string;
  /** Allergies from the profile: what kind of agent. */
  readonly category?: 'medication' | 'food' | 'environment' | 'biologic';
};

export interface IpsImmunization {
  /** The vaccine as named (French label). */
  readonly text: string;
  /** ATC class of the vaccine, when one fits. */
  readonly atc?: { readonly code: string; readonly display: string };
  /** YYYY-MM-DD. */
  readonly date: string;
  readonly lot?: string;
  readonly doseLabel?: string;
  readonly performer?: string;
  readonly reportedBy?: IpsReporter;
  readonly reporterName?: string;
}

export interface IpsContent {
  /** Active problems (CIM-10). */
  readonly problems: readonly IpsItem[];
  /** History of past illness: resolved problems and personal history (CIM-10). */
  readonly pastIllnesses: readonly IpsItem[];
  /** Procedures and hospitalisations (CCAM). */
  readonly procedures: readonly IpsItem[];
  /** Allergies and intolerances (ATC, SNOMED CT). */
  readonly allergies: readonly IpsItem[];
  /** Long-term medication (ATC). */
  readonly medications: readonly IpsItem[];
  readonly immunizations: readonly IpsImmunization[];
  /** Vital signs and measurements (LOINC, UCUM). */
  readonly vitalSigns: readonly IpsItem[];
  /** Lifestyle (tobacco, alcohol…). */
  readonly socialHistory: readonly IpsItem[];
  /** Where the advance directives are, organ donation: lines of text. */
  readonly advanceDirectives: readonly string[];
  /** The VSM's therapeutic project: lines of text. */
  readonly planOfCare: readonly string[];
}

export function emptyIpsContent(): IpsContent {
  return {
    problems: [],
    pastIllnesses: [],
    procedures: [],
    allergies: [],
    medications: [],
    immunizations: [],
    vitalSigns: [],
    socialHistory: [],
    advanceDirectives: [],
    planOfCare: [],
  };
}

/** The patient the summary is about: the insured person (Carnet's id is the FHIR Patient id). */
export type IpsPatient = InsuredPerson;

/** What either form of the summary is made from. */
export interface IpsInput {
  /** OID of this document (CDA id, FHIR Bundle identifier). */
  readonly documentOid: string;
  readonly generatedAt: Date;
  readonly patient: IpsPatient;
  readonly content: IpsContent;
  /** The VSM the clinical part comes from, when there is one: its author is the summary's clinical source. */
  readonly sourceVsm?: { readonly authorName: string; readonly createdAt: string };
}
