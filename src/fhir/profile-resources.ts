/**
 * The medical profile's entries as FHIR R4 resources (docs/features.md, "Medical profile"): each section has one
 * resource type, built on demand from the sealed entry; the resource id is the entry id.
 */
import type {
  AllergyIntolerance,
  CodeableConcept,
  Condition,
  Encounter,
  FamilyMemberHistory,
  Immunization,
  MedicationStatement,
  Meta,
  Observation,
  Quantity,
  RelatedPerson,
  Resource,
} from '@medplum/fhirtypes';
import {
  DIASTOLIC_LOINC,
  SYSTOLIC_LOINC,
  measurementKinds,
  vaccineAtcCodes,
  type CodedTerm,
  type ProfileEntry,
  type ProfileSection,
  type SectionData,
} from '../medical-profile/index.ts';

export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
const ATC = 'http://www.whocc.no/atc';
/** The ANS canonical URL of CIM-10 (urn:oid:2.16.840.1.113883.6.3). */
export const CIM_10 = 'https://smt.esante.gouv.fr/terminologie-cim-10';
const SNOMED_CT = 'http://snomed.info/sct';
const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const VITAL_SIGNS_PROFILE = 'http://hl7.org/fhir/StructureDefinition/vitalsigns';
const CARNET_CS = 'https://carnet.example.org/fhir/CodeSystem';
export const BLOOD_GROUP_LOINC = '882-1';

export type ProfileResourceType =
  | 'MedicationStatement'
  | 'AllergyIntolerance'
  | 'Condition'
  | 'Encounter'
  | 'FamilyMemberHistory'
  | 'Immunization'
  | 'Observation'
  | 'RelatedPerson';

export const sectionResourceType: Record<ProfileSection, ProfileResourceType> = {
  treatments: 'MedicationStatement',
  allergies: 'AllergyIntolerance',
  conditions: 'Condition',
  disabilities: 'Condition',
  hospitalisations: 'Encounter',
  'family-history': 'FamilyMemberHistory',
  vaccinations: 'Immunization',
  measurements: 'Observation',
  lifestyle: 'Observation',
  'blood-group': 'Observation',
  wishes: 'Observation',
  contacts: 'RelatedPerson',
};

export const profileResourceTypes = [...new Set(Object.values(sectionResourceType))];

/** Types whose `code` search means something (Encounter and RelatedPerson carry no clinical code). */
export const codeSearchTypes: ReadonlySet<ProfileResourceType> = new Set([
  'Observation',
  'Condition',
  'AllergyIntolerance',
  'MedicationStatement',
  'Immunization',
  'FamilyMemberHistory',
]);

/** The sections a resource type is made of. */
export function sectionsOfType(type: ProfileResourceType): ProfileSection[] {
  return (Object.keys(sectionResourceType) as ProfileSection[]).filter(
    (s) => sectionResourceType[s] === type,
  );
}

const text = (value: string): CodeableConcept => ({ text: value });
const coded = (system: string, code: string, display: string): CodeableConcept => ({
  coding: [{ system, code, display }],
  text: display,
});
/** What the patient wrote, with the code they picked when they did: the text stays what a reader sees first. */
const withCode = (words: string, system: string, term: CodedTerm | undefined): CodeableConcept =>
  term ? { coding: [{ system, code: term.code, display: term.display }], text: words } : text(words);
const sourceLabel = (entry: ProfileEntry) =>
  entry.source === 'patient' ? 'Déclaré par le patient' : (entry.sourceName ?? entry.source);

function base<T extends ProfileResourceType>(entry: ProfileEntry, resourceType: T) {
  const meta: Meta = {
    lastUpdated: entry.updatedAt,
    tag: [{ system: `${CARNET_CS}/profile-source`, code: entry.source, display: sourceLabel(entry) }],
  };
  return { resourceType, id: entry.id, meta } as const;
}

const patientRef = (entry: ProfileEntry) => ({ reference: `Patient/${entry.patientId}` });

const quantity = (value: number, kind: keyof typeof measurementKinds): Quantity => ({
  value,
  unit: measurementKinds[kind].unitLabel,
  system: UCUM,
  code: measurementKinds[kind].unit,
});

function treatment(entry: ProfileEntry, d: SectionData['treatments']): MedicationStatement {
  const ongoing = !d.endDate || d.endDate >= entry.updatedAt.slice(0, 10);
  return {
    ...base(entry, 'MedicationStatement'),
    status: ongoing ? 'active' : 'completed',
    medicationCodeableConcept: withCode(d.medication, ATC, d.atc),
    subject: patientRef(entry),
    ...(d.startDate || d.endDate
      ? {
          effectivePeriod: {
            ...(d.startDate && { start: d.startDate }),
            ...(d.endDate && { end: d.endDate }),
          },
        }
      : {}),
    dateAsserted: entry.recordedAt,
    informationSource: patientRef(entry),
    ...(d.reason ? { reasonCode: [text(d.reason)] } : {}),
    ...(d.dosage ? { dosage: [{ text: d.dosage }] } : {}),
  };
}

const allergyCriticality = { mild: 'low', moderate: 'low', severe: 'high' } as const;

function allergy(entry: ProfileEntry, d: SectionData['allergies']): AllergyIntolerance {
  return {
    ...base(entry, 'AllergyIntolerance'),
    clinicalStatus: coded(
      'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
      'active',
      'Active',
    ),
    category: [d.category],
    ...(d.severity ? { criticality: allergyCriticality[d.severity] } : {}),
    code: withCode(d.substance, d.code?.system === 'SNOMED CT' ? SNOMED_CT : ATC, d.code),
    patient: patientRef(entry),
    ...(d.since ? { onsetDateTime: d.since } : {}),
    recordedDate: entry.recordedAt,
    ...(d.reaction || d.severity
      ? {
          reaction: [
            {
              manifestation: [text(d.reaction ?? 'Réaction non précisée')],
              ...(d.severity ? { severity: d.severity } : {}),
            },
          ],
        }
      : {}),
  };
}

function condition(
  entry: ProfileEntry,
  d: SectionData['conditions'] | SectionData['disabilities'],
): Condition {
  const resolvedOn = 'resolvedOn' in d ? d.resolvedOn : undefined;
  const category =
    entry.section === 'disabilities'
      ? coded(`${CARNET_CS}/condition-category`, 'disability', 'Handicap')
      : coded(
          'http://terminology.hl7.org/CodeSystem/condition-category',
          'problem-list-item',
          'Problem List Item',
        );
  return {
    ...base(entry, 'Condition'),
    clinicalStatus: coded(
      'http://terminology.hl7.org/CodeSystem/condition-clinical',
      resolvedOn ? 'resolved' : 'active',
      resolvedOn ? 'Resolved' : 'Active',
    ),
    category: [category],
    code: withCode(d.label, CIM_10, 'cim10' in d ? d.cim10 : undefined),
    subject: patientRef(entry),
    ...(d.since ? { onsetDateTime: d.since } : {}),
    ...(resolvedOn ? { abatementDateTime: resolvedOn } : {}),
    recordedDate: entry.recordedAt,
    ...(d.note ? { note: [{ text: d.note }] } : {}),
  };
}

function hospitalisation(entry: ProfileEntry, d: SectionData['hospitalisations']): Encounter {
  return {
    ...base(entry, 'Encounter'),
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP', display: 'inpatient' },
    subject: patientRef(entry),
    period: { start: d.startDate, ...(d.endDate ? { end: d.endDate } : {}) },
    reasonCode: [text(d.reason)],
    ...(d.place ? { serviceProvider: { display: d.place } } : {}),
  };
}

const relationCodes = {
  mother: ['MTH', 'mother'],
  father: ['FTH', 'father'],
  sibling: ['SIB', 'sibling'],
  grandparent: ['GRPRN', 'grandparent'],
  child: ['CHILD', 'child'],
  'uncle-aunt': ['AUNT', 'aunt'],
  other: ['FAMMEMB', 'family member'],
} as const;

function familyHistory(entry: ProfileEntry, d: SectionData['family-history']): FamilyMemberHistory {
  const [code, display] = relationCodes[d.relation];
  return {
    ...base(entry, 'FamilyMemberHistory'),
    status: 'completed',
    patient: patientRef(entry),
    relationship: coded('http://terminology.hl7.org/CodeSystem/v3-RoleCode', code, display),
    condition: [
      {
        code: withCode(d.condition, CIM_10, d.cim10),
        ...(d.ageAtOnset !== undefined
          ? { onsetAge: { value: d.ageAtOnset, unit: 'ans', system: UCUM, code: 'a' } }
          : {}),
        ...(d.note ? { note: [{ text: d.note }] } : {}),
      },
    ],
  };
}

function immunization(entry: ProfileEntry, d: SectionData['vaccinations']): Immunization {
  const atc = vaccineAtcCodes[d.vaccineCode];
  return {
    ...base(entry, 'Immunization'),
    status: 'completed',
    vaccineCode: {
      coding: [
        ...(atc ? [{ system: ATC, code: atc }] : []),
        { system: `${CARNET_CS}/vaccine`, code: d.vaccineCode, display: d.vaccine },
      ],
      text: d.vaccine,
    },
    patient: patientRef(entry),
    occurrenceDateTime: d.date,
    recorded: entry.recordedAt,
    primarySource: false,
    reportOrigin: text(sourceLabel(entry)),
    ...(d.lot ? { lotNumber: d.lot } : {}),
    ...(d.performer ? { performer: [{ actor: { display: d.performer } }] } : {}),
    ...(d.doseLabel ? { protocolApplied: [{ doseNumberString: d.doseLabel }] } : {}),
  };
}

function observationBase(entry: ProfileEntry, category: string): Observation {
  return {
    ...base(entry, 'Observation'),
    status: 'final',
    category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: category }] }],
    code: { text: '' },
    subject: patientRef(entry),
  };
}

function measurement(entry: ProfileEntry, d: SectionData['measurements']): Observation {
  const info = measurementKinds[d.kind];
  const vital = info.category === 'vital-signs';
  const observation: Observation = {
    ...observationBase(entry, info.category),
    ...(vital ? { meta: { ...base(entry, 'Observation').meta, profile: [VITAL_SIGNS_PROFILE] } } : {}),
    code: { coding: [{ system: LOINC, code: info.loinc, display: info.loincDisplay }], text: info.label },
    effectiveDateTime: d.at,
  };
  if (d.kind === 'blood-pressure') {
    return {
      ...observation,
      component: [
        {
          code: { coding: [{ system: LOINC, code: SYSTOLIC_LOINC, display: 'Systolic blood pressure' }] },
          valueQuantity: quantity(d.value, d.kind),
        },
        {
          code: { coding: [{ system: LOINC, code: DIASTOLIC_LOINC, display: 'Diastolic blood pressure' }] },
          valueQuantity: quantity(d.value2 ?? 0, d.kind),
        },
      ],
    };
  }
  return { ...observation, valueQuantity: quantity(d.value, d.kind) };
}

const lifestyleCodes = {
  tobacco: ['72166-2', 'Tobacco smoking status', 'Tabac'],
  alcohol: ['11331-6', 'History of Alcohol use', 'Alcool'],
  'physical-activity': ['61686-2', 'Physical activity [Interpretation]', 'Activité physique'],
  diet: ['61144-2', 'Diet and nutrition Narrative', 'Alimentation'],
  sleep: ['93832-4', 'Sleep duration', 'Sommeil'],
  other: [undefined, undefined, 'Habitudes de vie'],
} as const;

function lifestyle(entry: ProfileEntry, d: SectionData['lifestyle']): Observation {
  const [code, display, label] = lifestyleCodes[d.topic];
  return {
    ...observationBase(entry, 'social-history'),
    code: code ? { coding: [{ system: LOINC, code, display }], text: label } : text(label),
    ...(d.since ? { effectivePeriod: { start: d.since } } : { effectiveDateTime: entry.recordedAt }),
    valueString: d.description,
  };
}

function bloodGroup(entry: ProfileEntry, d: SectionData['blood-group']): Observation {
  const value = `${d.abo}${d.rhesus === 'positive' ? '+' : '-'}`;
  return {
    ...observationBase(entry, 'laboratory'),
    code: {
      coding: [{ system: LOINC, code: BLOOD_GROUP_LOINC, display: 'ABO and Rh group [Type] in Blood' }],
      text: 'Groupe sanguin',
    },
    effectiveDateTime: entry.recordedAt,
    valueCodeableConcept: text(
      `${d.abo} Rhésus ${d.rhesus === 'positive' ? 'positif' : 'négatif'} (${value})`,
    ),
  };
}

function wish(entry: ProfileEntry, d: SectionData['wishes']): Observation {
  if (d.kind === 'organ-donation') {
    const label = d.choice === 'accept' ? 'Accepte le don d’organes' : 'Refuse le don d’organes';
    return {
      ...observationBase(entry, 'social-history'),
      code: coded(`${CARNET_CS}/profile-wish`, 'organ-donation', 'Don d’organes et de tissus'),
      effectiveDateTime: entry.updatedAt,
      valueCodeableConcept: coded(`${CARNET_CS}/organ-donation-choice`, d.choice, label),
      ...(d.note ? { note: [{ text: d.note }] } : {}),
    };
  }
  return {
    ...observationBase(entry, 'social-history'),
    code: coded(`${CARNET_CS}/profile-wish`, 'other', 'Volonté exprimée'),
    effectiveDateTime: entry.updatedAt,
    valueString: d.text,
  };
}

const contactRoleCodes = {
  emergency: ['C', 'Emergency Contact', 'Contact en cas d’urgence'],
  'trusted-person': ['TRUSTED', 'Personne de confiance', 'Personne de confiance'],
  caregiver: ['CAREGIVER', 'Caregiver', 'Aidant'],
} as const;

function contact(entry: ProfileEntry, d: SectionData['contacts']): RelatedPerson {
  const [code, display, label] = contactRoleCodes[d.role];
  const system =
    d.role === 'emergency'
      ? 'http://terminology.hl7.org/CodeSystem/v2-0131'
      : d.role === 'trusted-person'
        ? `${CARNET_CS}/contact-role`
        : 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';
  return {
    ...base(entry, 'RelatedPerson'),
    active: true,
    patient: patientRef(entry),
    relationship: [
      { coding: [{ system, code, display }], text: label },
      ...(d.relationship ? [text(d.relationship)] : []),
    ],
    name: [{ text: d.name }],
    ...(d.phone || d.email
      ? {
          telecom: [
            ...(d.phone ? [{ system: 'phone' as const, value: d.phone }] : []),
            ...(d.email ? [{ system: 'email' as const, value: d.email }] : []),
          ],
        }
      : {}),
  };
}

/** One entry as its FHIR resource. */
export function profileEntryToFhir(entry: ProfileEntry): Resource {
  switch (entry.section) {
    case 'treatments':
      return treatment(entry, entry.data as SectionData['treatments']);
    case 'allergies':
      return allergy(entry, entry.data as SectionData['allergies']);
    case 'conditions':
    case 'disabilities':
      return condition(entry, entry.data as SectionData['conditions']);
    case 'hospitalisations':
      return hospitalisation(entry, entry.data as SectionData['hospitalisations']);
    case 'family-history':
      return familyHistory(entry, entry.data as SectionData['family-history']);
    case 'vaccinations':
      return immunization(entry, entry.data as SectionData['vaccinations']);
    case 'measurements':
      return measurement(entry, entry.data as SectionData['measurements']);
    case 'lifestyle':
      return lifestyle(entry, entry.data as SectionData['lifestyle']);
    case 'blood-group':
      return bloodGroup(entry, entry.data as SectionData['blood-group']);
    case 'wishes':
      return wish(entry, entry.data as SectionData['wishes']);
    case 'contacts':
      return contact(entry, entry.data as SectionData['contacts']);
  }
}
