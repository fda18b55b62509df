/**
 * The check digits of the code systems Carnet has no list of: LOINC (mod 10, the Luhn scheme over the number and its
 * check digit) and SNOMED CT (Verhoeff over the whole identifier). A typing error is caught; a well-formed code
 * nobody defined is not.
 */
import { luhnValid } from '../identity/index.ts';

/** `29463-7`: digits, a dash, the check digit. */
export function isLoincCode(code: string): boolean {
  const match = /^(\d{1,7})-(\d)$/.exec(code);
  return match !== null && luhnValid(`${match[1]}${match[2]}`);
}

const verhoeffD = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const verhoeffP = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** A SNOMED CT identifier: 6 to 18 digits, no leading zero, Verhoeff check digit last. */
export function isSnomedCode(code: string): boolean {
  if (!/^[1-9]\d{5,17}$/.test(code)) return false;
  let check = 0;
  [...code].reverse().forEach((digit, i) => {
    check = verhoeffD[check]![verhoeffP[i % 8]![Number(digit)]!]!;
  });
  return check === 0;
}
