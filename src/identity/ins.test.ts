import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { insKey, isIns, normalizeInsInput, parseIns } from './ins.ts';

const withKey = (first13: string) => first13 + insKey(first13);

describe('matricule INS', () => {
  it('accepts the ANS test patient of the official CDA examples', () => {
    const result = parseIns('279035121518989');
    expect(result).toMatchObject({
      ok: true,
      value: { sex: 'female', birthMonth: 3, birthDepartment: '51' },
    });
  });

  it('computes the key as 97 minus the 13 digits modulo 97', () => {
    expect(insKey('1370476243484')).toBe('15');
    expect(insKey('2620875032039')).toBe('77');
  });

  it('pads a one-digit key with a zero', () => {
    const first13 = Array.from({ length: 1000 }, (_, i) => `18001750${String(i).padStart(5, '0')}`).find(
      (n) => Number(insKey(n)) < 10,
    )!;
    expect(insKey(first13)).toMatch(/^0\d$/);
    expect(parseIns(withKey(first13)).ok).toBe(true);
  });

  it('refuses a wrong key, naming the key as the problem', () => {
    expect(parseIns('279035121518988')).toEqual({ ok: false, problem: 'key' });
  });

  it('handles Corsica: 2A counts as 19 and 2B as 18 in the key', () => {
    const ajaccio = '18503' + '2A' + '004' + '123';
    const bastia = '18503' + '2B' + '033' + '123';
    expect(insKey(ajaccio)).toBe(String(97n - (1850319004123n % 97n)).padStart(2, '0'));
    expect(insKey(bastia)).toBe(String(97n - (1850318033123n % 97n)).padStart(2, '0'));
    expect(parseIns(withKey(ajaccio))).toMatchObject({ ok: true, value: { birthDepartment: '2A' } });
    expect(parseIns(withKey(bastia).toLowerCase())).toMatchObject({
      ok: true,
      value: { birthDepartment: '2B' },
    });
  });

  it('tolerates the unknown-month ranges 20–42 and 50–99, and refuses 13–19 and 43–49', () => {
    for (const month of ['20', '33', '42', '50', '99']) {
      expect(parseIns(withKey(`185${month}75056123`))).toMatchObject({
        ok: true,
        value: { birthMonth: undefined },
      });
    }
    for (const month of ['00', '13', '19', '43', '49']) {
      expect(parseIns(withKey(`185${month}75056123`))).toEqual({ ok: false, problem: 'month' });
    }
  });

  it('recognises provisional numbers (NIA, first digit 7 or 8)', () => {
    expect(parseIns(withKey('7850575056123'))).toMatchObject({
      ok: true,
      value: { provisional: true, sex: 'male' },
    });
    expect(parseIns(withKey('8850575056123'))).toMatchObject({
      ok: true,
      value: { provisional: true, sex: 'female' },
    });
  });

  it('names the problem of malformed input', () => {
    expect(parseIns('')).toEqual({ ok: false, problem: 'format' });
    expect(parseIns('27903512151898')).toEqual({ ok: false, problem: 'format' });
    expect(parseIns('2790351215189890')).toEqual({ ok: false, problem: 'format' });
    expect(parseIns('579035121518989')).toEqual({ ok: false, problem: 'sex' });
    expect(parseIns(withKey('1850500056123'))).toEqual({ ok: false, problem: 'department' });
  });

  it('accepts the spaces people type, and normalises them away', () => {
    expect(normalizeInsInput('2 79 03 51 215 189 89')).toBe('279035121518989');
    expect(parseIns('2 79 03 51 215 189 89')).toMatchObject({ ok: true, value: { ins: '279035121518989' } });
    expect(isIns('2 79 03 51 215 189 89')).toBe(false);
    expect(isIns('279035121518989')).toBe(true);
  });

  it('property: every well-formed number with its computed key is accepted, and any single-digit change is caught', () => {
    const first13 = fc
      .tuple(
        fc.constantFrom('1', '2'),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 95 }).filter((d) => d !== 20),
        fc.integer({ min: 1, max: 999 }),
        fc.integer({ min: 1, max: 999 }),
      )
      .map(
        ([sex, y, m, d, c, o]) =>
          `${sex}${String(y).padStart(2, '0')}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${String(c).padStart(3, '0')}${String(o).padStart(3, '0')}`,
      );
    fc.assert(
      fc.property(
        first13,
        fc.integer({ min: 0, max: 14 }),
        fc.integer({ min: 1, max: 9 }),
        (n, position, delta) => {
          const ins = withKey(n);
          expect(parseIns(ins).ok).toBe(true);
          const changed =
            ins.slice(0, position) + ((Number(ins[position]) + delta) % 10) + ins.slice(position + 1);
          expect(parseIns(changed).ok).toBe(false);
        },
      ),
    );
  });
});
