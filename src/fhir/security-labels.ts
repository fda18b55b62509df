import type { CodeableConcept } from '@medplum/fhirtypes';
import {
  confidentialityFlags,
  type ConfidentialityFlag,
  type ConfidentialityLevel,
} from '../record/index.ts';
import { CarnetError } from '../shared/index.ts';
import { TRE_A07_SYSTEM, V3_CONFIDENTIALITY_SYSTEM } from './document-systems.ts';

const flagDisplay: Record<ConfidentialityFlag, string> = {
  MASQUE_PS: 'Document masqué aux professionnels de santé',
  INVISIBLE_PATIENT: 'Document non visible par le patient',
  INVISIBLE_REPRESENTANTS_LEGAUX: 'Document non visible par les représentants légaux du patient',
};

const levelDisplay: Record<ConfidentialityLevel, string> = {
  N: 'normal',
  R: 'restricted',
  V: 'very restricted',
};

/** The spellings of the HL7 confidentiality code system a producer may send (FHIR URL, OID). */
const V3_CONFIDENTIALITY_SYSTEMS = [
  V3_CONFIDENTIALITY_SYSTEM,
  'urn:oid:2.16.840.1.113883.5.25',
  '2.16.840.1.113883.5.25',
];

/**
 * PDSm `securityLabel`: the HL7 confidentiality level (slice `confidentiality`, exactly one: N, R or V) and one
 * label per TRE_A07 visibility flag (slice `visibilityStatus`; docs/fhir.md, "Document metadata").
 */
export function securityLabels(
  flags: readonly ConfidentialityFlag[],
  level: ConfidentialityLevel = 'N',
): CodeableConcept[] {
  return [
    { coding: [{ system: V3_CONFIDENTIALITY_SYSTEM, code: level, display: levelDisplay[level] }] },
    ...flags.map((flag) => ({
      coding: [{ system: TRE_A07_SYSTEM, code: flag, display: flagDisplay[flag] }],
    })),
  ];
}

const isFlag = (code: string): code is ConfidentialityFlag =>
  (confidentialityFlags as readonly string[]).includes(code);
const isLevel = (code: string): code is ConfidentialityLevel => code === 'N' || code === 'R' || code === 'V';
const isLevelCoding = (system: string | undefined, code: string) =>
  isLevel(code) && (system === undefined || V3_CONFIDENTIALITY_SYSTEMS.includes(system));

/** What a list of labels asks for: the visibility flags and the confidentiality level (N when absent). */
export interface LabelsRead {
  readonly flags: ConfidentialityFlag[];
  readonly level: ConfidentialityLevel;
}

/** Reads `securityLabel`: N/R/V at most once, TRE_A07 flags; any other code is refused with its path. */
export function readSecurityLabels(labels: readonly CodeableConcept[], path: string): LabelsRead {
  const flags = new Set<ConfidentialityFlag>();
  const levels: { level: ConfidentialityLevel; index: number }[] = [];
  labels.forEach((label, i) => {
    for (const coding of label.coding ?? []) {
      const code = coding.code ?? '';
      if (isLevelCoding(coding.system, code)) {
        levels.push({ level: code as ConfidentialityLevel, index: i });
        continue;
      }
      if ((coding.system === TRE_A07_SYSTEM || coding.system === undefined) && isFlag(code)) {
        flags.add(code);
        continue;
      }
      throw new CarnetError(
        'unprocessable',
        'security-label-unknown',
        `Le niveau de confidentialité « ${code.slice(0, 64)} » n’est pas pris en charge.`,
        `${path}[${i}]`,
      );
    }
  });
  const distinct = new Set(levels.map((l) => l.level));
  if (distinct.size > 1) {
    throw new CarnetError(
      'unprocessable',
      'security-label-levels',
      'Un document a un seul niveau de confidentialité (N, R ou V).',
      `${path}[${levels[1]!.index}]`,
    );
  }
  return { flags: [...flags], level: levels[0]?.level ?? 'N' };
}

/** The flags a list of labels asks for (the level is read by readSecurityLabels). */
export function flagsOfLabels(labels: readonly CodeableConcept[], path: string): ConfidentialityFlag[] {
  return readSecurityLabels(labels, path).flags;
}
