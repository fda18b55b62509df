import { codeSystems } from '../../terminology/index.ts';

/**
 * The names readers know the clinical code systems of CDA entries by (ANS CI-SIS and IHE/HL7 OIDs). The document
 * systems of src/terminology (TRE_xx) complete them; a system known to neither keeps the document's own
 * `codeSystemName`, else its OID.
 */
const clinicalSystems: Readonly<Record<string, string>> = {
  '2.16.840.1.113883.6.1': 'LOINC',
  '2.16.840.1.113883.6.96': 'SNOMED CT',
  '2.16.840.1.113883.6.3': 'CIM-10',
  '2.16.840.1.113883.6.347': 'CIM-11',
  '2.16.840.1.113883.6.73': 'ATC',
  '2.16.840.1.113883.6.8': 'UCUM',
  '2.16.840.1.113883.6.139': 'CISP-2',
  '2.16.840.1.113883.6.254': 'CIF',
  '1.2.250.1.213.2.5': 'CCAM',
  '1.2.250.1.215.300.1': 'CCAM',
  '1.2.250.1.213.2.3.1': 'CIS',
  '1.2.250.1.213.2.3.2': 'CIP',
  '1.2.250.1.213.2.12': 'SNOMED 3.5',
  '1.2.250.1.213.2.9': 'DRC',
  '1.2.250.1.213.2.49': 'ORPHANET',
  '1.2.250.1.213.2.65': 'CLADIMED',
  '1.2.250.1.213.2.68': 'EMDN',
  '1.2.250.1.215.200.2.1': 'LPP',
  '0.4.0.127.0.16.1.1.2.1': 'EDQM',
  '1.2.250.1.213.1.1.4.322': 'TA_ASIP',
  '2.16.840.1.113883.5.4': 'HL7 ActCode',
  '2.16.840.1.113883.5.7': 'HL7 ActPriority',
  '2.16.840.1.113883.5.83': 'HL7 ObservationInterpretation',
  '2.16.840.1.113883.5.111': 'HL7 RoleCode',
  '2.16.840.1.113883.5.1': 'HL7 AdministrativeGender',
  '2.16.840.1.113883.4.642.4.1373': 'HL7 AllergyIntoleranceClinicalStatus',
  '2.16.840.1.113883.4.642.1.1074': 'HL7 ConditionClinicalStatus',
  '2.16.840.1.113883.4.642.1.1075': 'HL7 ConditionVerificationStatus',
};

const documentSystems = new Map(codeSystems.flatMap((s) => (s.oid ? [[s.oid, s.name] as const] : [])));

/** The name a reader knows a code system by, from its OID (or the document's own name for it). */
export function codeSystemName(
  oid: string | undefined,
  documentName: string | undefined,
): string | undefined {
  if (!oid) return documentName;
  return clinicalSystems[oid] ?? documentSystems.get(oid) ?? documentName ?? oid;
}
