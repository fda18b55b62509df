import { describe, expect, it } from 'vitest';
import { evaluatePrevention, type PreventionInput } from './index.ts';

const base = { sex: 'female', vaccinations: [], documents: [], decisions: [] } as const;
const evaluate = (input: Partial<PreventionInput> & Pick<PreventionInput, 'birthDate' | 'today'>) =>
  evaluatePrevention({ ...base, ...input });
const done = (itemId: string, occurrence: string, doneOn: string | undefined, at = '2026-12-06') => ({
  itemId,
  occurrence,
  status: 'done' as const,
  at,
  ...(doneOn !== undefined && { doneOn }),
});
const ofItem = (items: ReturnType<typeof evaluate>, itemId: string) =>
  items.filter((i) => i.itemId === itemId);

/** A woman born on 3 September 1971, seen on 6 December 2026 (the demo's Marie MOREL). */
const marie = { birthDate: '1971-09-03', today: '2026-12-06' };

describe('« Fait le … » and the next due date', () => {
  it('an overdue screening says since when, then « fait » on a given day moves the next round two years on', () => {
    const before = evaluate(marie);
    expect(ofItem(before, 'depistage-colorectal')).toMatchObject([
      {
        status: 'to-plan',
        overdue: true,
        dueUntil: '2026-09-02',
        overdueSince: '2026-09-03',
        urgency: 'overdue',
      },
    ]);
    const occurrence = ofItem(before, 'depistage-colorectal')[0]!.occurrence;
    const after = evaluate({
      ...marie,
      decisions: [done('depistage-colorectal', occurrence, '2026-11-10')],
    });
    expect(ofItem(after, 'depistage-colorectal')).toEqual([
      expect.objectContaining({
        occurrence,
        status: 'done',
        doneOn: '2026-11-10',
        doneBy: 'decision',
        decidedOn: '2026-12-06',
        nextDue: '2028-11-10',
        overdue: false,
      }),
    ]);
    expect(ofItem(after, 'depistage-colorectal')[0]).not.toHaveProperty('urgency');
    expect(ofItem(after, 'depistage-colorectal')[0]).not.toHaveProperty('overdueSince');
  });

  it('mammography every 2 years from the day it was done', () => {
    const occurrence = ofItem(evaluate(marie), 'depistage-sein')[0]!.occurrence;
    const after = evaluate({ ...marie, decisions: [done('depistage-sein', occurrence, '2026-03-02')] });
    expect(ofItem(after, 'depistage-sein')).toMatchObject([
      { status: 'done', doneOn: '2026-03-02', nextDue: '2028-03-02' },
    ]);
  });

  it('cervical screening: a HPV test every 5 years from 30; a cytology at 25, then after 1 year, then every 3 years', () => {
    const hpv = { birthDate: '1986-02-01', today: '2026-12-06' };
    const occurrence = ofItem(evaluate(hpv), 'depistage-col-uterus-hpv')[0]!.occurrence;
    const after = evaluate({
      ...hpv,
      decisions: [done('depistage-col-uterus-hpv', occurrence, '2026-01-15')],
    });
    expect(ofItem(after, 'depistage-col-uterus-hpv')).toMatchObject([
      { status: 'done', nextDue: '2031-01-15' },
    ]);

    const young = { birthDate: '2001-01-10', today: '2026-12-06' };
    const first = ofItem(evaluate(young), 'depistage-col-uterus-cytologie')[0]!;
    const once = evaluate({
      ...young,
      decisions: [done('depistage-col-uterus-cytologie', first.occurrence, '2026-02-01')],
    });
    expect(ofItem(once, 'depistage-col-uterus-cytologie')).toMatchObject([
      { status: 'done', doneOn: '2026-02-01', nextDue: '2027-02-01' },
      // Within three months: listed, « bientôt ».
      { status: 'to-plan', dueFrom: '2027-02-01', urgency: 'soon' },
    ]);
    // A report of the year before makes this test the second: the next comes three years on.
    const twice = evaluate({
      ...young,
      documents: [{ typeCode: '10524-7', date: '2025-01-20' }],
      decisions: [done('depistage-col-uterus-cytologie', '2026-01-20', '2026-02-01')],
    });
    expect(ofItem(twice, 'depistage-col-uterus-cytologie').find((i) => i.status === 'done')).toMatchObject({
      doneOn: '2026-02-01',
      nextDue: '2029-02-01',
    });
  });

  it('dTP boosters at 25, 45 and 65 years, then every 10 years', () => {
    const at45 = { birthDate: '1981-05-10', today: '2026-12-06' };
    expect(ofItem(evaluate(at45), 'dtp')).toMatchObject([{ occurrence: '45y', urgency: 'due' }]);
    const after45 = evaluate({ ...at45, decisions: [done('dtp', '45y', '2026-11-01')] });
    expect(ofItem(after45, 'dtp')).toMatchObject([
      { occurrence: '45y', status: 'done', nextDue: '2046-05-10' },
    ]);

    const at65 = { birthDate: '1961-03-01', today: '2026-12-06' };
    const after65 = evaluate({ ...at65, decisions: [done('dtp', '65y', '2026-04-01')] });
    expect(ofItem(after65, 'dtp')).toMatchObject([
      { occurrence: '65y', status: 'done', nextDue: '2036-03-01' },
    ]);

    const at25 = { birthDate: '2001-06-01', today: '2026-12-06' };
    const after25 = evaluate({ ...at25, decisions: [done('dtp', '25y', '2026-07-01')] });
    expect(ofItem(after25, 'dtp')).toMatchObject([
      { occurrence: '25y', status: 'done', nextDue: '2046-06-01' },
    ]);
  });

  it('a test marked done long ago stays in view, and the round it brings forward is due now', () => {
    const occurrence = ofItem(evaluate(marie), 'depistage-colorectal')[0]!.occurrence;
    const items = ofItem(
      evaluate({ ...marie, decisions: [done('depistage-colorectal', occurrence, '2024-01-10')] }),
      'depistage-colorectal',
    );
    expect(items.map((i) => [i.status, i.doneOn ?? i.dueFrom, i.nextDue, i.urgency])).toEqual([
      ['done', '2024-01-10', '2026-01-10', undefined],
      ['to-plan', '2026-01-10', undefined, 'due'],
    ]);
  });

  it('a « fait » dated in the future or before birth counts from the day it was said', () => {
    const occurrence = ofItem(evaluate(marie), 'depistage-sein')[0]!.occurrence;
    for (const doneOn of ['2027-01-01', '1960-01-01', 'hier']) {
      const items = evaluate({ ...marie, decisions: [done('depistage-sein', occurrence, doneOn)] });
      expect(ofItem(items, 'depistage-sein')).toMatchObject([
        { status: 'done', doneOn: '2026-12-06', nextDue: '2028-12-06' },
      ]);
    }
  });

  it('a vaccine of the seasonal campaign: next season after this one', () => {
    const senior = { birthDate: '1950-01-01', today: '2026-12-06' };
    const after = evaluate({ ...senior, decisions: [done('grippe', '2026-2027', '2026-10-20')] });
    expect(ofItem(after, 'grippe').find((i) => i.occurrence === '2026-2027')).toMatchObject({
      status: 'done',
      nextDue: '2027-10-15',
    });
  });

  it('nothing next when the programme ends before another round', () => {
    const at74 = { birthDate: '1952-03-01', today: '2026-12-06' };
    const occurrence = ofItem(evaluate(at74), 'depistage-sein')[0]!.occurrence;
    const items = evaluate({ ...at74, decisions: [done('depistage-sein', occurrence, '2026-06-01')] });
    expect(ofItem(items, 'depistage-sein')).toEqual([
      expect.objectContaining({ status: 'done', doneOn: '2026-06-01' }),
    ]);
    expect(ofItem(items, 'depistage-sein')[0]).not.toHaveProperty('nextDue');
  });
});

describe('how soon an item to plan is', () => {
  it('« bientôt » when it opens within three months, nothing when later', () => {
    const soon = evaluate({ birthDate: '1977-02-01', today: '2026-12-06' });
    expect(ofItem(soon, 'depistage-sein')).toMatchObject([{ dueFrom: '2027-02-01', urgency: 'soon' }]);
    const later = evaluate({ birthDate: '1977-06-01', today: '2026-12-06' });
    expect(ofItem(later, 'depistage-sein')).toMatchObject([{ dueFrom: '2027-06-01' }]);
    expect(ofItem(later, 'depistage-sein')[0]).not.toHaveProperty('urgency');
  });
});
