import { readFileSync } from 'node:fs';

/**
 * The clinical code lists of the ANS conformance kit (scripts/import-code-lists.ts): codes only, no labels (the kit
 * ships none), so a clinician's code is checked for existence and the label is the clinician's own.
 */
export const clinicalCodeSystems = {
  'CIM-10': { file: 'cim-10', oid: '2.16.840.1.113883.6.3', label: 'CIM-10' },
  CCAM: { file: 'ccam', oid: '1.2.250.1.213.2.5', label: 'CCAM' },
  ATC: { file: 'atc', oid: '2.16.840.1.113883.6.73', label: 'ATC' },
  EDQM: { file: 'edqm', oid: '0.4.0.127.0.16.1.1.2.1', label: 'EDQM (standard terms)' },
} as const;
export type ClinicalCodeSystem = keyof typeof clinicalCodeSystems;

const loaded = new Map<ClinicalCodeSystem, ReadonlySet<string>>();

function codesOf(system: ClinicalCodeSystem): ReadonlySet<string> {
  let codes = loaded.get(system);
  if (!codes) {
    const url = new URL(`./code-lists/${clinicalCodeSystems[system].file}.txt`, import.meta.url);
    codes = new Set(readFileSync(url, 'utf8').split('\n').filter(Boolean));
    loaded.set(system, codes);
  }
  return codes;
}

/** Whether the official list of `system` has `code` (exact spelling: CIM-10 with its dot, CCAM upper case). */
export function isKnownCode(system: ClinicalCodeSystem, code: string): boolean {
  return codesOf(system).has(code);
}
