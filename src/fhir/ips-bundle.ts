import type {
  AllergyIntolerance,
  Bundle,
  BundleEntry,
  CodeableConcept,
  Composition,
  CompositionSection,
  Condition,
  Device,
  Immunization,
  MedicationStatement,
  Patient,
  Observation,
  Procedure,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import { toPatientResource } from './patient-resource.ts';
import { type VsmCode, type VsmCodeSystem, normalizeLine } from '../vsm/index.ts';
import { IPS_TITLE, IPS_TYPE_CODE, type IpsImmunization, type IpsInput, type IpsItem } from '../ips/index.ts';

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';

/**
 * FHIR systems of the VSM code systems: the ANS terminology server's URLs for the French lists (CIM-10, CCAM), the
 * HL7 ones elsewhere; the CIS has no FHIR URL of its own, so its OID.
 */
export const codeSystemUrls: Record<VsmCodeSystem, string> = {
  'CIM-10': 'https://smt.esante.gouv.fr/terminologie-cim-10',
  CCAM: 'https://smt.esante.gouv.fr/terminologie-ccam',
  ATC: 'http://www.whocc.no/atc',
  CIS: 'urn:oid:1.2.250.1.213.2.3.1',
  EDQM: 'http://standardterms.edqm.eu',
  LOINC,
  'SNOMED CT': 'http://snomed.info/sct',
};

/** The HL7 IPS Composition sections (LOINC code, title), in the order of the IPS guide. */
const ipsSections = {
  problems: ['11450-4', 'Problem list', 'Problèmes actifs'],
  allergies: ['48765-2', 'Allergies and adverse reactions', 'Allergies et intolérances'],
  medications: ['10160-0', 'History of Medication use', 'Traitements'],
  immunizations: ['11369-6', 'History of Immunization', 'Vaccinations'],
  procedures: ['47519-4', 'History of Procedures', 'Historique des actes'],
  vitalSigns: ['8716-3', 'Vital signs', 'Signes vitaux et mesures'],
  pastIllnesses: ['11348-0', 'History of Past illness', 'Antécédents'],
  planOfCare: ['18776-5', 'Plan of care', 'Plan de soins'],
  socialHistory: ['29762-2', 'Social history', 'Mode de vie'],
  advanceDirectives: ['42348-3', 'Advance directives', 'Directives anticipées'],
} as const;
type IpsSectionKey = keyof typeof ipsSections;

/** Sections the IPS requires: present even when empty, with an emptyReason. */
const requiredSections: ReadonlySet<IpsSectionKey> = new Set(['problems', 'allergies', 'medications']);

const escapeHtml = (text: string) =>
  normalizeLine(text).replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!,
  );

const narrative = (lines: readonly string[]) => ({
  status: 'generated' as const,
  div: `<div xmlns="http://www.w3.org/1999/xhtml"><ul>${lines
    .map((l) => `<li>${escapeHtml(l)}</li>`)
    .join('')}</ul></div>`,
});

const coding = (code: VsmCode) => ({
  system: codeSystemUrls[code.system],
  code: code.code,
  display: code.display,
});

/** The item's concept: its code where known, its words always. */
const concept = (item: { text: string; code?: VsmCode }): CodeableConcept =>
  item.code ? { coding: [coding(item.code)], text: item.text } : { text: item.text };

const clinical = (system: string, code: string): CodeableConcept => ({
  coding: [{ system: `http://terminology.hl7.org/CodeSystem/${system}`, code }],
});

/** `YYYY-MM-DD` etc. are FHIR dates as they are; an ISO instant keeps its day (what the summary needs). */
const day = (date: string) => date.slice(0, 10);

interface Built {
  readonly entries: BundleEntry[];
  readonly sections: CompositionSection[];
}

/**
 * The IPS as a FHIR R4 document Bundle shaped like the HL7 IPS: Composition first (LOINC 60591-5, the IPS section
 * codes, entries or an emptyReason for the required sections), the Patient, the software that assembled it
 * (Device), then one resource per item: Condition (CIM-10), MedicationStatement (ATC), AllergyIntolerance,
 * Immunization, Procedure (CCAM), Observation (LOINC/UCUM). What the patient stated is asserted by the patient.
 */
export function buildIpsBundle(input: IpsInput, fhirBase: string): Bundle {
  const { content, patient } = input;
  const patientUrl = `${fhirBase}/Patient/${patient.id}`;
  const subject: Reference<Patient> = { reference: patientUrl };
  const built: Built = { entries: [], sections: [] };
  const add = (resource: Resource): Reference => {
    const fullUrl = `urn:uuid:${crypto.randomUUID()}`;
    built.entries.push({ fullUrl, resource });
    return { reference: fullUrl };
  };
  const reporter = (item: { reportedBy?: string }) => (item.reportedBy === 'patient' ? subject : undefined);
  const section = (key: IpsSectionKey, lines: readonly string[], entries: readonly Reference[] = []) => {
    const [code, display, title] = ipsSections[key];
    if (lines.length === 0 && !requiredSections.has(key)) return;
    built.sections.push({
      title,
      code: { coding: [{ system: LOINC, code, display }] },
      ...(lines.length > 0
        ? { text: narrative(lines), ...(entries.length > 0 ? { entry: [...entries] } : {}) }
        : {
            text: narrative(['Pas d’information disponible.']),
            emptyReason: {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/list-empty-reason',
                  code: 'unavailable',
                  display: 'Unavailable',
                },
              ],
            },
          }),
    });
  };
  const lineOf = (item: IpsItem | IpsImmunization) =>
    item.reportedBy === 'patient' ? `${item.text} (déclaré par le patient)` : item.text;

  const condition = (item: IpsItem, resolved: boolean): Condition => {
    const asserter = reporter(item);
    return {
      resourceType: 'Condition',
      clinicalStatus: clinical('condition-clinical', resolved ? 'resolved' : 'active'),
      category: [clinical('condition-category', 'problem-list-item')],
      code: concept(item),
      subject,
      ...(item.start ? { onsetDateTime: item.start } : {}),
      ...(resolved && item.end ? { abatementDateTime: item.end } : {}),
      ...(asserter ? { asserter } : {}),
    };
  };
  section(
    'problems',
    content.problems.map(lineOf),
    content.problems.map((i) => add(condition(i, false))),
  );

  const allergy = (item: IpsItem): AllergyIntolerance => {
    const asserter = reporter(item);
    return {
      resourceType: 'AllergyIntolerance',
      clinicalStatus: clinical('allergyintolerance-clinical', 'active'),
      ...(item.category ? { category: [item.category] } : {}),
      ...(item.severity ? { criticality: item.severity === 'severe' ? 'high' : 'low' } : {}),
      code: concept(item),
      patient: subject,
      ...(item.start ? { onsetDateTime: item.start } : {}),
      ...(asserter ? { asserter } : {}),
      ...(item.reaction
        ? {
            reaction: [
              {
                manifestation: [{ text: item.reaction }],
                ...(item.severity ? { severity: item.severity } : {}),
              },
            ],
          }
        : {}),
    };
  };
  section(
    'allergies',
    content.allergies.map(lineOf),
    content.allergies.map((i) => add(allergy(i))),
  );

  const medication = (item: IpsItem): MedicationStatement => {
    const informationSource = reporter(item);
    const ended = item.end !== undefined && item.end < input.generatedAt.toISOString().slice(0, 10);
    return {
      resourceType: 'MedicationStatement',
      status: ended ? 'completed' : 'active',
      medicationCodeableConcept: concept(
        item.code?.system === 'ATC' || !item.product ? item : { ...item, code: item.product },
      ),
      subject,
      ...(item.start || item.end
        ? {
            effectivePeriod: {
              ...(item.start ? { start: item.start } : {}),
              ...(item.end ? { end: item.end } : {}),
            },
          }
        : {}),
      ...(informationSource ? { informationSource } : {}),
      ...(item.dosage || item.route
        ? {
            dosage: [
              {
                ...(item.dosage ? { text: item.dosage } : {}),
                ...(item.route ? { route: concept({ text: item.route.display, code: item.route }) } : {}),
              },
            ],
          }
        : {}),
    };
  };
  section(
    'medications',
    content.medications.map(lineOf),
    content.medications.map((i) => add(medication(i))),
  );

  const immunization = (item: IpsImmunization): Immunization => ({
    resourceType: 'Immunization',
    status: 'completed',
    vaccineCode: item.atc
      ? { coding: [{ system: codeSystemUrls.ATC, ...item.atc }], text: item.text }
      : { text: item.text },
    patient: subject,
    occurrenceDateTime: item.date,
    primarySource: false,
    ...(item.reportedBy
      ? {
          reportOrigin: {
            text:
              item.reportedBy === 'patient'
                ? 'Déclaré par le patient'
                : (item.reporterName ?? item.reportedBy),
          },
        }
      : {}),
    ...(item.lot ? { lotNumber: item.lot } : {}),
    ...(item.performer ? { performer: [{ actor: { display: item.performer } }] } : {}),
    ...(item.doseLabel ? { protocolApplied: [{ doseNumberString: item.doseLabel }] } : {}),
  });
  section(
    'immunizations',
    content.immunizations.map((i) => `${lineOf(i)} — ${i.date}`),
    content.immunizations.map((i) => add(immunization(i))),
  );

  const procedure = (item: IpsItem): Procedure => ({
    resourceType: 'Procedure',
    status: 'completed',
    code: concept(item),
    subject,
    ...(item.start ? { performedDateTime: item.start } : {}),
    ...(reporter(item) ? { asserter: subject } : {}),
  });
  section(
    'procedures',
    content.procedures.map(lineOf),
    content.procedures.map((i) => add(procedure(i))),
  );

  const observation = (item: IpsItem, category: 'vital-signs' | 'social-history'): Observation => ({
    resourceType: 'Observation',
    status: 'final',
    category: [clinical('observation-category', category)],
    code: concept(item),
    subject,
    ...(item.start ? { effectiveDateTime: day(item.start) } : {}),
    ...(item.value && 'quantity' in item.value
      ? {
          valueQuantity: {
            value: item.value.quantity,
            unit: item.value.unit,
            system: UCUM,
            code: item.value.unit,
          },
        }
      : item.value
        ? { valueString: item.value.text }
        : category === 'social-history'
          ? { valueString: item.text }
          : {}),
    ...(reporter(item) ? { performer: [subject] } : {}),
  });
  section(
    'vitalSigns',
    content.vitalSigns.map(lineOf),
    content.vitalSigns.map((i) => add(observation(i, 'vital-signs'))),
  );
  section(
    'pastIllnesses',
    content.pastIllnesses.map(lineOf),
    content.pastIllnesses.map((i) => add(condition(i, true))),
  );
  section('planOfCare', content.planOfCare);
  section(
    'socialHistory',
    content.socialHistory.map(lineOf),
    content.socialHistory.map((i) => add(observation(i, 'social-history'))),
  );
  section('advanceDirectives', content.advanceDirectives);

  const deviceUrl = `urn:uuid:${crypto.randomUUID()}`;
  const device: Device = {
    resourceType: 'Device',
    deviceName: [{ name: 'Carnet — synthèse IPS-FR', type: 'user-friendly-name' }],
  };
  const composition: Composition = {
    resourceType: 'Composition',
    status: 'final',
    type: { coding: [{ system: LOINC, code: IPS_TYPE_CODE, display: 'Patient summary Document' }] },
    subject,
    date: input.generatedAt.toISOString(),
    author: [{ reference: deviceUrl }],
    title: IPS_TITLE,
    confidentiality: 'N',
    ...(input.sourceVsm
      ? {
          attester: [
            {
              mode: 'professional',
              time: input.sourceVsm.createdAt,
              party: { display: input.sourceVsm.authorName },
            },
          ],
        }
      : {}),
    section: built.sections,
  };
  return {
    resourceType: 'Bundle',
    identifier: { system: 'urn:ietf:rfc:3986', value: `urn:oid:${input.documentOid}` },
    type: 'document',
    timestamp: input.generatedAt.toISOString(),
    entry: [
      { fullUrl: `urn:uuid:${crypto.randomUUID()}`, resource: composition },
      { fullUrl: patientUrl, resource: toPatientResource(patient) },
      { fullUrl: deviceUrl, resource: device },
      ...built.entries,
    ],
  };
}
