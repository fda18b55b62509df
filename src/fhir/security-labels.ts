import type { CodeableConcept } from '@medplum/fhirtypes';
import { confidentialityFlags, type ConfidentialityFlag } from '../record/index.ts';
import { CarnetError } from '../shared/errors.ts';
import { TRE_A07_SYSTEM, V3_CONFIDENTIALITY_SYSTEM } from './document-systems.ts';

const flagDisplay: Record<ConfidentialityFlag, string> = {
  MASQUE_PS: 'Document masqué aux professionnels de santé',
  INVISIBLE_PATIENT: 'Document non visible par le patient',
  INVISIBLE_REPRESENTANTS_LEGAUX: 'Document non visible par les représentants légaux du patient',
};

/** `N` (normal) always, plus one label per TRE_A07 flag (facts.md §2 "Confidentiality"). */
export function securityLabels(flags: readonly ConfidentialityFlag[]): CodeableConcept[] {
  return [
    { coding: [{ system: V3_CONFIDENTIALITY_SYSTEM, code: 'N', display: 'normal' }] },
    ...flags.map((flag) => ({
      coding: [{ system: TRE_A07_SYSTEM, code: flag, display: flagDisplay[flag] }],
    })),
  ];
}

const isFlag = (code: string): code is ConfidentialityFlag =>
  (confidentialityFlags as readonly string[]).includes(code);

/** The flags a list of labels asks for; `N` is implied, any other code is refused with its path. */
export function flagsOfLabels(labels: readonly CodeableConcept[], path: string): ConfidentialityFlag[] {
  const flags = new Set<ConfidentialityFlag>();
  labels.forEach((label, i) => {
    for (const coding of label.coding ?? []) {
      const code = coding.code ?? '';
      if (coding.system === V3_CONFIDENTIALITY_SYSTEM && code === 'N') continue;
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
  return [...flags];
}
