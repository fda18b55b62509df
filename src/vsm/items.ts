import { invalid } from '../shared/index.ts';
import { isKnownCode, isLoincCode, isSnomedCode } from '../terminology/index.ts';
import type { VsmSectionKey } from './model.ts';

/**
 * One item of a VSM section as the doctor writes it: always a line of text (what the narrative shows), coded where a
 * code is known (VSM 2023.01 entries: CIM-10 problems, CCAM acts, ATC/CIS treatments with EDQM routes, LOINC/UCUM
 * measurements…). An item without a code is still an entry, with the null flavour the model allows.
 */
export const vsmCodeSystems = ['CIM-10', 'CCAM', 'ATC', 'CIS', 'EDQM', 'LOINC', 'SNOMED CT'] as const;
export type VsmCodeSystem = (typeof vsmCodeSystems)[number];

export interface VsmCode {
  readonly system: VsmCodeSystem;
  readonly code: string;
  /** The label: the list's own where Carnet has one, else the doctor's (the kit's code lists carry no labels). */
  readonly display: string;
}

/** A date as clinicians know it: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
export type PartialDate = string;

export const familyRelatives = [
  'mother',
  'father',
  'brother',
  'sister',
  'sibling',
  'son',
  'daughter',
  'child',
  'grandmother',
  'grandfather',
  'grandparent',
  'aunt',
  'uncle',
  'cousin',
  'relative',
] as const;
export type FamilyRelative = (typeof familyRelatives)[number];

export const allergySeverities = ['mild', 'moderate', 'severe'] as const;
export type VsmAllergySeverity = (typeof allergySeverities)[number];

export type VsmValue = { readonly quantity: number; readonly unit: string } | { readonly text: string };

export interface VsmItem {
  /** The line as read (required, never empty): the doctor's words, shown in the narrative. */
  readonly text: string;
  /** The coded concept, in a system the section accepts (`sectionCoding`). */
  readonly code?: VsmCode;
  /** Onset, start of a treatment, date of an act or of a measurement. */
  readonly start?: PartialDate;
  /** Resolution, end of a treatment. */
  readonly end?: PartialDate;
  /** Allergies: what happens (free text) and how severe. */
  readonly reaction?: string;
  readonly severity?: VsmAllergySeverity;
  /** Family history: who. */
  readonly relative?: FamilyRelative;
  /** Treatments: the proprietary product (CIS) when given, the EDQM route, the dosage as written. */
  readonly product?: VsmCode;
  readonly route?: VsmCode;
  readonly dosage?: string;
  /** Measurements and lifestyle observations. */
  readonly value?: VsmValue;
}

/** Which systems a section's items may be coded in, and which item fields it takes; text-only sections take none. */
export const sectionCoding: Record<
  VsmSectionKey,
  { readonly systems: readonly VsmCodeSystem[]; readonly fields: readonly (keyof VsmItem)[] }
> = {
  activeProblems: { systems: ['CIM-10'], fields: ['code', 'start'] },
  personalHistory: { systems: ['CIM-10'], fields: ['code', 'start', 'end'] },
  medicalHistory: { systems: ['CCAM'], fields: ['code', 'start'] },
  allergies: { systems: ['ATC', 'CIS', 'SNOMED CT'], fields: ['code', 'start', 'reaction', 'severity'] },
  riskFactors: { systems: ['LOINC'], fields: ['code', 'start', 'value'] },
  occupationalRisks: { systems: [], fields: [] },
  familyHistory: { systems: ['CIM-10'], fields: ['code', 'relative'] },
  vitalSigns: { systems: ['LOINC'], fields: ['code', 'start', 'value'] },
  vigilance: { systems: [], fields: [] },
  treatments: { systems: ['ATC'], fields: ['code', 'start', 'end', 'product', 'route', 'dosage'] },
  therapeuticProject: { systems: [], fields: [] },
};

export const ITEM_LIMITS = { text: 1000, display: 500, free: 1000 } as const;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether `code` exists in `system`: the kit's lists where it has one, the check digit or shape otherwise. */
export function isValidCode(system: VsmCodeSystem, code: string): boolean {
  switch (system) {
    case 'CIM-10':
    case 'CCAM':
    case 'ATC':
    case 'EDQM':
      return isKnownCode(system, code);
    case 'CIS':
      return /^[1-9]\d{7}$/.test(code); // the 8-digit code of the Base de données publique des médicaments
    case 'LOINC':
      return isLoincCode(code);
    case 'SNOMED CT':
      return isSnomedCode(code);
  }
}

const PARTIAL_DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

/** Checks one item sent by a client (a plain string is a text-only item); errors say where in French. */
export function parseVsmItem(section: VsmSectionKey, label: string, raw: unknown): VsmItem {
  if (typeof raw === 'string') return { text: raw };
  const fail = (what: string): never => {
    throw invalid('vsm-item-invalid', `Section « ${label} » : ${what}`, section);
  };
  if (!isRecord(raw) || typeof raw.text !== 'string') return fail('chaque élément doit avoir un libellé.');
  const allowed = new Set<string>(['text', ...sectionCoding[section].fields]);
  const extra = Object.keys(raw).find((k) => !allowed.has(k) && raw[k] !== undefined && raw[k] !== null);
  if (extra) return fail(`le champ « ${extra.slice(0, 40)} » n’est pas prévu dans cette section.`);
  const text = (v: unknown, name: string, max: number): string | undefined => {
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string' || v.length > max) return fail(`${name} invalide.`);
    return v;
  };
  const code = (v: unknown, systems: readonly VsmCodeSystem[], name: string): VsmCode | undefined => {
    if (v === undefined || v === null) return undefined;
    if (!isRecord(v) || typeof v.code !== 'string' || typeof v.system !== 'string')
      return fail(`${name} invalide.`);
    const system = v.system as VsmCodeSystem;
    const value = v.code.trim();
    if (!systems.includes(system))
      return fail(`${name} : la terminologie ${v.system.slice(0, 20)} n’est pas admise ici.`);
    if (!isValidCode(system, value))
      return fail(`${name} « ${value.slice(0, 20)} » n’est pas un code ${system} connu.`);
    const display = typeof v.display === 'string' ? v.display.trim() : '';
    if (display === '' || display.length > ITEM_LIMITS.display)
      return fail(`${name} : le libellé du code est requis.`);
    return { system, code: value, display };
  };
  const date = (v: unknown, name: string): PartialDate | undefined => {
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string' || !PARTIAL_DATE.test(v))
      return fail(`${name} : date invalide (AAAA, AAAA-MM ou AAAA-MM-JJ).`);
    return v;
  };
  const item: { -readonly [K in keyof VsmItem]: VsmItem[K] } = { text: raw.text };
  const c = code(raw.code, sectionCoding[section].systems, 'le code');
  if (c) item.code = c;
  const start = date(raw.start, 'la date de début');
  if (start) item.start = start;
  const end = date(raw.end, 'la date de fin');
  if (end) item.end = end;
  if (start && end && end < start) fail('la date de fin précède la date de début.');
  const reaction = text(raw.reaction, 'la réaction', ITEM_LIMITS.free);
  if (reaction) item.reaction = reaction;
  if (raw.severity !== undefined && raw.severity !== null) {
    if (!(allergySeverities as readonly unknown[]).includes(raw.severity)) fail('la sévérité est invalide.');
    item.severity = raw.severity as VsmAllergySeverity;
  }
  if (raw.relative !== undefined && raw.relative !== null) {
    if (!(familyRelatives as readonly unknown[]).includes(raw.relative))
      fail('le lien de parenté est invalide.');
    item.relative = raw.relative as FamilyRelative;
  }
  const product = code(raw.product, ['CIS'], 'la spécialité');
  if (product) item.product = product;
  const route = code(raw.route, ['EDQM'], 'la voie d’administration');
  if (route) item.route = route;
  const dosage = text(raw.dosage, 'la posologie', ITEM_LIMITS.free);
  if (dosage) item.dosage = dosage;
  if (raw.value !== undefined && raw.value !== null) {
    const v = raw.value;
    if (
      isRecord(v) &&
      typeof v.quantity === 'number' &&
      Number.isFinite(v.quantity) &&
      typeof v.unit === 'string' &&
      /^[\x21-\x7e]{1,30}$/.test(v.unit)
    )
      item.value = { quantity: v.quantity, unit: v.unit };
    else if (isRecord(v) && typeof v.text === 'string' && v.text.length <= ITEM_LIMITS.free)
      item.value = { text: v.text };
    else fail('la valeur est invalide (nombre et unité UCUM, ou texte).');
  }
  return item;
}
