import { describe, expect, it } from 'vitest';
import { CarnetError } from '../../shared/index.ts';
import { activeRules, evaluatePrevention, parsePreventionRules, type PreventionInput } from './index.ts';

const base = { vaccinations: [], documents: [], decisions: [] } as const;

function evaluate(input: Partial<PreventionInput> & Pick<PreventionInput, 'birthDate' | 'today'>) {
  return evaluatePrevention({ sex: 'female', ...base, ...input });
}

const keys = (items: ReturnType<typeof evaluate>, status?: string) =>
  items.filter((i) => status === undefined || i.status === status).map((i) => i.key);
const find = (items: ReturnType<typeof evaluate>, key: string) => items.find((i) => i.key === key);

describe('vaccinations of an infant', () => {
  it('lists the 2-, 4- and 11-month doses with their windows and reminder days', () => {
    const items = evaluate({ birthDate: '2026-01-15', today: '2026-01-20' });
    expect(keys(items, 'to-plan')).toEqual([
      'hexavalent@2m',
      'pneumocoque-nourrisson@2m',
      'meningocoque-b@3m',
      'hexavalent@4m',
      'pneumocoque-nourrisson@4m',
      'meningocoque-b@5m',
      'meningocoque-acwy@6m',
      'hexavalent@11m',
      'pneumocoque-nourrisson@11m',
      // 12 months falls on the horizon's last day
      'meningocoque-acwy@12m',
      'meningocoque-b@12m',
      'ror@12m',
    ]);
    expect(find(items, 'hexavalent@2m')).toMatchObject({
      kind: 'vaccination',
      occurrence: '2m',
      dueFrom: '2026-03-15',
      dueUntil: '2026-04-14',
      notifyOn: ['2026-03-14', '2026-03-15'],
      overdue: false,
    });
  });

  it('counts ages in calendar months, a 31 January baby being two months old on 31 March', () => {
    const items = evaluate({ birthDate: '2024-01-31', today: '2024-02-01' });
    expect(find(items, 'hexavalent@2m')?.dueFrom).toBe('2024-03-31');
    expect(find(items, 'meningocoque-b@3m')?.dueFrom).toBe('2024-04-30');
    expect(find(items, 'hexavalent@2m')?.dueUntil).toBe('2024-04-29');
  });

  it('spaces a booster from a late dose still due, and lists the series in dose order', () => {
    // The 2-month dose given late pushes the 4-month one to the day the 11-month booster would open.
    const items = evaluate({
      birthDate: '2023-02-01',
      today: '2024-01-01',
      vaccinations: [{ vaccineCode: 'hexavalent', date: '2023-12-04' }],
    });
    const series = items.filter((i) => i.itemId === 'hexavalent');
    expect(series.map((i) => [i.occurrence, i.status, i.dueFrom])).toEqual([
      ['2m', 'done', '2023-04-01'],
      ['4m', 'to-plan', '2024-01-01'],
      ['11m', 'to-plan', '2024-07-01'],
    ]);
  });

  it('does not propose a dose that could only fall due after the catch-up age', () => {
    // A first HPV dose a few days before 20: the second, six months later, is past the catch-up.
    const items = evaluate({
      birthDate: '2004-01-12',
      today: '2024-01-01',
      decisions: [{ itemId: 'hpv', occurrence: 'dose-1', status: 'done', at: '2024-01-01' }],
    });
    expect(keys(items.filter((i) => i.itemId === 'hpv'))).toEqual(['hpv@dose-1']);
  });

  it('counts recorded doses in order and spaces the next one', () => {
    const items = evaluate({
      birthDate: '2025-09-01',
      today: '2026-01-10',
      vaccinations: [
        { vaccineCode: 'hexavalent', date: '2025-11-03' },
        { vaccineCode: 'hexavalent', date: '2026-01-05' },
        { vaccineCode: 'pneumocoque', date: '2025-11-03' },
      ],
    });
    expect(find(items, 'hexavalent@2m')).toMatchObject({
      status: 'done',
      doneOn: '2025-11-03',
      doneBy: 'vaccination',
    });
    expect(find(items, 'hexavalent@4m')).toMatchObject({ status: 'done', doneOn: '2026-01-05' });
    expect(find(items, 'hexavalent@11m')).toMatchObject({ status: 'to-plan', dueFrom: '2026-08-01' });
    // Second pneumococcal dose: 4 months of age, or 8 weeks after the first if later.
    expect(find(items, 'pneumocoque-nourrisson@4m')).toMatchObject({
      status: 'to-plan',
      dueFrom: '2026-01-01',
    });
    expect(find(items, 'pneumocoque-nourrisson@4m')?.overdue).toBe(false);
  });

  it('does not count a vaccination given before the minimum age, nor one vaccination twice', () => {
    const items = evaluate({
      birthDate: '2025-09-01',
      today: '2025-12-01',
      vaccinations: [
        { vaccineCode: 'hexavalent', date: '2025-09-20' },
        { vaccineCode: 'ror', date: '2025-11-02' },
      ],
    });
    expect(find(items, 'hexavalent@2m')).toMatchObject({ status: 'to-plan', overdue: true });
    expect(find(items, 'ror@12m')?.status).toBe('to-plan');
  });

  it('flags a late dose and stops proposing infant doses after the catch-up age', () => {
    const late = evaluate({ birthDate: '2025-01-10', today: '2025-06-01' });
    expect(find(late, 'hexavalent@2m')).toMatchObject({ status: 'to-plan', overdue: true });
    const older = evaluate({ birthDate: '2022-01-10', today: '2025-06-01' });
    expect(keys(older).some((k) => k.startsWith('hexavalent@'))).toBe(false);
    expect(find(older, 'ror@12m')).toMatchObject({ status: 'to-plan', overdue: true });
  });

  it('accepts the former meningococcus C vaccine for the ACWY doses', () => {
    const items = evaluate({
      birthDate: '2025-01-10',
      today: '2025-09-01',
      vaccinations: [{ vaccineCode: 'meningocoque-c', date: '2025-07-12' }],
    });
    expect(find(items, 'meningocoque-acwy@6m')?.status).toBe('done');
  });
});

describe('children, adolescents and adults', () => {
  it('proposes the DTaP-IPV boosters at 6 and 11-13 years and HPV at 11-14 for girls and boys', () => {
    const boy = evaluatePrevention({ ...base, birthDate: '2014-05-01', sex: 'male', today: '2025-04-01' });
    expect(find(boy, 'dtcap-vpi@11y')).toMatchObject({ dueFrom: '2025-05-01', dueUntil: '2028-04-30' });
    expect(find(boy, 'hpv@dose-1')).toMatchObject({ dueFrom: '2025-05-01', dueUntil: '2029-04-30' });
    expect(find(boy, 'hpv@dose-2')?.dueFrom).toBe('2025-11-01');
    expect(find(boy, 'dtcap-vpi@6y')).toMatchObject({ status: 'to-plan', overdue: true });
  });

  it('schedules the second HPV dose six months after the first', () => {
    const items = evaluate({
      birthDate: '2013-02-01',
      today: '2025-03-01',
      vaccinations: [{ vaccineCode: 'hpv', date: '2025-02-20' }],
    });
    expect(find(items, 'hpv@dose-1')?.status).toBe('done');
    expect(find(items, 'hpv@dose-2')).toMatchObject({ status: 'to-plan', dueFrom: '2025-08-20' });
  });

  it('proposes dTP at 25, 45 and 65 years, then every 10 years', () => {
    for (const [birthDate, key, dueFrom] of [
      ['2000-07-14', 'dtp@25y', '2025-07-14'],
      ['1980-07-14', 'dtp@45y', '2025-07-14'],
      ['1960-07-14', 'dtp@65y', '2025-07-14'],
      ['1950-07-14', 'dtp@75y', '2025-07-14'],
      ['1940-07-14', 'dtp@85y', '2025-07-14'],
    ] as const) {
      const items = evaluate({ birthDate, today: '2025-07-01' });
      expect(find(items, key)).toMatchObject({ status: 'to-plan', dueFrom, overdue: false });
    }
  });

  it('counts a booster by the age it was given at, and drops a missed one once the next is due', () => {
    const items = evaluate({
      birthDate: '1980-01-01',
      today: '2025-06-01',
      vaccinations: [{ vaccineCode: 'dtp', date: '2024-09-01' }],
    });
    expect(find(items, 'dtp@45y')).toMatchObject({ status: 'done', doneOn: '2024-09-01' });
    expect(find(items, 'dtp@25y')).toBeUndefined();
    const missed = evaluate({ birthDate: '1990-01-01', today: '2026-06-01' });
    expect(find(missed, 'dtp@25y')).toMatchObject({ status: 'to-plan', overdue: true });
  });

  it('offers pneumococcus once from 65 and never counts infant doses for it', () => {
    const items = evaluate({
      birthDate: '1958-04-01',
      today: '2023-05-01',
      vaccinations: [{ vaccineCode: 'pneumocoque', date: '1958-06-01' }],
    });
    expect(find(items, 'pneumocoque-adulte@65y')).toMatchObject({ status: 'to-plan', overdue: false });
    const vaccinated = evaluate({
      birthDate: '1958-04-01',
      today: '2026-02-01',
      vaccinations: [{ vaccineCode: 'pneumocoque', date: '2023-05-01' }],
    });
    expect(keys(vaccinated).some((k) => k.startsWith('pneumocoque-adulte'))).toBe(false);
  });

  it('invites to the influenza campaign from mid-October to the end of January from 65', () => {
    const items = evaluate({ birthDate: '1955-01-01', today: '2025-09-01' });
    expect(find(items, 'grippe@2025-2026')).toMatchObject({
      status: 'to-plan',
      dueFrom: '2025-10-15',
      dueUntil: '2026-01-31',
      notifyOn: ['2025-10-14', '2025-10-15'],
    });
    // Turning 65 during the campaign: invited from the birthday.
    const birthday = evaluate({ birthDate: '1960-12-02', today: '2025-09-01' });
    expect(find(birthday, 'grippe@2025-2026')?.dueFrom).toBe('2025-12-02');
    const young = evaluate({ birthDate: '1961-03-01', today: '2025-09-01' });
    expect(keys(young).some((k) => k.startsWith('grippe@'))).toBe(false);
  });

  it('marks the season done by a vaccination and invites again the next season', () => {
    const items = evaluate({
      birthDate: '1950-01-01',
      today: '2026-02-15',
      vaccinations: [{ vaccineCode: 'grippe', date: '2025-10-20' }],
    });
    expect(find(items, 'grippe@2025-2026')).toMatchObject({ status: 'done', doneOn: '2025-10-20' });
    expect(find(items, 'grippe@2026-2027')?.status).toBe('to-plan');
    // A season missed and over is not proposed any more.
    const missed = evaluate({ birthDate: '1950-01-01', today: '2026-02-15' });
    expect(find(missed, 'grippe@2025-2026')).toBeUndefined();
  });
});

describe('organised screening', () => {
  it('invites a woman to mammography and colorectal screening at 50, a man only to colorectal', () => {
    const woman = evaluate({ birthDate: '1976-03-12', today: '2026-03-01' });
    expect(find(woman, 'depistage-sein@2026-03-12')).toMatchObject({
      kind: 'screening',
      status: 'to-plan',
      dueFrom: '2026-03-12',
      dueUntil: '2027-03-11',
      notifyOn: ['2026-03-11', '2026-03-12'],
    });
    expect(find(woman, 'depistage-colorectal@2026-03-12')?.status).toBe('to-plan');
    const man = evaluatePrevention({ ...base, birthDate: '1976-03-12', sex: 'male', today: '2026-03-01' });
    expect(keys(man).filter((k) => k.startsWith('depistage'))).toEqual(['depistage-colorectal@2026-03-12']);
  });

  it('counts two years from a deposited mammography report', () => {
    const items = evaluate({
      birthDate: '1970-05-05',
      today: '2025-09-01',
      documents: [
        { typeCode: '24606-6', date: '2025-02-10' },
        { typeCode: '11488-4', date: '2025-08-01' },
      ],
    });
    // Never screened before: the report closes the round of her age bracket (due since her 54th birthday).
    expect(find(items, 'depistage-sein@2024-05-05')).toMatchObject({
      status: 'done',
      doneOn: '2025-02-10',
      doneBy: 'document',
    });
    expect(find(items, 'depistage-sein@2027-02-10')).toBeUndefined(); // beyond the 12-month horizon
    expect(keys(items, 'to-plan').some((k) => k.startsWith('depistage-sein'))).toBe(false);
    const later = evaluate({
      birthDate: '1970-05-05',
      today: '2026-06-01',
      documents: [{ typeCode: '24606-6', date: '2025-02-10' }],
    });
    expect(find(later, 'depistage-sein@2027-02-10')?.status).toBe('to-plan');
  });

  it('offers a woman never screened the round of her age, not one missed at 50, and stops at 75', () => {
    const items = evaluate({ birthDate: '1960-01-01', today: '2025-01-01' });
    expect(find(items, 'depistage-sein@2024-01-01')).toMatchObject({ status: 'to-plan', overdue: true });
    expect(keys(items).filter((k) => k.startsWith('depistage-sein'))).toEqual(['depistage-sein@2024-01-01']);
    const old = evaluate({ birthDate: '1950-01-01', today: '2025-01-01' });
    expect(keys(old).some((k) => k.startsWith('depistage-'))).toBe(false);
  });

  it('a colonoscopy postpones colorectal screening for five years', () => {
    const items = evaluate({
      birthDate: '1970-01-01',
      today: '2026-01-01',
      documents: [{ typeCode: '18746-8', date: '2022-03-01' }],
    });
    expect(keys(items, 'to-plan').some((k) => k.startsWith('depistage-colorectal'))).toBe(false);
    const later = evaluate({
      birthDate: '1970-01-01',
      today: '2026-06-01',
      documents: [{ typeCode: '18746-8', date: '2022-03-01' }],
    });
    expect(find(later, 'depistage-colorectal@2027-03-01')?.status).toBe('to-plan');
  });

  it('cervix: cytology at 25, again a year later, then every 3 years; HPV test from 30 every 5 years', () => {
    const at25 = evaluate({ birthDate: '2000-06-01', today: '2025-05-01' });
    expect(find(at25, 'depistage-col-uterus-cytologie@2025-06-01')?.status).toBe('to-plan');
    const afterFirst = evaluate({
      birthDate: '2000-06-01',
      today: '2025-09-01',
      documents: [{ typeCode: '10524-7', date: '2025-07-01' }],
    });
    expect(find(afterFirst, 'depistage-col-uterus-cytologie@2026-07-01')?.status).toBe('to-plan');
    const afterSecond = evaluate({
      birthDate: '2000-06-01',
      today: '2026-09-01',
      documents: [
        { typeCode: '10524-7', date: '2025-07-01' },
        { typeCode: '10524-7', date: '2026-07-01' },
      ],
    });
    expect(keys(afterSecond, 'to-plan').some((k) => k.startsWith('depistage-col'))).toBe(false);
    expect(find(afterSecond, 'depistage-col-uterus-cytologie@2026-07-01')?.status).toBe('done');
    // At 30, the HPV test comes 3 years after the last cytology.
    const at30 = evaluate({
      birthDate: '1996-01-01',
      today: '2026-01-10',
      documents: [{ typeCode: '10524-7', date: '2024-01-15' }],
    });
    expect(keys(at30, 'to-plan').some((k) => k.startsWith('depistage-col'))).toBe(false);
    const at31 = evaluate({
      birthDate: '1996-01-01',
      today: '2026-02-01',
      documents: [{ typeCode: '10524-7', date: '2024-01-15' }],
    });
    expect(keys(at31, 'to-plan').filter((k) => k.startsWith('depistage-col'))).toEqual([
      'depistage-col-uterus-hpv@2027-01-15',
    ]);
    const hpv = evaluate({
      birthDate: '1980-01-01',
      today: '2026-02-01',
      documents: [{ typeCode: '21440-3', date: '2021-03-01' }],
    });
    expect(find(hpv, 'depistage-col-uterus-hpv@2026-03-01')?.status).toBe('to-plan');
    const man = evaluatePrevention({ ...base, birthDate: '1980-01-01', sex: 'male', today: '2026-02-01' });
    expect(
      keys(man).some((k) => k.startsWith('depistage-col-uterus') || k.startsWith('depistage-sein')),
    ).toBe(false);
  });
});

describe("the patient's choices", () => {
  const woman = { birthDate: '1975-04-01', today: '2025-05-01' } as const;

  it('"fait" marks the occurrence done and starts the interval from that day', () => {
    const items = evaluate({
      ...woman,
      decisions: [
        { itemId: 'depistage-sein', occurrence: '2025-04-01', status: 'done', at: '2025-04-20T08:00:00Z' },
      ],
    });
    expect(find(items, 'depistage-sein@2025-04-01')).toMatchObject({
      status: 'done',
      doneOn: '2025-04-20',
      doneBy: 'decision',
      // The finished round keeps the window it was offered with.
      dueFrom: '2025-04-01',
      occurrenceLabel: 'À partir du 1er avril 2025',
    });
    expect(keys(items, 'to-plan').some((k) => k.startsWith('depistage-sein'))).toBe(false);
  });

  it('"non fait" keeps the round declined; the next comes two years after the refusal', () => {
    const decisions = [
      { itemId: 'depistage-sein', occurrence: '2025-04-01', status: 'not-done', at: '2025-04-20' },
    ] as const;
    const now = evaluate({ ...woman, decisions });
    expect(find(now, 'depistage-sein@2025-04-01')).toMatchObject({ status: 'not-done', notifyOn: [] });
    const next = evaluate({ ...woman, today: '2026-06-01', decisions });
    expect(find(next, 'depistage-sein@2027-04-20')?.status).toBe('to-plan');
    expect(find(next, 'depistage-sein@2025-04-01')).toBeUndefined();
  });

  it('declining a late round does not bring back an older one', () => {
    const decisions = [
      { itemId: 'depistage-colorectal', occurrence: '2024-01-01', status: 'not-done', at: '2025-03-01' },
    ] as const;
    const items = evaluate({ birthDate: '1960-01-01', today: '2025-03-02', decisions });
    expect(items.filter((i) => i.itemId === 'depistage-colorectal')).toMatchObject([
      { occurrence: '2024-01-01', status: 'not-done', overdue: false },
    ]);
    const later = evaluate({ birthDate: '1960-01-01', today: '2026-06-01', decisions });
    expect(find(later, 'depistage-colorectal@2027-03-01')).toMatchObject({
      status: 'to-plan',
      overdue: false,
    });
  });

  it('the latest choice wins, and a recorded vaccination outweighs "non fait"', () => {
    const items = evaluate({
      birthDate: '2000-02-01',
      today: '2025-03-01',
      decisions: [
        { itemId: 'dtp', occurrence: '25y', status: 'done', at: '2025-02-02' },
        { itemId: 'dtp', occurrence: '25y', status: 'not-done', at: '2025-02-10' },
      ],
    });
    expect(find(items, 'dtp@25y')).toMatchObject({ status: 'not-done', decidedOn: '2025-02-10' });
    const vaccinated = evaluate({
      birthDate: '2000-02-01',
      today: '2025-03-01',
      vaccinations: [{ vaccineCode: 'dtcap-vpi', date: '2025-02-20' }],
      decisions: [{ itemId: 'dtp', occurrence: '25y', status: 'not-done', at: '2025-02-10' }],
    });
    expect(find(vaccinated, 'dtp@25y')).toMatchObject({ status: 'done', doneBy: 'vaccination' });
  });

  it('takes the day of an instant in France', () => {
    const items = evaluate({
      birthDate: '2000-02-01',
      today: '2025-03-01',
      decisions: [{ itemId: 'dtp', occurrence: '25y', status: 'done', at: '2025-02-27T23:30:00Z' }],
    });
    expect(find(items, 'dtp@25y')?.doneOn).toBe('2025-02-28');
  });
});

describe('inputs and rules', () => {
  it('refuses an invalid birth date or day, and lists nothing before birth', () => {
    expect(() => evaluate({ birthDate: '2025-02-30', today: '2025-03-01' })).toThrow(CarnetError);
    expect(() => evaluate({ birthDate: '2025-02-01', today: 'hier' })).toThrow(CarnetError);
    expect(evaluate({ birthDate: '2025-02-01', today: '2025-01-01' })).toEqual([]);
  });

  it('ignores malformed and future-dated facts', () => {
    const items = evaluate({
      birthDate: '1975-04-01',
      today: '2025-05-01',
      documents: [
        { typeCode: '24606-6', date: '2025-13-01' },
        { typeCode: '24606-6', date: '2025-06-01' },
      ],
    });
    expect(find(items, 'depistage-sein@2025-04-01')?.status).toBe('to-plan');
  });

  it('carries the rules version and source, and validates a replacement table', () => {
    expect(activeRules.version).toBe('2025.1');
    expect(activeRules.source).toMatch(/Calendrier des vaccinations/);
    expect(evaluate({ birthDate: '2000-01-01', today: '2025-01-01' })[0]?.rulesVersion).toBe('2025.1');
    expect(() =>
      parsePreventionRules({ ...activeRules, items: [...activeRules.items, activeRules.items[0]] }),
    ).toThrow(/duplicate item id/);
    expect(() => parsePreventionRules({ version: '1', source: 's', items: [{ id: 'x' }] })).toThrow(
      /prevention rules/,
    );
  });

  it('evaluates with another table', () => {
    const rules = parsePreventionRules({
      version: 'test',
      source: 'test',
      items: [
        {
          id: 'zona',
          kind: 'vaccination',
          label: 'Vaccin contre le zona',
          sex: 'all',
          doneBy: { vaccineCodes: ['zona'] },
          schedule: {
            type: 'boosters',
            doses: [{ key: '65y', label: 'Dose', from: { years: 65 }, until: { years: 66 } }],
          },
        },
      ],
    });
    const items = evaluatePrevention(
      { ...base, birthDate: '1960-06-01', sex: 'male', today: '2025-06-01' },
      rules,
    );
    expect(keys(items)).toEqual(['zona@65y']);
  });
});
