/**
 * The VSM's coded items as the portal's form edits them: the item's type, inferred from the draft's contract
 * (src/http/contracts/vsm-api.ts); the item contract's lists (src/vsm/items.ts, which would bring the terminology
 * module into the bundle, so copied here); the short lists the doctor picks from; and the conversion between an item
 * and the strings of a form row. Pure; vsm-items.test.ts checks the copies and the codes against the server's.
 */
import type { VsmCode, VsmItem, VsmValue } from '../../../../src/http/contracts/vsm-api.ts';

export const vsmCodeSystems = ['CIM-10', 'CCAM', 'ATC', 'CIS', 'EDQM', 'LOINC', 'SNOMED CT'] as const;
export type VsmCodeSystem = (typeof vsmCodeSystems)[number];

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

export type { VsmCode, VsmItem, VsmValue };

export type VsmField = Exclude<keyof VsmItem, 'text'>;

/** Which systems a section's items may be coded in, and which item fields it takes (the server's `sectionCoding`). */
export const sectionCoding: Record<
  string,
  { readonly systems: readonly VsmCodeSystem[]; readonly fields: readonly VsmField[] } | undefined
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

export const relativeLabels: Record<FamilyRelative, string> = {
  mother: 'Mère',
  father: 'Père',
  brother: 'Frère',
  sister: 'Sœur',
  sibling: 'Fratrie',
  son: 'Fils',
  daughter: 'Fille',
  child: 'Enfant',
  grandmother: 'Grand-mère',
  grandfather: 'Grand-père',
  grandparent: 'Grand-parent',
  aunt: 'Tante',
  uncle: 'Oncle',
  cousin: 'Cousin·e',
  relative: 'Autre apparenté',
};

export const severityLabels: Record<VsmAllergySeverity, string> = {
  mild: 'Légère',
  moderate: 'Modérée',
  severe: 'Sévère',
};

/** A code offered in a short list, with the French words the doctor reads. */
export interface PickedCode {
  readonly code: string;
  readonly label: string;
}

/** The common EDQM routes of administration (Standard Terms, all in the kit's EDQM list). */
export const commonRoutes: readonly PickedCode[] = [
  { code: '20053000', label: 'Voie orale' },
  { code: '20072000', label: 'Voie sublinguale' },
  { code: '20003000', label: 'Voie cutanée' },
  { code: '20070000', label: 'Voie transdermique' },
  { code: '20066000', label: 'Voie sous-cutanée' },
  { code: '20045000', label: 'Voie intraveineuse' },
  { code: '20035000', label: 'Voie intramusculaire' },
  { code: '20020000', label: 'Voie inhalée' },
  { code: '20036000', label: 'Voie ophtalmique' },
  { code: '20049000', label: 'Voie nasale' },
  { code: '20061000', label: 'Voie rectale' },
];

/** The main measurements (LOINC, as in the FHIR vital signs and the ANS models) with their UCUM unit. */
export const commonMeasurements: readonly (PickedCode & { readonly unit: string })[] = [
  { code: '29463-7', label: 'Poids', unit: 'kg' },
  { code: '8302-2', label: 'Taille', unit: 'cm' },
  { code: '39156-5', label: 'IMC', unit: 'kg/m2' },
  { code: '8480-6', label: 'Pression artérielle systolique', unit: 'mm[Hg]' },
  { code: '8462-4', label: 'Pression artérielle diastolique', unit: 'mm[Hg]' },
  { code: '8867-4', label: 'Fréquence cardiaque', unit: '/min' },
  { code: '8310-5', label: 'Température', unit: 'Cel' },
  { code: '59408-5', label: 'Saturation en oxygène (SpO2)', unit: '%' },
  { code: '4548-4', label: 'HbA1c', unit: '%' },
  { code: '33914-3', label: 'DFG estimé (MDRD)', unit: 'mL/min/{1.73_m2}' },
];

/** Lifestyle topics: the CI-SIS value set of social history codes (JDV_SocialHistoryCodes_CISIS, LOINC). */
export const lifestyleTopics: readonly PickedCode[] = [
  { code: '72166-2', label: 'Statut tabagique' },
  { code: '74011-8', label: 'Consommation tabagique' },
  { code: '74013-4', label: 'Consommation d’alcool' },
  { code: '11343-1', label: 'Consommation de drogues non médicales' },
  { code: '73985-4', label: 'Exercice physique' },
  { code: '81663-7', label: 'Régime' },
  { code: '92944-8', label: 'Exposition à risque' },
];

/** The short list a section's code is picked from, where the doctor does not type it. */
export const pickListOf = (sectionKey: string): readonly PickedCode[] | undefined =>
  sectionKey === 'vitalSigns'
    ? commonMeasurements
    : sectionKey === 'riskFactors'
      ? lifestyleTopics
      : undefined;

/** What the form says when the server does not know a code, system by system. */
export const unknownCodeMessages: Record<VsmCodeSystem, string> = {
  'CIM-10': 'Code inconnu de la CIM-10',
  CCAM: 'Code inconnu de la CCAM',
  ATC: 'Code inconnu de la classification ATC',
  CIS: 'Code CIS invalide (8 chiffres)',
  EDQM: 'Code inconnu des termes standard EDQM',
  LOINC: 'Code LOINC invalide',
  'SNOMED CT': 'Code SNOMED CT invalide',
};

/** One item as the form's controls hold it: strings only, '' when empty. */
export interface ItemRow {
  /** Stable across edits: the rows' React key and the prefix of their controls' ids. */
  readonly id: string;
  readonly text: string;
  readonly system: VsmCodeSystem | '';
  readonly code: string;
  readonly display: string;
  readonly start: string;
  readonly end: string;
  readonly reaction: string;
  readonly severity: VsmAllergySeverity | '';
  readonly relative: FamilyRelative | '';
  readonly productCode: string;
  readonly productDisplay: string;
  readonly routeCode: string;
  readonly routeDisplay: string;
  readonly dosage: string;
  readonly quantity: string;
  readonly unit: string;
  readonly valueText: string;
}

export type RowControl = Exclude<keyof ItemRow, 'id'>;

export function emptyRow(id: string, sectionKey: string): ItemRow {
  return {
    id,
    text: '',
    system: sectionCoding[sectionKey]?.systems[0] ?? '',
    code: '',
    display: '',
    start: '',
    end: '',
    reaction: '',
    severity: '',
    relative: '',
    productCode: '',
    productDisplay: '',
    routeCode: '',
    routeDisplay: '',
    dosage: '',
    quantity: '',
    unit: '',
    valueText: '',
  };
}

const ISO_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const FRENCH_DATE = /^(?:(?:(\d{1,2})\/)?(\d{1,2})\/)?(\d{4})$/;

/** `2019`, `2019-03`, `2019-03-12` → `2019`, `03/2019`, `12/03/2019`: dates as French doctors write them. */
export function frenchPartialDate(iso: string | undefined): string {
  const m = iso ? ISO_DATE.exec(iso) : null;
  if (!m) return iso ?? '';
  return [m[3], m[2], m[1]].filter(Boolean).join('/');
}

const validDay = (year: number, month: number, day: number) =>
  new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;

/**
 * A date as typed (`AAAA`, `MM/AAAA`, `JJ/MM/AAAA`, or the ISO `AAAA-MM`, `AAAA-MM-JJ`) → its ISO partial form;
 * undefined when it is no date.
 */
export function partialDate(typed: string): string | undefined {
  const value = typed.trim();
  const iso = ISO_DATE.exec(value);
  const french = iso ? null : FRENCH_DATE.exec(value);
  const [year, month, day] = iso
    ? [iso[1], iso[2], iso[3]]
    : french
      ? [french[3], french[2]?.padStart(2, '0'), french[1]?.padStart(2, '0')]
      : [];
  if (year === undefined) return undefined;
  if (month !== undefined && (Number(month) < 1 || Number(month) > 12)) return undefined;
  if (day !== undefined && (month === undefined || !validDay(Number(year), Number(month), Number(day))))
    return undefined;
  return [year, month, day].filter(Boolean).join('-');
}

/** 6,5 or 6.5 → 6.5; undefined when it is no number. */
export function frenchNumber(typed: string): number | undefined {
  const value = typed.trim().replace(/\s/g, '').replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(value)) return undefined;
  return Number(value);
}

const french = (n: number) => String(n).replace('.', ',');

/** An item from the draft (or a plain line from an older server) → the row that edits it. */
export function rowOf(item: VsmItem | string, id: string, sectionKey: string): ItemRow {
  const row = emptyRow(id, sectionKey);
  if (typeof item === 'string') return { ...row, text: item };
  const value = item.value;
  const quantityValue = value && 'quantity' in value ? value : undefined;
  // Lifestyle values are read as text; a measured one (2 verres/j) keeps its number and unit in words.
  const textValue =
    value && 'text' in value
      ? value.text
      : quantityValue && sectionKey !== 'vitalSigns'
        ? `${french(quantityValue.quantity)} ${quantityValue.unit}`
        : '';
  return {
    ...row,
    text: item.text,
    system: item.code?.system ?? row.system,
    code: item.code?.code ?? '',
    display: item.code?.display ?? '',
    start: frenchPartialDate(item.start),
    end: frenchPartialDate(item.end),
    reaction: item.reaction ?? '',
    severity: item.severity ?? '',
    relative: item.relative ?? '',
    productCode: item.product?.code ?? '',
    productDisplay: item.product?.display ?? '',
    routeCode: item.route?.code ?? '',
    routeDisplay: item.route?.display ?? '',
    dosage: item.dosage ?? '',
    quantity: quantityValue && sectionKey === 'vitalSigns' ? french(quantityValue.quantity) : '',
    unit: quantityValue && sectionKey === 'vitalSigns' ? quantityValue.unit : '',
    valueText: textValue,
  };
}

/** What is wrong with a row, in French, and the control to bring the doctor back to. */
export interface RowProblem {
  readonly control: RowControl;
  readonly message: string;
}

const isBlank = (row: ItemRow) =>
  (Object.keys(row) as (keyof ItemRow)[]).every((k) => k === 'id' || k === 'system' || row[k].trim() === '');

/**
 * A row → the item the API takes; `undefined` for a row left empty, a `RowProblem` for one the server would refuse
 * for a reason the form can tell at once (codes are checked by the server, which knows the lists).
 */
export function itemOf(row: ItemRow, sectionKey: string): VsmItem | RowProblem | undefined {
  if (isBlank(row)) return undefined;
  const fields = new Set<VsmField>(sectionCoding[sectionKey]?.fields ?? []);
  const has = (field: VsmField) => fields.has(field);
  const text = row.text.trim();
  if (text === '') return { control: 'text', message: 'indiquez le libellé de l’élément.' };
  const item: { -readonly [K in keyof VsmItem]: VsmItem[K] } = { text };
  const code = row.code.trim();
  if (has('code') && code !== '' && row.system !== '') {
    const display = row.display.trim();
    if (display === '') return { control: 'display', message: 'indiquez le libellé du code.' };
    item.code = { system: row.system, code, display };
  }
  for (const control of ['start', 'end'] as const) {
    if (!has(control) || row[control].trim() === '') continue;
    const date = partialDate(row[control]);
    if (!date)
      return {
        control,
        message: 'date invalide : écrivez AAAA, MM/AAAA ou JJ/MM/AAAA (par exemple 03/2019).',
      };
    item[control] = date;
  }
  if (item.start && item.end && item.end < item.start)
    return { control: 'end', message: 'la date de fin précède la date de début.' };
  if (has('reaction') && row.reaction.trim() !== '') item.reaction = row.reaction.trim();
  if (has('severity') && row.severity !== '') item.severity = row.severity;
  if (has('relative') && row.relative !== '') item.relative = row.relative;
  if (has('product') && row.productCode.trim() !== '') {
    const display = row.productDisplay.trim();
    if (display === '') return { control: 'productDisplay', message: 'indiquez le nom de la spécialité.' };
    item.product = { system: 'CIS', code: row.productCode.trim(), display };
  }
  if (has('route') && row.routeCode !== '')
    item.route = { system: 'EDQM', code: row.routeCode, display: row.routeDisplay };
  if (has('dosage') && row.dosage.trim() !== '') item.dosage = row.dosage.trim();
  if (has('value') && sectionKey === 'vitalSigns' && row.quantity.trim() !== '') {
    const quantity = frenchNumber(row.quantity);
    if (quantity === undefined) return { control: 'quantity', message: 'la valeur doit être un nombre.' };
    const unit = row.unit.trim();
    if (unit === '') return { control: 'unit', message: 'indiquez l’unité de la valeur.' };
    item.value = { quantity, unit };
  } else if (has('value') && row.valueText.trim() !== '') item.value = { text: row.valueText.trim() };
  return item;
}

export const isRowProblem = (result: VsmItem | RowProblem | undefined): result is RowProblem =>
  result !== undefined && 'control' in result;
