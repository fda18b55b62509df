import { describe, expect, it } from 'vitest';
import type { PreventionItem } from '../agenda/index.ts';
import { preventionAttention } from './attention.ts';

const item = (key: string, extra: Partial<PreventionItem>): PreventionItem => ({
  itemId: key.split('@')[0]!,
  occurrence: key.split('@')[1]!,
  key,
  kind: 'screening',
  label: key,
  occurrenceLabel: key,
  status: 'to-plan',
  dueFrom: '2026-01-01',
  dueUntil: '2026-12-31',
  overdue: false,
  notifyOn: [],
  rulesVersion: 'test',
  ...extra,
});

describe('what prevention needs the patient now', () => {
  const today = '2026-12-06';
  const items = [
    item('late@b', { dueFrom: '2025-01-01', dueUntil: '2025-12-31', overdue: true }),
    item('later@a', { dueFrom: '2024-01-01', dueUntil: '2024-12-31', overdue: true }),
    item('open@a', { dueFrom: '2026-09-01', dueUntil: '2027-08-31' }),
    item('soon@a', { dueFrom: '2027-01-05', dueUntil: '2027-12-31', kind: 'vaccination' }),
    item('far@a', { dueFrom: '2027-01-06', dueUntil: '2027-12-31' }),
    item('done@a', { status: 'done', dueFrom: '2026-01-01', dueUntil: '2026-06-30', overdue: false }),
    item('declined@a', { status: 'not-done', dueFrom: '2025-01-01', dueUntil: '2025-06-30' }),
  ];

  it('puts the longest overdue first, then what is due now or within 30 days, soonest first', () => {
    const attention = preventionAttention(items, today);
    expect(attention.overdue.map((i) => i.key)).toEqual(['later@a', 'late@b']);
    expect(attention.dueSoon.map((i) => i.key)).toEqual(['open@a', 'soon@a']);
  });

  it('never asks again for what was done or declined', () => {
    const { overdue, dueSoon } = preventionAttention(items, today);
    const keys = [...overdue, ...dueSoon].map((i) => i.key);
    expect(keys).not.toContain('done@a');
    expect(keys).not.toContain('declined@a');
  });

  it('has nothing to say when everything is done', () => {
    expect(preventionAttention([items[5]!], today)).toEqual({ overdue: [], dueSoon: [] });
  });
});
