/**
 * The Assurance Maladie care file read by `carnet import-insurer <file>` (README, "Importing the Assurance
 * Maladie feed").
 *
 * UTF-8 text, one record a line (LF or CRLF), fields separated by `;`, a field may be wrapped in double quotes
 * (`""` inside quotes is a quote). Blank lines and lines starting with `#` are ignored. No header: the first field
 * names the kind of record, so that a file is read (and resumed) from any line.
 *
 *   SOIN;<line id>;<INS>;<date>;<category>;<label>;<professional>;<RPPS>;<amount>[;<nature>]
 *   VACCINATION;<line id>;<INS>;<date>;<vaccine code>;<label>;<lot>
 *   ATTESTATION_COVID;<line id>;<INS>;<date>;<vaccine>;<doses>;<lot>
 *   ALD;<line id>;<INS>;<start date>;<end date>
 *
 * line id       the insurer's unique id of the line (1–64 of A–Z a–z 0–9 . _ : / -); a line already imported is
 *               skipped, so a file (or a corrected extract overlapping it) can be imported again safely
 * INS           matricule INS of the insured person (15 characters, key checked)
 * date          YYYY-MM-DD, the date of care, of the injection, or of the last injection (attestation)
 * category      maladie | biologie | medicament | dentaire | hopital | radiologie | appareillage | vaccin
 * label         what was reimbursed, as the patient reads it (1–200 characters)
 * professional  who gave the care: professional or establishment name (1–200 characters)
 * RPPS          optional, the professional's RPPS (11 digits, Luhn key)
 * amount        amount reimbursed in euros: digits with up to two decimals, `.` or `,` (e.g. 26.50)
 * nature        optional, the insurer's nature of the service: consultation (at the practice) | teleconsultation |
 *               visite (at home) | acte (technical act, care session) | autre; a line without it is not a
 *               consultation for the professional's indicators (src/indicators)
 * start date    ALD: first day the long-term illness (affection de longue durée) is recognised, YYYY-MM-DD
 * end date      ALD: last day it is recognised (may lie ahead), empty when it has no end
 * vaccine code  hexavalent | pneumocoque | ror | meningocoque-b | … | covid-19 | … | autre (the profile's list)
 * lot, doses    optional; doses as `n/m` (e.g. 3/3)
 */
import { parseIns, type Ins } from '../../identity/index.ts';
import { parseRpps } from '../../identity/index.ts';
import { isVaccineCode, type VaccineCode } from '../../medical-profile/index.ts';

export const careCategories = [
  'maladie',
  'biologie',
  'medicament',
  'dentaire',
  'hopital',
  'radiologie',
  'appareillage',
  'vaccin',
] as const;
export type CareCategory = (typeof careCategories)[number];

export const careCategoryLabels: Record<CareCategory, string> = {
  maladie: 'Consultations et soins',
  biologie: 'Biologie',
  medicament: 'Médicaments',
  dentaire: 'Dentaire',
  hopital: 'Hôpital',
  radiologie: 'Radiologie',
  appareillage: 'Appareillage',
  vaccin: 'Vaccins',
};

export const isCareCategory = (value: string): value is CareCategory =>
  (careCategories as readonly string[]).includes(value);

/** The insurer's nature of a reimbursed service (from the act it paid: NGAP key letter or CCAM code). */
export const careNatures = ['consultation', 'teleconsultation', 'visite', 'acte', 'autre'] as const;
export type CareNature = (typeof careNatures)[number];
export const isCareNature = (value: string): value is CareNature =>
  (careNatures as readonly string[]).includes(value);

export interface CareRecord {
  readonly kind: 'care';
  readonly lineId: string;
  readonly ins: Ins;
  readonly date: string;
  readonly category: CareCategory;
  readonly label: string;
  readonly professional: string;
  readonly rpps: string | undefined;
  /** Euro cents. */
  readonly amountCents: number;
  readonly nature?: CareNature | undefined;
}

/** A long-term illness (ALD) recognised by the insurer over a period. */
export interface AldRecord {
  readonly kind: 'ald';
  readonly lineId: string;
  readonly ins: Ins;
  /** YYYY-MM-DD. */
  readonly date: string;
  /** YYYY-MM-DD (last day), undefined when it has no end. */
  readonly endDate: string | undefined;
}

export interface VaccinationRecord {
  readonly kind: 'vaccination';
  readonly lineId: string;
  readonly ins: Ins;
  readonly date: string;
  readonly vaccineCode: VaccineCode;
  readonly label: string;
  readonly lot: string | undefined;
}

export interface CovidAttestationRecord {
  readonly kind: 'covid-attestation';
  readonly lineId: string;
  readonly ins: Ins;
  readonly date: string;
  readonly vaccine: string;
  readonly doses: string | undefined;
  readonly lot: string | undefined;
}

export type FeedRecord = CareRecord | VaccinationRecord | CovidAttestationRecord | AldRecord;

/** A parsed line, nothing (blank or comment), or the French reason it is refused. */
export type LineResult = FeedRecord | { readonly reason: string } | undefined;

const fieldCounts = { SOIN: 9, VACCINATION: 7, ATTESTATION_COVID: 7, ALD: 5 } as const;
/** Optional trailing fields a record may carry (SOIN: the nature, which older files lack). */
const optionalFields: Partial<Record<RecordType, number>> = { SOIN: 1 };
type RecordType = keyof typeof fieldCounts;
const isRecordType = (value: string): value is RecordType => Object.hasOwn(fieldCounts, value);

const LINE_ID = /^[A-Za-z0-9._:/-]{1,64}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const AMOUNT = /^(\d{1,7})(?:[.,](\d{1,2}))?$/;
const DOSES = /^\d{1,2}\/\d{1,2}$/;
const MAX_TEXT = 200;

/** Splits on `;`, honouring double quotes; `undefined` when a quote is left open. */
export function splitFields(line: string): string[] | undefined {
  if (!line.includes('"')) return line.split(';').map((f) => f.trim());
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (char === '"') quoted = false;
      else current += char;
    } else if (char === '"' && current.trim() === '') {
      quoted = true;
      current = '';
    } else if (char === ';') {
      fields.push(current);
      current = '';
    } else current += char;
  }
  if (quoted) return undefined;
  fields.push(current);
  return fields.map((f) => f.trim());
}

class Rejected extends Error {}
const reject = (reason: string): never => {
  throw new Rejected(reason);
};

function checkDate(value: string, today: string | undefined): string {
  const match = DATE.exec(value);
  if (!match) return reject(`date « ${value.slice(0, 20)} » : attendu AAAA-MM-JJ`);
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d) || Number(y) < 1900) {
    return reject(`date « ${value} » inexistante`);
  }
  if (today !== undefined && value > today) return reject(`date ${value} dans le futur`);
  return value;
}

function checkText(value: string, name: string, required: boolean): string | undefined {
  if (value === '') return required ? reject(`${name} manquant`) : undefined;
  if (value.length > MAX_TEXT) return reject(`${name} trop long (${MAX_TEXT} caractères au plus)`);
  // Control characters have no place in what the patient reads.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return reject(`${name} : caractère de contrôle interdit`);
  return value;
}

function checkIns(value: string): Ins {
  const parsed = parseIns(value);
  if (!parsed.ok || parsed.value.ins !== value) {
    const why = parsed.ok ? 'format' : parsed.problem;
    return reject(why === 'key' ? 'INS invalide : la clé ne correspond pas' : 'INS invalide');
  }
  return parsed.value.ins;
}

function checkAmount(value: string): number {
  const match = AMOUNT.exec(value);
  if (!match) return reject(`montant « ${value.slice(0, 20)} » : attendu un nombre d’euros (ex. 26.50)`);
  return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
}

function parseFields(type: RecordType, f: readonly string[], today: string): FeedRecord {
  const lineId = f[1]!;
  if (!LINE_ID.test(lineId))
    reject('identifiant de ligne invalide (1 à 64 caractères A-Z a-z 0-9 . _ : / -)');
  const ins = checkIns(f[2]!);
  const date = checkDate(f[3]!, today);
  switch (type) {
    case 'SOIN': {
      const category = f[4]!.toLowerCase();
      if (!isCareCategory(category)) reject(`catégorie « ${f[4]!.slice(0, 20)} » inconnue`);
      const rpps = f[7] ? parseRpps(f[7]) : undefined;
      if (rpps && !rpps.ok) reject('RPPS invalide');
      const nature = (f[9] ?? '').toLowerCase();
      if (nature !== '' && !isCareNature(nature)) reject(`nature « ${f[9]!.slice(0, 20)} » inconnue`);
      return {
        kind: 'care',
        lineId,
        ins,
        date,
        category: category as CareCategory,
        label: checkText(f[5]!, 'libellé', true)!,
        professional: checkText(f[6]!, 'professionnel', true)!,
        rpps: rpps?.ok ? rpps.value : undefined,
        amountCents: checkAmount(f[8]!),
        ...(nature ? { nature: nature as CareNature } : {}),
      };
    }
    case 'ALD': {
      // The recognition is usually granted for years: its end may lie ahead.
      const endDate = f[4] ? checkDate(f[4], undefined) : undefined;
      if (endDate && endDate < date) reject('fin de l’ALD avant son début');
      return { kind: 'ald', lineId, ins, date, endDate };
    }
    case 'VACCINATION': {
      const code = f[4]!.toLowerCase();
      if (!isVaccineCode(code)) return reject(`code vaccin « ${f[4]!.slice(0, 30)} » inconnu`);
      return {
        kind: 'vaccination',
        lineId,
        ins,
        date,
        vaccineCode: code,
        label: checkText(f[5]!, 'libellé', true)!,
        lot: checkText(f[6]!, 'lot', false),
      };
    }
    case 'ATTESTATION_COVID': {
      const doses = f[5] || undefined;
      if (doses && !DOSES.test(doses)) reject('doses : attendu n/m (ex. 3/3)');
      return {
        kind: 'covid-attestation',
        lineId,
        ins,
        date,
        vaccine: checkText(f[4]!, 'vaccin', true)!,
        doses,
        lot: checkText(f[6]!, 'lot', false),
      };
    }
  }
}

/**
 * One line of the file (without its end of line). `today` (YYYY-MM-DD) bounds the dates: the insurer never
 * reimburses care to come.
 */
export function parseFeedLine(text: string, today: string): LineResult {
  const line = text.endsWith('\r') ? text.slice(0, -1) : text;
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return undefined;
  const fields = splitFields(line);
  if (!fields) return { reason: 'guillemet non refermé' };
  const type = fields[0]!.toUpperCase();
  if (!isRecordType(type)) {
    return {
      reason: `type d’enregistrement « ${fields[0]!.slice(0, 20)} » inconnu (SOIN, VACCINATION, ATTESTATION_COVID, ALD)`,
    };
  }
  const expected = fieldCounts[type];
  const most = expected + (optionalFields[type] ?? 0);
  if (fields.length < expected || fields.length > most) {
    const wanted = most === expected ? `${expected}` : `${expected} à ${most}`;
    return { reason: `${type} : ${wanted} champs attendus, ${fields.length} trouvés` };
  }
  try {
    return parseFields(type, fields, today);
  } catch (error) {
    if (error instanceof Rejected) return { reason: error.message };
    throw error;
  }
}

/** Quotes a field for the file when it needs it (used by the demo data and the bench generator). */
export function feedField(value: string): string {
  return /[;"]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

export function careLine(r: Omit<CareRecord, 'kind' | 'ins'> & { ins: string }): string {
  const euros = `${Math.floor(r.amountCents / 100)}.${String(r.amountCents % 100).padStart(2, '0')}`;
  const fields = ['SOIN', r.lineId, r.ins, r.date, r.category, r.label, r.professional, r.rpps ?? '', euros];
  if (r.nature) fields.push(r.nature);
  return fields.map(feedField).join(';');
}

export function aldLine(r: Omit<AldRecord, 'kind' | 'ins'> & { ins: string }): string {
  return ['ALD', r.lineId, r.ins, r.date, r.endDate ?? ''].map(feedField).join(';');
}

export function vaccinationLine(r: Omit<VaccinationRecord, 'kind' | 'ins'> & { ins: string }): string {
  return ['VACCINATION', r.lineId, r.ins, r.date, r.vaccineCode, r.label, r.lot ?? '']
    .map(feedField)
    .join(';');
}

export function covidAttestationLine(
  r: Omit<CovidAttestationRecord, 'kind' | 'ins'> & { ins: string },
): string {
  return ['ATTESTATION_COVID', r.lineId, r.ins, r.date, r.vaccine, r.doses ?? '', r.lot ?? '']
    .map(feedField)
    .join(';');
}
