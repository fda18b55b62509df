import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isRpps, luhnValid, nationalIdOfRpps, parseRpps, rppsOfNationalId, withLuhnKey } from './rpps.ts';
import { professionOfSubjectRole, subjectRole } from './professions.ts';
import type { Ins } from './ins.ts';
import type { Rpps } from './rpps.ts';

describe('RPPS', () => {
  it('accepts 11 digits whose last is the Luhn key', () => {
    const rpps = withLuhnKey('1000000001');
    expect(parseRpps(rpps)).toEqual({ ok: true, value: rpps });
    expect(luhnValid('79927398713')).toBe(true);
  });

  it('refuses a wrong key and a wrong length with distinct reasons', () => {
    const rpps = withLuhnKey('1000000001');
    const wrong = rpps.slice(0, 10) + ((Number(rpps[10]) + 1) % 10);
    expect(parseRpps(wrong)).toEqual({ ok: false, problem: 'key' });
    expect(parseRpps('1234')).toEqual({ ok: false, problem: 'format' });
    expect(parseRpps('1000000001a')).toEqual({ ok: false, problem: 'format' });
  });

  it('makes the national id by prefixing 8, and reads it back', () => {
    const rpps = withLuhnKey('1012345678') as Rpps;
    expect(nationalIdOfRpps(rpps)).toBe(`8${rpps}`);
    expect(rppsOfNationalId(`8${rpps}`)).toBe(rpps);
    expect(rppsOfNationalId(`0${rpps}`)).toBeUndefined();
  });

  it('property: changing one digit of a valid RPPS is always caught', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{10}$/),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 1, max: 9 }),
        (ten, i, d) => {
          const rpps = withLuhnKey(ten);
          expect(isRpps(rpps)).toBe(true);
          const changed = rpps.slice(0, i) + ((Number(rpps[i]) + d) % 10) + rpps.slice(i + 1);
          expect(isRpps(changed)).toBe(false);
        },
      ),
    );
  });

  it('keeps INS and RPPS apart at compile time', () => {
    const takesRpps = (r: Rpps) => r;
    const ins = '279035121518989' as Ins;
    // @ts-expect-error an INS is not an RPPS
    takesRpps(ins);
    expect(true).toBe(true);
  });
});

describe('professions', () => {
  it('reads and writes the SubjectRole claim of Pro Santé Connect', () => {
    expect(subjectRole('10')).toBe('10^1.2.250.1.213.1.1.5.5');
    expect(professionOfSubjectRole('60^1.2.250.1.213.1.1.5.5')).toBe('60');
    expect(professionOfSubjectRole('60^2.16.840')).toBeUndefined();
    expect(professionOfSubjectRole('99^1.2.250.1.213.1.1.5.5')).toBeUndefined();
  });
});
