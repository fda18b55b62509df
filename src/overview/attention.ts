import type { PreventionItem } from '../agenda/index.ts';

/** How many days ahead a screening or vaccination still to plan is shown on the home as coming up. */
export const DUE_SOON_DAYS = 30;

/** A screening or vaccination the home asks the patient to plan. */
export interface PreventionReminder {
  readonly key: string;
  readonly kind: PreventionItem['kind'];
  readonly label: string;
  readonly occurrenceLabel: string;
  readonly dueFrom: string;
  readonly dueUntil: string;
}

export interface PreventionAttention {
  /** Still to plan after its window closed. */
  readonly overdue: readonly PreventionReminder[];
  /** Still to plan, its window open today or opening within `DUE_SOON_DAYS`. */
  readonly dueSoon: readonly PreventionReminder[];
}

const addDays = (day: string, days: number) => {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};

/**
 * The prevention items that need the patient now, from the agenda's list (`today`: the Paris day): overdue first
 * (the longest overdue first), then those due soon (the soonest first). Done or declined items never do. Pure.
 */
export function preventionAttention(
  items: readonly PreventionItem[],
  today: string,
  soonDays = DUE_SOON_DAYS,
): PreventionAttention {
  const horizon = addDays(today, soonDays);
  const toPlan = items.filter((i) => i.status === 'to-plan');
  const reminder = (i: PreventionItem): PreventionReminder => ({
    key: i.key,
    kind: i.kind,
    label: i.label,
    occurrenceLabel: i.occurrenceLabel,
    dueFrom: i.dueFrom,
    dueUntil: i.dueUntil,
  });
  const byDay = (pick: (i: PreventionItem) => string) => (a: PreventionItem, b: PreventionItem) =>
    pick(a).localeCompare(pick(b)) || a.key.localeCompare(b.key);
  return {
    overdue: toPlan
      .filter((i) => i.overdue)
      .sort(byDay((i) => i.dueUntil))
      .map(reminder),
    dueSoon: toPlan
      .filter((i) => !i.overdue && i.dueFrom <= horizon)
      .sort(byDay((i) => i.dueFrom))
      .map(reminder),
  };
}
