/**
 * The prevention engine's acceptance property: over a generated population (ages 0 to 100, both sexes, varied
 * vaccination, document and choice histories), the engine's recommendations match the rules table of
 * docs/features.md ("Prevention rules"). Each property restates a rule in its own terms (own date arithmetic, own
 * table), never by calling the engine's internals.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluatePrevention, type PreventionInput, type PreventionItem } from './index.ts';

// ---- An independent calendar: civil ages, a 31st falling back to the month's last day. ----
const asDate = (day: string) => new Date(`${day}T00:00:00Z`);
const iso = (date: Date) => date.toISOString().slice(0, 10);
function plusDays(day: string, days: number) {
  const d = asDate(day);
  d.setUTCDate(d.getUTCDate() + days);
  return iso(d);
}
function plusMonths(day: string, months: number) {
  const d = asDate(day);
  const dayOfMonth = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const daysInMonth = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(dayOfMonth, daysInMonth));
  return iso(d);
}
const birthday = (birth: string, years: number) => plusMonths(birth, 12 * years);

// ---- The rules table, restated (docs/features.md, "Prevention rules"). ----
const MAMMOGRAPHY = '24606-6';
const FIT = ['29771-3', '58453-2'];
const COLONOSCOPY = '18746-8';
const CYTOLOGY = '10524-7';
const HPV_TEST = '21440-3';
/** Infant doses, in months of age. */
const infantDoses: Record<string, { codes: string[]; months: number[] }> = {
  hexavalent: { codes: ['hexavalent'], months: [2, 4, 11] },
  'pneumocoque-nourrisson': { codes: ['pneumocoque'], months: [2, 4, 11] },
  ror: { codes: ['ror'], months: [12, 16] },
  'meningocoque-b': { codes: ['meningocoque-b'], months: [3, 5, 12] },
  // The former meningococcus C vaccine still counts for the ACWY doses.
  'meningocoque-acwy': { codes: ['meningocoque-acwy', 'meningocoque-c'], months: [6, 12] },
};
const ADULT_DTP_AGES = [25, 45, 65, 75, 85, 95];
/** The profile vaccine code that carries out each vaccination item. */
const vaccineOf: Record<string, string> = {
  ...Object.fromEntries(Object.entries(infantDoses).map(([id, d]) => [id, d.codes[0]!])),
  'dtcap-vpi': 'dtcap-vpi',
  hpv: 'hpv',
  dtp: 'dtp',
  grippe: 'grippe',
  'pneumocoque-adulte': 'pneumocoque',
};
/** The document type that proves each screening done. */
const reportOf: Record<string, string> = {
  'depistage-sein': MAMMOGRAPHY,
  'depistage-colorectal': FIT[0]!,
  'depistage-col-uterus-cytologie': CYTOLOGY,
  'depistage-col-uterus-hpv': HPV_TEST,
};
const vaccineCodes = [
  'hexavalent',
  'pneumocoque',
  'ror',
  'meningocoque-b',
  'meningocoque-acwy',
  'meningocoque-c',
  'dtcap-vpi',
  'dtp',
  'hpv',
  'grippe',
  'covid-19',
  'hepatite-b',
  'bcg',
  'zona',
  'autre',
];
const documentCodes = [MAMMOGRAPHY, ...FIT, COLONOSCOPY, CYTOLOGY, HPV_TEST, '11488-4', '18748-4', '11502-2'];

// ---- The population. ----
interface Person {
  readonly input: PreventionInput;
  readonly birth: string;
  readonly today: string;
}

const FIRST_TODAY = Date.UTC(2024, 0, 1);
const DAY_MS = 86_400_000;

/** People aged `minYears` to `maxYears` (days precision), with histories; choices are taken on what was proposed. */
function population(minYears: number, maxYears: number, sex?: 'male' | 'female'): fc.Arbitrary<Person> {
  return fc
    .record({
      todayOffset: fc.integer({ min: 0, max: 9 * 365 }),
      ageDays: fc.integer({ min: Math.round(minYears * 365.25), max: Math.round(maxYears * 365.25) }),
      sex: sex ? fc.constant(sex) : fc.constantFrom<'male' | 'female'>('male', 'female'),
      vaccinations: fc.array(
        fc.record({ code: fc.constantFrom(...vaccineCodes), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
        { maxLength: 10 },
      ),
      documents: fc.array(
        fc.record({
          code: fc.constantFrom(...documentCodes),
          // Mostly within the last intervals (where the rules bite), sometimes long ago.
          daysAgo: fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 6000 })),
        }),
        { maxLength: 5 },
      ),
      choices: fc.array(
        fc.record({
          pick: fc.nat(),
          status: fc.constantFrom<'done' | 'not-done'>('done', 'not-done'),
          daysAgo: fc.integer({ min: 0, max: 500 }),
        }),
        { maxLength: 2 },
      ),
    })
    .map((g) => {
      const today = iso(new Date(FIRST_TODAY + g.todayOffset * DAY_MS));
      const birth = plusDays(today, -g.ageDays);
      const input: PreventionInput = {
        birthDate: birth,
        sex: g.sex,
        today,
        vaccinations: g.vaccinations.map((v) => ({
          vaccineCode: v.code,
          date: plusDays(birth, Math.floor(v.at * g.ageDays)),
        })),
        documents: g.documents
          .map((d) => ({ typeCode: d.code, date: plusDays(today, -d.daysAgo) }))
          .filter((d) => d.date >= birth),
        decisions: [],
      };
      // Choices the patient could have made: on items the engine proposed back then.
      const decisions: PreventionInput['decisions'][number][] = [];
      for (const choice of g.choices) {
        const at = maxDay(birth, plusDays(today, -choice.daysAgo));
        const proposed = evaluatePrevention({ ...input, today: at, decisions }).filter(
          (i) => i.status === 'to-plan',
        );
        const item = proposed[choice.pick % Math.max(proposed.length, 1)];
        if (item)
          decisions.push({ itemId: item.itemId, occurrence: item.occurrence, status: choice.status, at });
      }
      return { input: { ...input, decisions }, birth, today };
    });
}

const maxDay = (a: string, b: string) => (a > b ? a : b);
const RUNS = { numRuns: 100 };
const evaluate = (p: Person) => evaluatePrevention(p.input);
const toPlan = (items: PreventionItem[], itemId: string) =>
  items.filter((i) => i.itemId === itemId && i.status === 'to-plan');
const decided = (p: Person, itemId: string) => p.input.decisions.some((d) => d.itemId === itemId);
const latest = (dates: string[]) => dates.sort().at(-1);
const docsOf = (p: Person, codes: string[]) =>
  p.input.documents.filter((d) => codes.includes(d.typeCode) && d.date <= p.today).map((d) => d.date);
const ageWithin = (p: Person, from: number, until: number) =>
  birthday(p.birth, from) <= p.today && p.today < birthday(p.birth, until);

describe('prevention engine over a generated population', () => {
  it('lists coherent items: unique keys, ordered windows, late only when past the window, reminders the day before and the day', () => {
    fc.assert(
      fc.property(population(0, 100), (p) => {
        const items = evaluate(p);
        expect(new Set(items.map((i) => i.key)).size).toBe(items.length);
        const horizon = plusMonths(p.today, 12);
        for (const i of items) {
          expect(i.key).toBe(`${i.itemId}@${i.occurrence}`);
          expect(i.dueFrom <= i.dueUntil).toBe(true);
          expect(i.overdue).toBe(i.status === 'to-plan' && p.today > i.dueUntil);
          expect(i.notifyOn).toEqual(i.status === 'to-plan' ? [plusDays(i.dueFrom, -1), i.dueFrom] : []);
          if (i.status === 'to-plan') expect(i.dueFrom <= horizon).toBe(true);
          if (i.status === 'done') expect(i.doneOn! <= p.today && i.doneOn! >= p.birth).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('never gives a man breast or cervical screening', () => {
    fc.assert(
      fc.property(population(0, 100, 'male'), (p) => {
        const ids = evaluate(p).map((i) => i.itemId);
        expect(ids.filter((id) => id === 'depistage-sein' || id.startsWith('depistage-col-uterus'))).toEqual(
          [],
        );
      }),
      RUNS,
    );
  });

  it('proposes screenings only within their programme ages', () => {
    const windows: Record<string, [number, number]> = {
      'depistage-sein': [50, 75],
      'depistage-colorectal': [50, 75],
      'depistage-col-uterus-cytologie': [25, 30],
      'depistage-col-uterus-hpv': [30, 66],
    };
    fc.assert(
      fc.property(population(20, 80), (p) => {
        for (const i of evaluate(p).filter((x) => x.kind === 'screening' && x.status === 'to-plan')) {
          const [from, until] = windows[i.itemId]!;
          expect(i.dueFrom >= birthday(p.birth, from) && i.dueFrom < birthday(p.birth, until)).toBe(true);
          expect(p.today < birthday(p.birth, until)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('a woman of 50 to 74 is due a mammography every 2 years', () => {
    fc.assert(
      fc.property(population(48, 76, 'female'), (p) => {
        if (!ageWithin(p, 50, 75) || decided(p, 'depistage-sein')) return;
        const due = toPlan(evaluate(p), 'depistage-sein');
        const last = latest(docsOf(p, [MAMMOGRAPHY]));
        if (last === undefined || plusMonths(last, 24) <= p.today) {
          expect(due.filter((i) => i.dueFrom <= p.today)).toHaveLength(1);
        } else {
          const next = plusMonths(last, 24);
          expect(due.map((i) => i.dueFrom)).toEqual(
            next < birthday(p.birth, 75) && next <= plusMonths(p.today, 12) ? [next] : [],
          );
        }
      }),
      RUNS,
    );
  });

  it('anyone of 50 to 74 is due colorectal screening 2 years after a stool test (5 after a colonoscopy)', () => {
    fc.assert(
      fc.property(population(48, 76), (p) => {
        if (!ageWithin(p, 50, 75) || decided(p, 'depistage-colorectal')) return;
        const due = toPlan(evaluate(p), 'depistage-colorectal').filter((i) => i.dueFrom <= p.today);
        const covered = [
          ...docsOf(p, FIT).map((d) => plusMonths(d, 24)),
          ...docsOf(p, [COLONOSCOPY]).map((d) => plusMonths(d, 60)),
        ].some((until) => until > p.today);
        expect(due).toHaveLength(covered ? 0 : 1);
      }),
      RUNS,
    );
  });

  it('a woman of 25 to 65 is due cervical screening: cytology before 30, an HPV test every 5 years after', () => {
    fc.assert(
      fc.property(population(24, 67, 'female'), (p) => {
        const items = evaluate(p);
        const cytologies = docsOf(p, [CYTOLOGY]);
        const hpvTests = docsOf(p, [HPV_TEST]);
        if (ageWithin(p, 25, 30) && cytologies.length === 0 && !decided(p, 'depistage-col-uterus-cytologie'))
          expect(
            toPlan(items, 'depistage-col-uterus-cytologie').filter((i) => i.dueFrom <= p.today),
          ).toHaveLength(1);
        if (ageWithin(p, 30, 66) && !decided(p, 'depistage-col-uterus-hpv')) {
          const due = toPlan(items, 'depistage-col-uterus-hpv').filter((i) => i.dueFrom <= p.today);
          const covered =
            hpvTests.some((d) => plusMonths(d, 60) > p.today) ||
            cytologies.some((d) => plusMonths(d, 36) > p.today);
          expect(due).toHaveLength(covered ? 0 : 1);
        }
        // Cytology: the second a year after the first, then every 3 years.
        const sorted = [...cytologies].sort();
        if (ageWithin(p, 25, 30) && sorted.length > 0 && !decided(p, 'depistage-col-uterus-cytologie')) {
          const next = sorted.length === 1 ? plusMonths(sorted[0]!, 12) : plusMonths(sorted.at(-1)!, 36);
          const due = toPlan(items, 'depistage-col-uterus-cytologie').map((i) => i.dueFrom);
          if (next > p.today && next < birthday(p.birth, 30) && next <= plusMonths(p.today, 12))
            expect(due).toEqual([maxDay(next, birthday(p.birth, 25))]);
        }
      }),
      RUNS,
    );
  });

  it("an infant's parent sees the 2-, 4- and 11-month vaccines, and the other infant doses, at their ages", () => {
    fc.assert(
      fc.property(population(0, 2), (p) => {
        if (p.today >= birthday(p.birth, 2)) return; // infant doses are caught up until 2 years
        const items = evaluate(p);
        for (const [itemId, { codes, months }] of Object.entries(infantDoses)) {
          if (decided(p, itemId) || p.input.vaccinations.some((v) => codes.includes(v.vaccineCode))) continue;
          const due = toPlan(items, itemId).map((i) => i.dueFrom);
          for (const m of months) {
            const from = plusMonths(p.birth, m);
            // Unvaccinated: each dose at its age, as soon as it is within a year.
            expect(due.includes(from)).toBe(from <= plusMonths(p.today, 12));
          }
        }
        if (p.today < plusMonths(p.birth, 1) && p.input.vaccinations.length === 0) {
          const keys = items.map((i) => i.key);
          for (const m of ['2m', '4m', '11m'])
            expect(keys).toEqual(expect.arrayContaining([`hexavalent@${m}`, `pneumocoque-nourrisson@${m}`]));
        }
      }),
      RUNS,
    );
  });

  it('an adult is due dTP at 25, 45 and 65, then every 10 years', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ADULT_DTP_AGES).chain((age) => population(age - 1.5, age + 1.5)),
        (p) => {
          const items = evaluate(p);
          for (const age of ADULT_DTP_AGES) {
            const at = birthday(p.birth, age);
            // Around the booster: from a year before it to the end of its year.
            if (p.today < plusMonths(at, -12) || p.today >= birthday(p.birth, age + 1) || decided(p, 'dtp'))
              continue;
            const given = p.input.vaccinations.some(
              (v) => ['dtp', 'dtcap-vpi'].includes(v.vaccineCode) && v.date >= birthday(p.birth, age - 1),
            );
            const item = items.find((i) => i.key === `dtp@${age}y`);
            if (given) expect(item?.status).toBe('done');
            else expect(item).toMatchObject({ status: 'to-plan', dueFrom: at });
          }
          for (const i of toPlan(items, 'dtp'))
            expect(ADULT_DTP_AGES.map((a) => `${a}y`)).toContain(i.occurrence);
        },
      ),
      RUNS,
    );
  });

  it('from 65: influenza every season within the campaign, pneumococcus once', () => {
    fc.assert(
      fc.property(population(60, 100), (p) => {
        const items = evaluate(p);
        const year = Number(p.today.slice(0, 4));
        const season = p.today >= `${year}-10-15` ? year : p.today <= `${year}-01-31` ? year - 1 : undefined;
        if (season !== undefined && birthday(p.birth, 65) <= p.today && !decided(p, 'grippe')) {
          const vaccinated = p.input.vaccinations.some(
            (v) => v.vaccineCode === 'grippe' && v.date >= `${season}-08-01` && v.date <= p.today,
          );
          const item = items.find((i) => i.key === `grippe@${season}-${season + 1}`);
          expect(item?.status).toBe(vaccinated ? 'done' : 'to-plan');
        }
        for (const i of toPlan(items, 'grippe')) {
          expect(i.dueUntil.slice(5)).toBe('01-31');
          expect(i.dueFrom >= `${Number(i.dueUntil.slice(0, 4)) - 1}-10-15`).toBe(true);
          expect(birthday(p.birth, 65) <= i.dueUntil).toBe(true);
        }
        const pneumo = toPlan(items, 'pneumocoque-adulte');
        if (birthday(p.birth, 65) <= p.today && !decided(p, 'pneumocoque-adulte')) {
          const given = p.input.vaccinations.some(
            (v) => v.vaccineCode === 'pneumocoque' && v.date >= birthday(p.birth, 65),
          );
          expect(pneumo.map((i) => i.dueFrom)).toEqual(given ? [] : [birthday(p.birth, 65)]);
        }
        if (p.today < birthday(p.birth, 64)) expect(pneumo).toEqual([]);
      }),
      RUNS,
    );
  });

  it('a vaccination given for the first pending dose marks it done', () => {
    fc.assert(
      fc.property(population(0, 100), (p) => {
        const items = evaluate(p);
        for (const itemId of new Set(items.filter((i) => i.kind === 'vaccination').map((i) => i.itemId))) {
          const first = items.find((i) => i.itemId === itemId && i.status !== 'done');
          if (first?.status !== 'to-plan' || first.dueFrom > p.today) continue;
          // A declined dose of a series is the one a new vaccination counts for first.
          if (p.input.decisions.some((d) => d.itemId === itemId && d.status === 'not-done')) continue;
          const after = evaluatePrevention({
            ...p.input,
            vaccinations: [...p.input.vaccinations, { vaccineCode: vaccineOf[itemId]!, date: first.dueFrom }],
          });
          const again = after.find((i) => i.key === first.key);
          // Done: reported as such, unless it is history (done over a year ago, its window closed).
          if (again) expect(again).toMatchObject({ status: 'done', doneOn: first.dueFrom });
          else expect(first.dueFrom < plusMonths(p.today, -12) && first.dueUntil < p.today).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('a deposited report of the screening type marks the round done', () => {
    fc.assert(
      fc.property(population(24, 76), (p) => {
        for (const due of evaluate(p).filter((i) => i.kind === 'screening' && i.status === 'to-plan')) {
          if (due.dueFrom > p.today) continue;
          const after = evaluatePrevention({
            ...p.input,
            documents: [...p.input.documents, { typeCode: reportOf[due.itemId]!, date: p.today }],
          });
          expect(after.find((i) => i.key === due.key)).toMatchObject({ status: 'done', doneBy: 'document' });
          expect(toPlan(after, due.itemId).filter((i) => i.dueFrom <= p.today)).toEqual([]);
        }
      }),
      RUNS,
    );
  });

  it('"fait" and "non fait" apply to the very occurrence chosen and stop its reminders', () => {
    fc.assert(
      fc.property(population(0, 100), fc.nat(), fc.constantFrom('done', 'not-done'), (p, pick, status) => {
        const proposed = evaluate(p).filter((i) => i.status === 'to-plan');
        const chosen = proposed[pick % Math.max(proposed.length, 1)];
        if (!chosen) return;
        const decision = {
          itemId: chosen.itemId,
          occurrence: chosen.occurrence,
          status,
          at: p.today,
        } as const;
        const after = evaluatePrevention({ ...p.input, decisions: [...p.input.decisions, decision] });
        expect(after.find((i) => i.key === chosen.key)).toMatchObject({ status, notifyOn: [] });
      }),
      RUNS,
    );
  });

  it('keeps an occurrence and its window while it waits, so reminders are not duplicated as days pass', () => {
    fc.assert(
      fc.property(population(0, 100), fc.integer({ min: 1, max: 400 }), (p, days) => {
        const later = plusDays(p.today, days);
        const after = evaluatePrevention({ ...p.input, today: later });
        for (const i of evaluate(p).filter((x) => x.status === 'to-plan' && later <= x.dueUntil)) {
          expect(after.find((a) => a.key === i.key)).toMatchObject({
            status: 'to-plan',
            dueFrom: i.dueFrom,
            dueUntil: i.dueUntil,
          });
        }
      }),
      RUNS,
    );
  });
});

describe('« Fait le … » over a generated population', () => {
  /** Screenings come back this many years after a test (the HPV test's 5, the others' 2 or 3). */
  const everyYears: Record<string, number> = {
    'depistage-sein': 2,
    'depistage-colorectal': 2,
    'depistage-col-uterus-hpv': 5,
  };
  it('a screening marked done on a day comes back its interval later (if still in the programme ages)', () => {
    fc.assert(
      fc.property(
        population(25, 80),
        fc.constantFrom(...Object.keys(everyYears)),
        fc.integer({ min: 0, max: 900 }),
        (p, itemId, daysAgo) => {
          const proposed = evaluate(p).find((i) => i.itemId === itemId && i.status === 'to-plan');
          // Another « fait » of hers on this screening is another fact of the schedule: left to the examples.
          const otherDone = p.input.decisions.some((d) => d.itemId === itemId && d.status === 'done');
          if (!proposed || otherDone) return;
          const doneOn = maxDay(p.birth, plusDays(p.today, -daysAgo));
          const items = evaluatePrevention({
            ...p.input,
            decisions: [
              ...p.input.decisions,
              { itemId, occurrence: proposed.occurrence, status: 'done', at: p.today, doneOn },
            ],
          });
          // Reports of the record are facts of the schedule too (a colonoscopy counts five years): left to the
          // examples; here, the patient's own « fait » alone.
          const reports: Record<string, string[]> = {
            'depistage-sein': [MAMMOGRAPHY],
            'depistage-colorectal': [...FIT, COLONOSCOPY],
            'depistage-col-uterus-hpv': [HPV_TEST, CYTOLOGY],
          };
          if (docsOf(p, reports[itemId]!).length > 0) return;
          const done = items.find((i) => i.key === proposed.key);
          expect(done).toMatchObject({ status: 'done', doneBy: 'decision' });
          if (done!.doneOn !== doneOn) return;
          const next = plusMonths(doneOn, 12 * everyYears[itemId]!);
          const end = birthday(p.birth, itemId === 'depistage-col-uterus-hpv' ? 66 : 75);
          const start = birthday(p.birth, itemId === 'depistage-col-uterus-hpv' ? 30 : 50);
          const expected = maxDay(next, start);
          if (next >= end) expect(done!.nextDue).toBeUndefined();
          // A round's key is its first day: the round marked done keeps it, the next one opens a day later.
          else if (expected === proposed.occurrence) expect(done!.nextDue).toBe(plusDays(expected, 1));
          else expect(done!.nextDue).toBe(expected);
          if (done!.nextDue) expect(done!.nextDue > doneOn).toBe(true);
        },
      ),
      RUNS,
    );
  });
});
