import type { Brand } from '../shared/index.ts';

/**
 * The matricule INS: a NIR (or NIA) of 13 characters and its 2-digit key (docs/identifiers.md).
 * Layout: sex (1) · year (2) · month (2) · département (2, `2A`/`2B` for Corsica) · commune (3) · order (3) · key (2).
 */
export type Ins = Brand<string, 'Ins'>;

/** FHIR identifier systems of the INS (ANS); `.10`/`.11` are the test ranges. */
export const INS_OID = {
  nir: '1.2.250.1.213.1.4.8',
  nia: '1.2.250.1.213.1.4.9',
  testNir: '1.2.250.1.213.1.4.10',
  testNia: '1.2.250.1.213.1.4.11',
} as const;
export type InsOid = (typeof INS_OID)[keyof typeof INS_OID];
export const insOids: readonly InsOid[] = Object.values(INS_OID);

export const insSystem = (oid: InsOid): string => `urn:oid:${oid}`;

export type Sex = 'male' | 'female';

export interface InsParts {
  readonly ins: Ins;
  readonly sex: Sex;
  readonly birthYearTwoDigits: string;
  /** `undefined` when the month is unknown (NIR month 20–42 or 50–99). */
  readonly birthMonth: number | undefined;
  readonly birthDepartment: string;
  readonly birthCommune: string;
  readonly order: string;
  readonly key: string;
  /** First digit 7 or 8: a temporary number (NIA or number awaiting registration). */
  readonly provisional: boolean;
}

export type InsProblem = 'format' | 'sex' | 'month' | 'department' | 'key';

export type InsResult = { ok: true; value: InsParts } | { ok: false; problem: InsProblem };

const INS_SHAPE = /^([1-478])(\d{2})(\d{2})(\d{2}|2[AB])(\d{3})(\d{3})(\d{2})$/;

/** Removes the spaces, dots and dashes people type inside a social security number; upper-cases 2a/2b. */
export function normalizeInsInput(raw: string): string {
  return raw.replace(/[\s.-]/g, '').toUpperCase();
}

/** The 13 characters as a number for the key: Corsica's `2A` counts as 19, `2B` as 18 (docs/identifiers.md). */
function keyBase(first13: string): bigint {
  return BigInt(first13.replace('2A', '19').replace('2B', '18'));
}

/** The 2-digit key of a 13-character NIR or NIA: `97 - (n mod 97)`. */
export function insKey(first13: string): string {
  return String(97n - (keyBase(first13) % 97n)).padStart(2, '0');
}

function monthIsPlausible(month: number): boolean {
  // Real NIRs use 20–42 and 50–99 when the birth month is unknown: be tolerant.
  return (month >= 1 && month <= 12) || (month >= 20 && month <= 42) || month >= 50;
}

function departmentIsPlausible(department: string): boolean {
  if (department === '2A' || department === '2B') return true;
  const n = Number(department);
  return n >= 1 && n <= 99 && n !== 20;
}

/** Parses and validates a matricule INS; the caller gets a precise reason on failure. */
export function parseIns(raw: string): InsResult {
  const value = normalizeInsInput(raw);
  const match = INS_SHAPE.exec(value);
  if (!match) return { ok: false, problem: /^[0569]/.test(value) && value.length === 15 ? 'sex' : 'format' };
  const [, sexDigit, year, month, department, commune, order, key] = match as unknown as string[];
  const monthNumber = Number(month);
  if (!monthIsPlausible(monthNumber)) return { ok: false, problem: 'month' };
  if (!departmentIsPlausible(department!)) return { ok: false, problem: 'department' };
  if (insKey(value.slice(0, 13)) !== key) return { ok: false, problem: 'key' };
  return {
    ok: true,
    value: {
      ins: value as Ins,
      sex: Number(sexDigit) % 2 === 1 ? 'male' : 'female',
      birthYearTwoDigits: year!,
      birthMonth: monthNumber <= 12 ? monthNumber : undefined,
      birthDepartment: department!,
      birthCommune: commune!,
      order: order!,
      key: key!,
      provisional: sexDigit === '7' || sexDigit === '8',
    },
  };
}

export function isIns(raw: string): raw is Ins {
  return raw === normalizeInsInput(raw) && parseIns(raw).ok;
}

/** French messages for each problem, shown as is in the UI. */
export const insProblemMessage: Readonly<Record<InsProblem, string>> = {
  format: 'Le numéro de sécurité sociale doit comporter 15 caractères (13 chiffres et la clé).',
  sex: 'Le premier chiffre du numéro de sécurité sociale doit être 1 ou 2.',
  month: 'Le mois de naissance contenu dans le numéro de sécurité sociale est invalide.',
  department: 'Le département de naissance contenu dans le numéro de sécurité sociale est invalide.',
  key: 'La clé du numéro de sécurité sociale ne correspond pas : vérifiez le numéro saisi.',
};
