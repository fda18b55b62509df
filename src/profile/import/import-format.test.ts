import { describe, expect, it } from 'vitest';
import { ImportFormatError, parseInsuredFile, splitCsvLine } from './import-format.ts';
import { validateInsuredRecord } from './insured-record.ts';
import { adult, child, withKey } from './test-people.ts';

const today = new Date('2026-03-02T09:00:00Z');
const header = 'ins;birth_name;first_names;birth_date;sex;email;vitale_serial;representative_ins;opposed';

describe('parseInsuredFile', () => {
  it('reads a ;-separated CSV with physical line numbers and skips blank lines', () => {
    const a = adult(1);
    const text = `${header}\n${a.ins};${a.birth_name};Paul;1980-05-14;M;p@x.fr;12345678;;\n\n${a.ins};X;Y;1980-05-14;M;p@x.fr;12345678;;true\n`;
    const parsed = parseInsuredFile(text);
    expect(parsed.format).toBe('csv');
    expect(parsed.records.map((r) => r.line)).toEqual([2, 4]);
    expect(parsed.records[1]!.fields.opposed).toBe('true');
  });

  it('detects a comma separator and honours double quotes', () => {
    const parsed = parseInsuredFile(
      'ins,birth_name,first_names,birth_date,sex,email,vitale_serial\n1,"DE LA FONTAINE, dite ""Jo""",Jo,x,F,e,v\n',
    );
    expect(parsed.records[0]!.fields.birth_name).toBe('DE LA FONTAINE, dite "Jo"');
  });

  it('reports lines with the wrong number of fields or an open quote, and goes on', () => {
    const parsed = parseInsuredFile(`${header}\n1;2\n"open;2;3;4;5;6;7;8;9\n`);
    expect(parsed.problems).toEqual([
      { line: 2, reason: 'expected 9 fields, found 2' },
      { line: 3, reason: 'unbalanced double quote' },
    ]);
  });

  it('refuses a header with unknown or missing columns', () => {
    expect(() => parseInsuredFile('ins;birth_nam;first_names\n')).toThrow(ImportFormatError);
    expect(() => parseInsuredFile('ins;birth_name\n')).toThrow(
      /missing column\(s\) in the header: first_names/,
    );
    expect(() => parseInsuredFile('\n\n')).toThrow(/empty/);
  });

  it('reads JSON lines, reporting bad JSON and unknown keys per line', () => {
    const parsed = parseInsuredFile('{"ins":"1"}\nnot json\n{"ins":"2","age":3}\n[1]\n');
    expect(parsed.format).toBe('jsonl');
    expect(parsed.records).toHaveLength(1);
    expect(parsed.problems).toEqual([
      { line: 2, reason: 'not valid JSON' },
      { line: 3, reason: 'unknown field(s): age' },
      { line: 4, reason: 'expected a JSON object' },
    ]);
  });

  it('splits CSV lines', () => {
    expect(splitCsvLine(' a ; "b;c" ;', ';')).toEqual(['a', 'b;c', '']);
    expect(splitCsvLine('"a', ';')).toBeUndefined();
  });
});

describe('validateInsuredRecord', () => {
  const reason = (fields: object) => {
    const result = validateInsuredRecord(fields, today);
    return result.ok ? 'ok' : result.reason;
  };

  it('normalises a valid adult', () => {
    const result = validateInsuredRecord(
      { ...adult(1), email: ' Paul@Exemple.FR ', phone: '06 12 34 56 78', vitale_serial: '8005 0019 9' },
      today,
    );
    expect(result).toMatchObject({
      ok: true,
      value: {
        email: 'paul@exemple.fr',
        phone: '0612345678',
        vitaleSerial: '800500199',
        sex: 'male',
        opposed: false,
      },
    });
    expect(result.ok && result.value.insOid).toBe('1.2.250.1.213.1.4.8');
  });

  it('gives a precise reason for each kind of bad line', () => {
    const a = adult(1);
    const badKey = a.ins.slice(0, 13) + (a.ins.endsWith('01') ? '02' : '01');
    expect(reason({ ...a, ins: badKey })).toMatch(/bad INS key/);
    expect(reason({ ...a, ins: '12345' })).toMatch(/15 characters/);
    expect(reason({ ...a, birth_name: '  ' })).toBe('missing field birth_name');
    expect(reason({ ...a, birth_date: '1980-02-30' })).toMatch(/not a valid YYYY-MM-DD date/);
    expect(reason({ ...a, birth_date: '1981-05-14' })).toMatch(/birth year coded in the INS/);
    expect(reason({ ...a, birth_date: '1980-06-14' })).toMatch(/birth month coded in the INS/);
    expect(reason({ ...a, sex: 'F' })).toMatch(/sex F is inconsistent with the first digit of the INS \(1\)/);
    expect(reason({ ...a, sex: 'X' })).toMatch(/must be M or F/);
    expect(reason({ ...a, email: undefined })).toBe('missing field email (required for adults)');
    expect(reason({ ...a, email: 'nope' })).toMatch(/not an e-mail address/);
    expect(reason({ ...a, ins_oid: '1.2.3' })).toMatch(/ins_oid "1.2.3" is not one of/);
    expect(reason({ ...a, opposed: 'maybe' })).toBe('opposed must be true or false');
    expect(reason({ ...a, representative_ins: a.ins })).toMatch(/own representative/);
    expect(reason({ ...child(2, a.ins), representative_ins: '' })).toBe(
      'minor (born 2015-06-03) without representative_ins',
    );
    expect(reason({ ...child(2, a.ins), representative_ins: `${a.ins}|123` })).toMatch(
      /representative_ins "123"/,
    );
  });

  it('accepts the test-range OIDs, several representatives and a minor without e-mail', () => {
    const p1 = adult(1).ins;
    const p2 = withKey('2820175056002');
    const result = validateInsuredRecord(
      { ...child(3, `${p1} | ${p2}`), ins_oid: '1.2.250.1.213.1.4.10', opposed: true },
      today,
    );
    expect(result).toMatchObject({
      ok: true,
      value: { representativeIns: [p1, p2], opposed: true, email: undefined },
    });
    expect(validateInsuredRecord({ ...child(3, p1), representative_ins: [p1, p2] }, today).ok).toBe(true);
  });
});
