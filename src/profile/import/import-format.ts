/**
 * The Assurance Maladie insured-person file read by `carnet import-insured <file>`.
 *
 * Two encodings, detected by content (the first non-blank character `{` means JSON lines):
 * - CSV: a header row naming the columns, then one person a line; `;` or `,` separated (whichever the
 *   header uses); fields may be wrapped in double quotes (`""` inside quotes is a quote); UTF-8, BOM tolerated.
 * - JSON lines: one JSON object a line, keys as the column names; `representative_ins` may be an array.
 * Blank lines are skipped; line numbers in the report are the file's physical lines (the CSV header is line 1).
 *
 * Fields (CSV columns / JSON keys):
 *   ins                 required  matricule INS, 15 characters (NIR or NIA with its key; 2A/2B for Corsica)
 *   ins_oid             optional  1.2.250.1.213.1.4.8 (INS-NIR, default), .9 (INS-NIA), .10/.11 (test ranges)
 *   birth_name          required  nom de naissance
 *   used_name           optional  nom utilisé
 *   first_names         required  prénoms, space separated, the first one first
 *   birth_date          required  YYYY-MM-DD; must match the year and month coded in the INS
 *   sex                 required  M or F; must match the first digit of the INS (odd = M, even = F)
 *   birth_place_insee   optional  INSEE code of the birth commune (5 characters, 99xxx abroad)
 *   email               required for adults, optional for minors (their codes go to the representatives)
 *   phone               optional  digits, optionally a leading +
 *   vitale_serial       required  serial number of the carte Vitale (6 to 22 letters or digits)
 *   representative_ins  required for minors: the INS of each legal representative, `|` separated
 *   opposed             optional  `true` when the person opposed during the information window (profile `opposed`)
 *
 * Import is idempotent: people are matched by INS; a changed field updates the person, a profile's state is never reset.
 */
export const importFields = [
  'ins',
  'ins_oid',
  'birth_name',
  'used_name',
  'first_names',
  'birth_date',
  'sex',
  'birth_place_insee',
  'email',
  'phone',
  'vitale_serial',
  'representative_ins',
  'opposed',
] as const;
export type ImportField = (typeof importFields)[number];

/** Columns a CSV header must name (values may still be empty where the field is optional for that person). */
export const requiredColumns: readonly ImportField[] = [
  'ins',
  'birth_name',
  'first_names',
  'birth_date',
  'sex',
  'email',
  'vitale_serial',
];

/** One person as read from the file, before validation. */
export interface RawRecord {
  readonly line: number;
  readonly fields: Readonly<Partial<Record<ImportField, unknown>>>;
}

export interface LineProblem {
  readonly line: number;
  readonly reason: string;
}

export interface ParsedFile {
  readonly format: 'csv' | 'jsonl';
  readonly records: readonly RawRecord[];
  readonly problems: readonly LineProblem[];
}

/** The file as a whole cannot be read (operator-facing, English). */
export class ImportFormatError extends Error {}

const isField = (name: string): name is ImportField => (importFields as readonly string[]).includes(name);

/** Splits one CSV line; `undefined` when a quote is left open. */
export function splitCsvLine(line: string, separator: string): string[] | undefined {
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
    } else if (char === separator) {
      fields.push(current);
      current = '';
    } else current += char;
  }
  if (quoted) return undefined;
  fields.push(current);
  return fields.map((f) => f.trim());
}

function parseCsv(lines: readonly string[]): ParsedFile {
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  const headerLine = lines[headerIndex]!;
  const separator = headerLine.split(';').length >= headerLine.split(',').length ? ';' : ',';
  const header = (splitCsvLine(headerLine, separator) ?? []).map((h) => h.toLowerCase());
  const unknown = header.filter((h) => !isField(h));
  if (unknown.length) throw new ImportFormatError(`unknown column(s) in the header: ${unknown.join(', ')}`);
  const missing = requiredColumns.filter((c) => !header.includes(c));
  if (missing.length) throw new ImportFormatError(`missing column(s) in the header: ${missing.join(', ')}`);
  const records: RawRecord[] = [];
  const problems: LineProblem[] = [];
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const text = lines[i]!;
    if (text.trim() === '') continue;
    const line = i + 1;
    const values = splitCsvLine(text, separator);
    if (!values) problems.push({ line, reason: 'unbalanced double quote' });
    else if (values.length !== header.length)
      problems.push({ line, reason: `expected ${header.length} fields, found ${values.length}` });
    else records.push({ line, fields: Object.fromEntries(header.map((h, k) => [h, values[k]])) });
  }
  return { format: 'csv', records, problems };
}

function parseJsonLine(text: string, line: number): RawRecord | LineProblem {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { line, reason: 'not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { line, reason: 'expected a JSON object' };
  const unknown = Object.keys(value).filter((k) => !isField(k));
  if (unknown.length) return { line, reason: `unknown field(s): ${unknown.join(', ')}` };
  return { line, fields: value as RawRecord['fields'] };
}

function parseJsonLines(lines: readonly string[]): ParsedFile {
  const records: RawRecord[] = [];
  const problems: LineProblem[] = [];
  lines.forEach((text, i) => {
    if (text.trim() === '') return;
    const parsed = parseJsonLine(text, i + 1);
    if ('reason' in parsed) problems.push(parsed);
    else records.push(parsed);
  });
  return { format: 'jsonl', records, problems };
}

/** Reads the whole file into raw records and per-line problems; throws ImportFormatError if it is unusable. */
export function parseInsuredFile(text: string): ParsedFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const first = lines.find((l) => l.trim() !== '');
  if (first === undefined) throw new ImportFormatError('the file is empty');
  return first.trimStart().startsWith('{') ? parseJsonLines(lines) : parseCsv(lines);
}
