import { describe, expect, it } from 'vitest';
import {
  addDays,
  computeIndicators,
  dayInFrance,
  inAld,
  lastDayOf,
  lastMonths,
  type IndicatorFacts,
} from './rules.ts';

const none: IndicatorFacts = { consultations: [], deposits: [], messages: [], ald: [] };

describe('indicator rules', () => {
  it('counts calendar days and months', () => {
    expect(addDays('2026-01-31', 30)).toBe('2026-03-02');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(lastDayOf('2024-02')).toBe('2024-02-29');
    expect(lastDayOf('2026-12')).toBe('2026-12-31');
    expect(lastMonths('2026-02-10', 3)).toEqual(['2025-12', '2026-01', '2026-02']);
    // 23:30 UTC on 5 March is already 6 March in France; in summer (UTC+2) 22:30 UTC is the next day too.
    expect(dayInFrance('2026-03-05T23:30:00.000Z')).toBe('2026-03-06');
    expect(dayInFrance('2026-07-05T22:30:00.000Z')).toBe('2026-07-06');
    expect(dayInFrance('2026-07-05T21:30:00.000Z')).toBe('2026-07-05');
  });

  it('counts each consultation and whether a deposit or a message followed within 30 days', () => {
    const facts: IndicatorFacts = {
      ...none,
      consultations: [
        { patientId: 'a', day: '2026-03-02' }, // deposit the same day, message 30 days after: both count
        { patientId: 'b', day: '2026-03-10' }, // deposit 31 days after: too late
        { patientId: 'c', day: '2026-03-20' }, // deposit the day before: not « following » it
        { patientId: 'd', day: '2026-03-25' }, // a deposit for another patient does not count
        { patientId: 'a', day: '2026-03-30' }, // the same patient again: a second consultation (message only)
      ],
      deposits: [
        { patientId: 'a', day: '2026-03-02', vsm: false },
        { patientId: 'b', day: '2026-04-10', vsm: false },
        { patientId: 'c', day: '2026-03-19', vsm: false },
        { patientId: 'x', day: '2026-03-26', vsm: false },
      ],
      messages: [
        { patientId: 'a', day: '2026-04-01' },
        { patientId: 'b', day: '2026-02-01' },
      ],
    };
    const [feb, march] = computeIndicators(facts, ['2026-02', '2026-03'], '2026-05-15');
    expect(feb).toMatchObject({ consultations: 0, withDeposit: 0, depositShare: 0, depositMet: false });
    expect(march).toMatchObject({
      month: '2026-03',
      consultations: 5,
      withDeposit: 1,
      withMessage: 2,
      depositShare: 0.2,
      messageShare: 0.4,
      depositMet: true,
      messageMet: true,
      provisional: false, // 31 March + 30 days = 30 April, before 15 May
      deposits: 3, // a, c, x deposited in March; b's came in April
    });
    expect(computeIndicators(facts, ['2026-03'], '2026-04-30')[0]!.provisional).toBe(true);
    expect(computeIndicators(facts, ['2026-03'], '2026-05-01')[0]!.provisional).toBe(false);
  });

  it('meets a target at exactly its share, not below', () => {
    const consultations = Array.from({ length: 20 }, (_, i) => ({ patientId: `p${i}`, day: '2026-03-05' }));
    const facts = (deposited: number, messaged: number): IndicatorFacts => ({
      ...none,
      consultations,
      deposits: consultations.slice(0, deposited).map((c) => ({ ...c, vsm: false })),
      messages: consultations.slice(0, messaged),
    });
    const met = computeIndicators(facts(4, 1), ['2026-03'], '2026-06-01')[0]!;
    expect(met).toMatchObject({ depositShare: 0.2, depositMet: true, messageShare: 0.05, messageMet: true });
    const below = computeIndicators(facts(3, 0), ['2026-03'], '2026-06-01')[0]!;
    expect(below).toMatchObject({ depositMet: false, messageMet: false });
  });

  it('counts VSM deposits apart for patients in ALD on the day of the deposit', () => {
    const ald = [
      { patientId: 'ald', start: '2020-01-01', end: undefined },
      { patientId: 'ended', start: '2020-01-01', end: '2026-03-09' },
      { patientId: 'later', start: '2026-03-20', end: '2031-03-19' },
    ];
    expect(inAld(ald, 'ended', '2026-03-09')).toBe(true);
    expect(inAld(ald, 'ended', '2026-03-10')).toBe(false);
    const facts: IndicatorFacts = {
      ...none,
      ald,
      deposits: [
        { patientId: 'ald', day: '2026-03-03', vsm: true },
        { patientId: 'ald', day: '2026-03-04', vsm: false }, // not a VSM
        { patientId: 'ended', day: '2026-03-10', vsm: true }, // ALD over the day before
        { patientId: 'later', day: '2026-03-15', vsm: true }, // ALD not yet recognised
        { patientId: 'later', day: '2026-03-20', vsm: true },
        { patientId: 'none', day: '2026-03-21', vsm: true },
        { patientId: 'none', day: '2026-03-22', vsm: true }, // a corrected version: the same patient
        { patientId: 'ald', day: '2026-04-01', vsm: true }, // next month
      ],
    };
    const [march, april] = computeIndicators(facts, ['2026-03', '2026-04'], '2026-04-02');
    // Patients: 'ald' and 'later' (from the 20th) in ALD; 'ended' and 'none' not.
    expect(march).toMatchObject({ deposits: 7, vsmAld: 2, vsmOther: 2, consultations: 0 });
    expect(april).toMatchObject({ deposits: 1, vsmAld: 1, vsmOther: 0 });
  });
});
