import type { Brand } from '../shared/index.ts';

/** RPPS: the 11-digit national register number of a health professional; the last digit is a Luhn key. */
export type Rpps = Brand<string, 'Rpps'>;

/** The national id used in documents and tokens: `8` + RPPS (or `0` + ADELI for the older register). */
export type NationalProfessionalId = Brand<string, 'NationalProfessionalId'>;

/** Identifier systems of professionals and structures (ANS). */
export const PROFESSIONAL_ID_OID = '1.2.250.1.71.4.2.1';
export const STRUCTURE_ID_OID = '1.2.250.1.71.4.2.2';
export const RPPS_SYSTEM = 'https://rpps.esante.gouv.fr';

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Completes 10 digits with their Luhn key (used to make demo and test numbers). */
export function withLuhnKey(tenDigits: string): string {
  for (let key = 0; key <= 9; key++) {
    if (luhnValid(tenDigits + key)) return tenDigits + key;
  }
  throw new Error('unreachable: one Luhn key always exists');
}

export type RppsResult = { ok: true; value: Rpps } | { ok: false; problem: 'format' | 'key' };

export function parseRpps(raw: string): RppsResult {
  const value = raw.replace(/\s/g, '');
  if (!/^\d{11}$/.test(value)) return { ok: false, problem: 'format' };
  if (!luhnValid(value)) return { ok: false, problem: 'key' };
  return { ok: true, value: value as Rpps };
}

export function isRpps(raw: string): raw is Rpps {
  return parseRpps(raw).ok && !/\s/.test(raw);
}

export function nationalIdOfRpps(rpps: Rpps): NationalProfessionalId {
  return `8${rpps}` as NationalProfessionalId;
}

/** Reads `8` + RPPS back; other registers (ADELI `0`…) are not RPPS and give `undefined`. */
export function rppsOfNationalId(nationalId: string): Rpps | undefined {
  if (!nationalId.startsWith('8')) return undefined;
  const rest = nationalId.slice(1);
  return isRpps(rest) ? rest : undefined;
}
