import {
  INS_OID,
  insOids,
  parseIns,
  type Ins,
  type InsOid,
  type InsProblem,
  type Sex,
} from '../../identity/index.ts';
import { ageOn } from '../../insured/index.ts';
import type { ImportField, RawRecord } from './import-format.ts';

/** One valid line of the import file, normalised. */
export interface InsuredRecord {
  readonly ins: Ins;
  readonly insOid: InsOid;
  readonly birthName: string;
  readonly usedName: string | undefined;
  readonly firstNames: string;
  readonly birthDate: string;
  readonly sex: Sex;
  readonly birthPlaceInsee: string | undefined;
  readonly email: string | undefined;
  readonly phone: string | undefined;
  readonly vitaleSerial: string;
  readonly representativeIns: readonly Ins[];
  readonly opposed: boolean;
}

export type RecordResult = { ok: true; value: InsuredRecord } | { ok: false; reason: string };

/** Operator-facing reasons (English), one per INS problem. */
const insReason: Readonly<Record<InsProblem, string>> = {
  format: 'must be 15 characters (13 digits and a 2-digit key)',
  sex: 'first digit must be 1, 2, 3, 4, 7 or 8',
  month: 'birth month coded in the INS is invalid',
  department: 'birth department coded in the INS is invalid',
  key: 'bad INS key (the last two digits do not match the first 13)',
};

class RecordProblem extends Error {}
const fail = (reason: string): never => {
  throw new RecordProblem(reason);
};

function text(fields: RawRecord['fields'], name: ImportField): string | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return fail(`${name} must be a string`);
  const trimmed = value.trim().replace(/\s+/g, ' ');
  return trimmed === '' ? undefined : trimmed;
}

function required(fields: RawRecord['fields'], name: ImportField): string {
  return text(fields, name) ?? fail(`missing field ${name}`);
}

function insOf(raw: string, field: string): Ins {
  const parsed = parseIns(raw);
  if (!parsed.ok) return fail(`${field} "${raw}": ${insReason[parsed.problem]}`);
  return parsed.value.ins;
}

export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

function birthDateOf(raw: string, ins: Ins, today: Date): string {
  if (!isCalendarDate(raw)) fail(`birth_date "${raw}" is not a valid YYYY-MM-DD date`);
  if (new Date(`${raw}T00:00:00Z`) > today) fail(`birth_date ${raw} is in the future`);
  const parsed = parseIns(ins);
  const month = parsed.ok ? parsed.value.birthMonth : undefined;
  if (parsed.ok && raw.slice(2, 4) !== parsed.value.birthYearTwoDigits)
    fail(`birth_date ${raw} does not match the birth year coded in the INS`);
  if (month !== undefined && Number(raw.slice(5, 7)) !== month)
    fail(`birth_date ${raw} does not match the birth month coded in the INS`);
  return raw;
}

function sexOf(raw: string, ins: Ins): Sex {
  const upper = raw.toUpperCase();
  if (upper !== 'M' && upper !== 'F') return fail(`sex "${raw}" must be M or F`);
  const sex: Sex = upper === 'M' ? 'male' : 'female';
  const parsed = parseIns(ins);
  if (parsed.ok && parsed.value.sex !== sex)
    fail(`sex ${upper} is inconsistent with the first digit of the INS (${ins[0]})`);
  return sex;
}

function oidOf(raw: string | undefined): InsOid {
  if (raw === undefined) return INS_OID.nir;
  return (insOids as readonly string[]).includes(raw)
    ? (raw as InsOid)
    : fail(`ins_oid "${raw}" is not one of ${insOids.join(', ')}`);
}

function emailOf(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(raw)
    ? raw.toLowerCase()
    : fail(`email "${raw}" is not an e-mail address`);
}

function phoneOf(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const compact = raw.replace(/[\s.()-]/g, '');
  return /^\+?\d{9,15}$/.test(compact) ? compact : fail(`phone "${raw}" is not a phone number`);
}

function booleanOf(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === false) return false;
  if (value === true) return true;
  const lowered = typeof value === 'string' ? value.trim().toLowerCase() : value;
  if (lowered === 'true' || lowered === '1') return true;
  if (lowered === 'false' || lowered === '0' || lowered === '') return false;
  return fail('opposed must be true or false');
}

function representativesOf(value: unknown, own: Ins): Ins[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? value.split('|')
      : fail('representative_ins must be a string');
  const insList = (list as unknown[])
    .map((v) => (typeof v === 'string' ? v.trim() : fail('representative_ins must hold strings')))
    .filter((v) => v !== '')
    .map((v) => insOf(v, 'representative_ins'));
  if (insList.includes(own)) fail('a person cannot be their own representative');
  return [...new Set(insList)];
}

function build(fields: RawRecord['fields'], today: Date): InsuredRecord {
  const ins = insOf(required(fields, 'ins'), 'ins');
  const birthName = required(fields, 'birth_name');
  const firstNames = required(fields, 'first_names');
  const birthDate = birthDateOf(required(fields, 'birth_date'), ins, today);
  const sex = sexOf(required(fields, 'sex'), ins);
  const vitaleSerial = required(fields, 'vitale_serial').replace(/\s/g, '').toUpperCase();
  if (!/^[0-9A-Z]{6,22}$/.test(vitaleSerial))
    fail(`vitale_serial "${vitaleSerial}" must be 6 to 22 letters or digits`);
  const birthPlaceInsee = text(fields, 'birth_place_insee')?.toUpperCase();
  if (birthPlaceInsee !== undefined && !/^(\d{5}|2[AB]\d{3})$/.test(birthPlaceInsee))
    fail(`birth_place_insee "${birthPlaceInsee}" must be a 5-character INSEE code`);
  const minor = ageOn(birthDate, today) < 18;
  const representativeIns = representativesOf(fields.representative_ins, ins);
  if (minor && representativeIns.length === 0) fail(`minor (born ${birthDate}) without representative_ins`);
  const email = emailOf(text(fields, 'email'));
  if (!minor && email === undefined) fail('missing field email (required for adults)');
  return {
    ins,
    insOid: oidOf(text(fields, 'ins_oid')),
    birthName,
    usedName: text(fields, 'used_name'),
    firstNames,
    birthDate,
    sex,
    birthPlaceInsee,
    email,
    phone: phoneOf(text(fields, 'phone')),
    vitaleSerial,
    representativeIns,
    opposed: booleanOf(fields.opposed),
  };
}

/** Validates one raw line against the format; the reason names the field and what is wrong with it. */
export function validateInsuredRecord(fields: RawRecord['fields'], today: Date): RecordResult {
  try {
    return { ok: true, value: build(fields, today) };
  } catch (error) {
    if (error instanceof RecordProblem) return { ok: false, reason: error.message };
    throw error;
  }
}
