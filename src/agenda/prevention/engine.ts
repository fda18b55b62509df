import { invalid, frenchLongDay } from '../../shared/index.ts';
import { addAge, addDays, addMonths, dayOf, isDay, maxDay, minDay, type AgeSpec } from './dates.ts';
import { activeRules, type PreventionRule, type PreventionRules, type PreventionSchedule } from './rules.ts';

export type PreventionStatus = 'to-plan' | 'done' | 'not-done';
export type PreventionDecisionStatus = 'done' | 'not-done';

export interface PreventionInput {
  /** YYYY-MM-DD */
  readonly birthDate: string;
  readonly sex: 'male' | 'female';
  /** The patient's calendar day (Europe/Paris), YYYY-MM-DD. */
  readonly today: string;
  /** From the medical profile: `vaccineCode` in the profile vocabulary, `date` YYYY-MM-DD. */
  readonly vaccinations: readonly { readonly vaccineCode: string; readonly date: string }[];
  /** From the record: the document type code (LOINC / TRE_A05) and the day of care. */
  readonly documents: readonly { readonly typeCode: string; readonly date: string }[];
  /**
   * The patient's "fait" / "non fait"; `at` is a day or an instant (when the choice was made). The latest per
   * occurrence wins. `doneOn` is the day the patient says it was done (« Fait le … »); without it, a "fait" counts
   * from the day it was recorded.
   */
  readonly decisions: readonly {
    readonly itemId: string;
    readonly occurrence: string;
    readonly status: PreventionDecisionStatus;
    readonly at: string;
    readonly doneOn?: string | undefined;
  }[];
  /** How far ahead (and back, for what was done) items are listed; 12 months by default. */
  readonly horizonMonths?: number;
}

export interface PreventionItem {
  readonly itemId: string;
  /** Stable within the item: a dose ('2m', '25y', 'dose-1'), a due day ('2026-03-12') or a season ('2025-2026'). */
  readonly occurrence: string;
  /** `<itemId>@<occurrence>` */
  readonly key: string;
  readonly kind: 'screening' | 'vaccination';
  /** French label of the item. */
  readonly label: string;
  /** French label of this occurrence, e.g. "Rappel de 25 ans". */
  readonly occurrenceLabel: string;
  readonly status: PreventionStatus;
  /** The window (age, interval or campaign) in which the occurrence is recommended, both days included. */
  readonly dueFrom: string;
  readonly dueUntil: string;
  /** Still to plan after its window closed. */
  readonly overdue: boolean;
  /** Days on which to remind the patient (the day before and the day); empty unless to plan. */
  readonly notifyOn: readonly string[];
  /** When and by what it was done (status 'done'). */
  readonly doneOn?: string;
  readonly doneBy?: 'vaccination' | 'document' | 'decision';
  /** The day of the patient's choice, when the status comes from one. */
  readonly decidedOn?: string;
  /**
   * Done: the day the next occurrence of the same item opens, as the rules compute it from this one (the next
   * screening round, the next booster, the next dose or season); absent when the calendar has none left.
   */
  readonly nextDue?: string;
  /** Overdue: the first day past its window. */
  readonly overdueSince?: string;
  /**
   * To plan, how soon: 'overdue' (its window closed), 'due' (its window is open), 'soon' (it opens within
   * `SOON_MONTHS`); absent when later.
   */
  readonly urgency?: PreventionUrgency;
  readonly rulesVersion: string;
}

export type PreventionUrgency = 'overdue' | 'due' | 'soon';

/** An item opening within this many months is "bientôt" (shown with what is late and what is due). */
export const SOON_MONTHS = 3;

/** An occurrence before listing: `proposable` says whether, still to do, it is worth proposing today. */
interface Occurrence {
  readonly occurrence: string;
  readonly occurrenceLabel: string;
  readonly dueFrom: string;
  readonly dueUntil: string;
  readonly status: PreventionStatus;
  readonly proposable: boolean;
  readonly doneOn?: string;
  readonly doneBy?: PreventionItem['doneBy'];
  readonly decidedOn?: string;
}

interface Decision {
  readonly status: PreventionDecisionStatus;
  /** The day it was done ("fait"), or the day of the choice ("non fait"). */
  readonly day: string;
  /** The day the choice was made. */
  readonly decidedOn: string;
}

interface Context {
  readonly birth: string;
  readonly today: string;
  readonly horizonEnd: string;
  readonly historyStart: string;
  readonly vaccinations: readonly { readonly vaccineCode: string; readonly date: string }[];
  readonly documents: readonly { readonly typeCode: string; readonly date: string }[];
  readonly decisions: ReadonlyMap<string, ReadonlyMap<string, Decision>>;
}

const DEFAULT_HORIZON_MONTHS = 12;

/**
 * The recommended screenings and vaccinations of one person on `today`: every occurrence due within the horizon or
 * late (to plan), done or declined recently, with its window and reminder days. Pure: same input, same answer.
 */
export function evaluatePrevention(
  input: PreventionInput,
  rules: PreventionRules = activeRules,
): PreventionItem[] {
  if (!isDay(input.birthDate)) throw invalid('prevention-birth-date', 'La date de naissance est invalide.');
  if (!isDay(input.today)) throw invalid('prevention-today', 'La date du jour est invalide.');
  if (input.today < input.birthDate) return [];
  const horizon = input.horizonMonths ?? DEFAULT_HORIZON_MONTHS;
  const within = (date: string) => isDay(date) && date >= input.birthDate && date <= input.today;
  const ctx: Context = {
    birth: input.birthDate,
    today: input.today,
    horizonEnd: addMonths(input.today, horizon),
    historyStart: addMonths(input.today, -horizon),
    vaccinations: input.vaccinations.filter((v) => within(v.date)),
    documents: input.documents.filter((d) => within(d.date)),
    decisions: latestDecisions(input.decisions, input.birthDate, input.today),
  };
  const items: PreventionItem[] = [];
  const soon = addMonths(ctx.today, SOON_MONTHS);
  for (const rule of rules.items) {
    if (rule.sex !== 'all' && rule.sex !== input.sex) continue;
    const occurrences = occurrencesOf(rule, ctx);
    for (const occ of occurrences) {
      if (!listed(occ, ctx)) continue;
      const toPlan = occ.status === 'to-plan';
      const overdue = toPlan && ctx.today > occ.dueUntil;
      const nextDue = occ.status === 'done' ? nextDueAfter(occ, occurrences) : undefined;
      const urgency: PreventionUrgency | undefined = !toPlan
        ? undefined
        : overdue
          ? 'overdue'
          : occ.dueFrom <= ctx.today
            ? 'due'
            : occ.dueFrom <= soon
              ? 'soon'
              : undefined;
      items.push({
        itemId: rule.id,
        occurrence: occ.occurrence,
        key: `${rule.id}@${occ.occurrence}`,
        kind: rule.kind,
        label: rule.label,
        occurrenceLabel: occ.occurrenceLabel,
        status: occ.status,
        dueFrom: occ.dueFrom,
        dueUntil: occ.dueUntil,
        overdue,
        notifyOn: toPlan ? [addDays(occ.dueFrom, -1), occ.dueFrom] : [],
        ...(occ.doneOn !== undefined && { doneOn: occ.doneOn }),
        ...(occ.doneBy !== undefined && { doneBy: occ.doneBy }),
        ...(occ.decidedOn !== undefined && { decidedOn: occ.decidedOn }),
        ...(nextDue !== undefined && { nextDue }),
        ...(overdue && { overdueSince: addDays(occ.dueUntil, 1) }),
        ...(urgency !== undefined && { urgency }),
        rulesVersion: rules.version,
      });
    }
  }
  // Stable sort: within one item, occurrences keep the rule's order (a 4-month dose before the 11-month booster
  // due the same day), which comparing their keys as text would not.
  return items.sort((a, b) => compare(a.dueFrom, b.dueFrom) || compare(a.itemId, b.itemId));
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * To plan: proposable and due within the horizon; done or declined: recently (done, or chosen: a test marked done
 * today with a date two years back stays in view), or while its window is open.
 */
function listed(occ: Occurrence, ctx: Context): boolean {
  if (occ.status === 'to-plan') return occ.proposable && occ.dueFrom <= ctx.horizonEnd;
  const recent = (day: string | undefined) => day !== undefined && day >= ctx.historyStart;
  return (occ.status === 'done' && recent(occ.doneOn)) || recent(occ.decidedOn) || occ.dueUntil >= ctx.today;
}

/**
 * The next occurrence after a done one: the earliest still to do, proposable, that opens after the day it was
 * done (the rules already place it: the next screening round an interval after the test, the next booster at its
 * age, the next dose after its minimum interval, the next season).
 */
function nextDueAfter(done: Occurrence, occurrences: readonly Occurrence[]): string | undefined {
  const after = done.doneOn ?? done.dueFrom;
  let next: string | undefined;
  for (const occ of occurrences)
    if (occ.status === 'to-plan' && occ.proposable && occ.dueFrom > after && (!next || occ.dueFrom < next))
      next = occ.dueFrom;
  return next;
}

function latestDecisions(decisions: PreventionInput['decisions'], birth: string, today: string) {
  const byItem = new Map<string, Map<string, Decision>>();
  for (const d of decisions) {
    const decidedOn = dayOf(d.at);
    if (decidedOn === undefined || decidedOn > today || (d.status !== 'done' && d.status !== 'not-done'))
      continue;
    // A "fait" counts from the day given, if it is a day of the patient's life; else from the day it was said.
    const doneOn =
      d.status === 'done' &&
      d.doneOn !== undefined &&
      isDay(d.doneOn) &&
      d.doneOn >= birth &&
      d.doneOn <= today
        ? d.doneOn
        : undefined;
    const forItem = byItem.get(d.itemId) ?? new Map<string, Decision>();
    byItem.set(d.itemId, forItem);
    const previous = forItem.get(d.occurrence);
    if (!previous || previous.decidedOn <= decidedOn)
      forItem.set(d.occurrence, { status: d.status, day: doneOn ?? decidedOn, decidedOn });
  }
  return byItem;
}

function occurrencesOf(rule: PreventionRule, ctx: Context): Occurrence[] {
  const codes = new Set(rule.doneBy.vaccineCodes ?? []);
  const vaccinations = ctx.vaccinations
    .filter((v) => codes.has(v.vaccineCode))
    .map((v) => v.date)
    .sort();
  const decisions = ctx.decisions.get(rule.id) ?? new Map<string, Decision>();
  const schedule = rule.schedule;
  switch (schedule.type) {
    case 'series':
      return seriesOccurrences(schedule, vaccinations, decisions, ctx);
    case 'boosters':
      return boosterOccurrences(schedule, vaccinations, decisions, ctx);
    case 'recurring':
      return recurringOccurrences(schedule, rule, decisions, ctx);
    case 'campaign':
      return campaignOccurrences(schedule, vaccinations, decisions, ctx);
  }
}

type Schedule<T extends PreventionSchedule['type']> = Extract<PreventionSchedule, { type: T }>;

const dayBefore = (day: string) => addDays(day, -1);

/** An occurrence not done by any fact: declined, or to plan. */
function pending(decision: Decision | undefined, proposable: boolean) {
  return decision?.status === 'not-done'
    ? { status: 'not-done' as const, decidedOn: decision.decidedOn, proposable }
    : { status: 'to-plan' as const, proposable };
}

/**
 * A primary series: the n-th vaccination (given from the dose's minimum age, after the previous one) is the n-th
 * dose. A dose the patient marked done takes the vaccination recorded for it, if any, so nothing counts twice.
 * A dose waits its minimum interval after the previous one, given or still due. Catch-up stops at its age: a dose
 * that could only fall due after it is not proposed, and one that can closes its window there.
 */
function seriesOccurrences(
  schedule: Schedule<'series'>,
  vaccinations: readonly string[],
  decisions: ReadonlyMap<string, Decision>,
  ctx: Context,
): Occurrence[] {
  const catchUpEnd = addAge(ctx.birth, schedule.catchUpUntil);
  const out: Occurrence[] = [];
  let next = 0;
  let previousDone: string | undefined;
  let previousDue: string | undefined;
  for (const dose of schedule.doses) {
    const acceptFrom = addAge(ctx.birth, dose.acceptFrom ?? dose.from);
    const ageFrom = addAge(ctx.birth, dose.from);
    const after = previousDone ?? previousDue;
    const dueFrom =
      after !== undefined && dose.minInterval ? maxDay(ageFrom, addAge(after, dose.minInterval)) : ageFrom;
    const dueUntil = maxDay(dayBefore(addAge(ctx.birth, dose.until)), dueFrom);
    const proposable = ctx.today < catchUpEnd && dueFrom < catchUpEnd;
    const window = {
      occurrence: dose.key,
      occurrenceLabel: dose.label,
      dueFrom,
      dueUntil: proposable ? minDay(dueUntil, dayBefore(catchUpEnd)) : dueUntil,
    };
    while (next < vaccinations.length && !acceptable(vaccinations[next]!, acceptFrom, previousDone)) next++;
    const vaccination = vaccinations[next];
    const decision = decisions.get(dose.key);
    previousDue = undefined;
    if (vaccination !== undefined && (decision?.status !== 'done' || vaccination <= decision.day)) {
      next++;
      previousDone = vaccination;
      out.push({ ...window, status: 'done', doneOn: vaccination, doneBy: 'vaccination', proposable });
    } else if (decision?.status === 'done') {
      previousDone = decision.day;
      out.push({
        ...window,
        status: 'done',
        doneOn: decision.day,
        doneBy: 'decision',
        decidedOn: decision.decidedOn,
        proposable,
      });
    } else {
      previousDone = undefined;
      previousDue = dueFrom;
      out.push({ ...window, ...pending(decision, proposable) });
    }
  }
  return out;
}

const acceptable = (date: string, acceptFrom: string, previous: string | undefined) =>
  date >= acceptFrom && (previous === undefined || date > previous);

/**
 * Boosters at set ages: a vaccination counts for the booster whose range (its minimum age up to the next booster's)
 * it falls in; a missed booster is proposed until its catch-up age (by default, the next booster's age).
 */
function boosterOccurrences(
  schedule: Schedule<'boosters'>,
  vaccinations: readonly string[],
  decisions: ReadonlyMap<string, Decision>,
  ctx: Context,
): Occurrence[] {
  const doses: {
    key: string;
    label: string;
    from: AgeSpec;
    until: AgeSpec;
    acceptFrom?: AgeSpec | undefined;
    catchUpUntil?: AgeSpec | undefined;
  }[] = [...schedule.doses];
  const repeat = schedule.repeat;
  const last = schedule.doses[schedule.doses.length - 1]!;
  if (repeat) {
    for (let years = repeat.everyYears; ; years += repeat.everyYears) {
      const from = { ...last.from, years: (last.from.years ?? 0) + years };
      // One booster past the horizon bounds the catch-up of the last one listed.
      if (addAge(ctx.birth, from) > addMonths(ctx.horizonEnd, 12 * repeat.everyYears)) break;
      doses.push({
        key: `${from.years}y`,
        label: `Rappel de ${from.years} ans`,
        from,
        until: { ...from, years: from.years + repeat.windowYears },
        acceptFrom: { ...from, years: from.years - repeat.acceptBeforeYears },
      });
    }
  }
  const acceptFrom = doses.map((d) => addAge(ctx.birth, d.acceptFrom ?? d.from));
  return doses.map((dose, i): Occurrence => {
    const dueFrom = addAge(ctx.birth, dose.from);
    const window = {
      occurrence: dose.key,
      occurrenceLabel: dose.label,
      dueFrom,
      dueUntil: dayBefore(addAge(ctx.birth, dose.until)),
    };
    const nextDose = doses[i + 1];
    const catchUpEnd = dose.catchUpUntil
      ? addAge(ctx.birth, dose.catchUpUntil)
      : nextDose && addAge(ctx.birth, nextDose.from);
    const proposable = catchUpEnd === undefined || ctx.today < catchUpEnd;
    const rangeEnd = acceptFrom[i + 1];
    const vaccination = vaccinations.find(
      (v) => v >= acceptFrom[i]! && (rangeEnd === undefined || v < rangeEnd),
    );
    const decision = decisions.get(dose.key);
    if (vaccination !== undefined)
      return { ...window, status: 'done', doneOn: vaccination, doneBy: 'vaccination', proposable };
    if (decision?.status === 'done')
      return {
        ...window,
        status: 'done',
        doneOn: decision.day,
        doneBy: 'decision',
        decidedOn: decision.decidedOn,
        proposable,
      };
    return { ...window, ...pending(decision, proposable) };
  });
}

interface Fact {
  readonly date: string;
  readonly nextAfterYears?: number | undefined;
  /** The occurrence the patient marked done, for a decision. */
  readonly occurrence?: string;
  /** The day the patient said so, for a decision. */
  readonly decidedOn?: string;
}

/**
 * A screening repeated within an age window: due at the programme's first age, then `everyYears` after the latest
 * test (or the interval its type sets). A declined round stays declined and the next one comes an interval after
 * it (or after the refusal, if later). A round's key is its due day: it stays put until a new test or choice.
 */
function recurringOccurrences(
  schedule: Schedule<'recurring'>,
  rule: PreventionRule,
  decisions: ReadonlyMap<string, Decision>,
  ctx: Context,
): Occurrence[] {
  const start = addAge(ctx.birth, schedule.from);
  const end = addAge(ctx.birth, schedule.until);
  const proposable = ctx.today < end;
  const documentTypes = new Map((rule.doneBy.documents ?? []).map((d) => [d.code, d.nextAfterYears]));
  const facts: Fact[] = ctx.documents
    .filter((d) => documentTypes.has(d.typeCode))
    .map((d) => ({ date: d.date, nextAfterYears: documentTypes.get(d.typeCode) }));
  for (const [occurrence, decision] of decisions)
    if (decision.status === 'done')
      facts.push({ date: decision.day, occurrence, decidedOn: decision.decidedOn });
  facts.sort((a, b) => compare(a.date, b.date));

  const intervalAfter = (fact: Fact) =>
    fact.nextAfterYears ??
    (schedule.firstIntervalYears !== undefined && fact === facts[0] ? schedule.firstIntervalYears : null) ??
    schedule.everyYears;
  const roundUntil = (due: string) =>
    minDay(dayBefore(addMonths(due, schedule.windowMonths)), dayBefore(end));
  const label = (due: string) => `À partir du ${frenchLongDay(due)}`;

  /** The rounds knowing the first `known` tests: the declined ones, then the one to plan (if still in age). */
  const rounds = (known: number) => {
    const declined: Occurrence[] = [];
    let due = start;
    for (const fact of facts.slice(0, known))
      due = maxDay(due, addMonths(fact.date, 12 * intervalAfter(fact)));
    if (known === 0) {
      // Nothing done yet: the round of the age bracket one is in (when the first test came, or today), not a
      // round missed decades ago. Rounds keep their days as time passes: reminders are not repeated.
      const declinedOn = [...decisions.values()].filter((d) => d.status === 'not-done').map((d) => d.day);
      const reference = [facts[0]?.date ?? ctx.today, ...declinedOn].sort(compare)[0]!;
      const step = (day: string) => addMonths(day, 12 * schedule.everyYears);
      for (let next = step(due); next <= reference && next < end; next = step(next)) due = next;
    }
    while (due < end) {
      const decision = decisions.get(due);
      if (decision?.status === 'done') {
        // Marked done without moving the schedule (same-day edge): never reuse a finished round's key.
        due = addDays(due, 1);
        continue;
      }
      const window = {
        occurrence: due,
        occurrenceLabel: label(due),
        dueFrom: due,
        dueUntil: roundUntil(due),
      };
      if (decision?.status !== 'not-done') return { declined, current: window };
      declined.push({ ...window, ...pending(decision, proposable) });
      due = addMonths(maxDay(due, decision.day), 12 * schedule.everyYears);
    }
    return { declined, current: undefined };
  };

  const now = rounds(facts.length);
  const out: Occurrence[] = [...now.declined];
  if (now.current) out.push({ ...now.current, status: 'to-plan', proposable });
  const latest = facts[facts.length - 1];
  // A report before the programme closes no round; the patient's "fait" always closes the round chosen.
  if (latest && latest.date < end && (latest.occurrence !== undefined || latest.date >= start)) {
    // The round the latest test closed: the one to plan before it was known.
    const before = rounds(facts.length - 1).current;
    const occurrence = latest.occurrence ?? before?.occurrence;
    if (occurrence !== undefined && !out.some((o) => o.occurrence === occurrence)) {
      // A round the patient marked done keeps its own window (the round before it skips that finished key).
      const window =
        latest.occurrence && /^\d{4}-\d{2}-\d{2}$/.test(latest.occurrence)
          ? { label: label(latest.occurrence), from: latest.occurrence, until: roundUntil(latest.occurrence) }
          : undefined;
      out.push({
        occurrence,
        occurrenceLabel: window?.label ?? before?.occurrenceLabel ?? 'Dépistage réalisé',
        dueFrom: window?.from ?? before?.dueFrom ?? latest.date,
        dueUntil: window?.until ?? before?.dueUntil ?? latest.date,
        status: 'done',
        doneOn: latest.date,
        doneBy: latest.occurrence !== undefined ? 'decision' : 'document',
        ...(latest.decidedOn !== undefined && { decidedOn: latest.decidedOn }),
        proposable: false,
      });
    }
  }
  return out;
}

/** One dose per season for those old enough during the campaign; a season's key is its years, e.g. '2025-2026'. */
function campaignOccurrences(
  schedule: Schedule<'campaign'>,
  vaccinations: readonly string[],
  decisions: ReadonlyMap<string, Decision>,
  ctx: Context,
): Occurrence[] {
  const eligibleFrom = addAge(ctx.birth, schedule.fromAge);
  const crossesYear = schedule.end < schedule.start;
  const out: Occurrence[] = [];
  for (let year = Number(ctx.historyStart.slice(0, 4)); year <= Number(ctx.horizonEnd.slice(0, 4)); year++) {
    const campaignStart = `${year}-${schedule.start}`;
    const campaignEnd = `${crossesYear ? year + 1 : year}-${schedule.end}`;
    if (eligibleFrom > campaignEnd) continue;
    const seasonStart = `${year}-${schedule.seasonStart}`;
    const seasonEnd = dayBefore(addMonths(seasonStart, 12));
    const occurrence = crossesYear ? `${year}-${year + 1}` : `${year}`;
    const window = {
      occurrence,
      occurrenceLabel: `Campagne ${crossesYear ? `${year}-${year + 1}` : year}`,
      dueFrom: maxDay(campaignStart, eligibleFrom),
      dueUntil: campaignEnd,
    };
    const proposable = ctx.today <= campaignEnd;
    const vaccination = vaccinations.find((v) => v >= seasonStart && v <= seasonEnd);
    const decision = decisions.get(occurrence);
    if (vaccination !== undefined)
      out.push({ ...window, status: 'done', doneOn: vaccination, doneBy: 'vaccination', proposable });
    else if (decision?.status === 'done')
      out.push({
        ...window,
        status: 'done',
        doneOn: decision.day,
        doneBy: 'decision',
        decidedOn: decision.decidedOn,
        proposable,
      });
    else out.push({ ...window, ...pending(decision, proposable) });
  }
  return out;
}
