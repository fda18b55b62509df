import { z } from 'zod';
import rules2025 from './prevention-rules.2025.json' with { type: 'json' };

/**
 * The prevention rules (docs/features.md, "Prevention rules") as versioned data: the vaccination calendar and the
 * organised screening programmes change every year, so a new `prevention-rules.<year>.json` replaces the table
 * without code.
 */
const ageSpec = z
  .object({
    years: z.number().int().min(0).optional(),
    months: z.number().int().min(0).optional(),
    weeks: z.number().int().min(0).optional(),
    days: z.number().int().min(0).optional(),
  })
  .strict();

const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'expected MM-DD');

const seriesDose = z
  .object({
    key: z.string().min(1),
    label: z.string().min(1),
    from: ageSpec,
    until: ageSpec,
    /** Earliest age at which a vaccination counts for this dose (default: `from`). */
    acceptFrom: ageSpec.optional(),
    /** Minimum delay after the previous dose of the series. */
    minInterval: ageSpec.optional(),
  })
  .strict();

const boosterDose = z
  .object({
    key: z.string().min(1),
    label: z.string().min(1),
    from: ageSpec,
    until: ageSpec,
    acceptFrom: ageSpec.optional(),
    /** Age after which a missed booster is no longer proposed (default: the next booster's `from`). */
    catchUpUntil: ageSpec.optional(),
  })
  .strict();

const schedule = z.discriminatedUnion('type', [
  z
    .object({
      /** Doses given in order (primary series): the n-th vaccination counts for the n-th dose. */
      type: z.literal('series'),
      catchUpUntil: ageSpec,
      doses: z.array(seriesDose).min(1),
    })
    .strict(),
  z
    .object({
      /** Boosters at set ages: a vaccination counts for the booster whose age range it was given in. */
      type: z.literal('boosters'),
      doses: z.array(boosterDose).min(1),
      repeat: z
        .object({
          everyYears: z.number().int().min(1),
          windowYears: z.number().int().min(1),
          acceptBeforeYears: z.number().int().min(0),
        })
        .strict()
        .optional(),
    })
    .strict(),
  z
    .object({
      /** A test repeated every `everyYears` within an age window, counted from the latest test. */
      type: z.literal('recurring'),
      from: ageSpec,
      until: ageSpec,
      everyYears: z.number().int().min(1),
      /** Interval after the very first known test, when it differs (cervical cytology: one year). */
      firstIntervalYears: z.number().int().min(1).optional(),
      /** How long an occurrence stays current before it is late. */
      windowMonths: z.number().int().min(1),
    })
    .strict(),
  z
    .object({
      /** One dose per season from `fromAge`, within the campaign window `start`..`end` (MM-DD). */
      type: z.literal('campaign'),
      fromAge: ageSpec,
      start: monthDay,
      end: monthDay,
      /** First day of the season a vaccination counts for (a season runs a year from it). */
      seasonStart: monthDay,
    })
    .strict(),
]);

const item = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    kind: z.enum(['screening', 'vaccination']),
    label: z.string().min(1),
    sex: z.enum(['all', 'female', 'male']),
    doneBy: z
      .object({
        vaccineCodes: z.array(z.string().min(1)).optional(),
        documents: z
          .array(
            z
              .object({
                code: z.string().min(1),
                label: z.string().min(1),
                /** When this test type sets its own interval before the next occurrence. */
                nextAfterYears: z.number().int().min(1).optional(),
              })
              .strict(),
          )
          .optional(),
      })
      .strict(),
    schedule,
  })
  .strict();

const rulesSchema = z
  .object({
    version: z.string().min(1),
    source: z.string().min(1),
    notes: z.array(z.string()).default([]),
    items: z.array(item).min(1),
  })
  .refine((r) => new Set(r.items.map((i) => i.id)).size === r.items.length, { message: 'duplicate item id' })
  .refine(
    (r) =>
      r.items.every(
        (i) =>
          !('doses' in i.schedule) ||
          new Set(i.schedule.doses.map((d) => d.key)).size === i.schedule.doses.length,
      ),
    { message: 'duplicate dose key' },
  );

export type PreventionRules = z.infer<typeof rulesSchema>;
export type PreventionRule = PreventionRules['items'][number];
export type PreventionSchedule = PreventionRule['schedule'];

/** Validates a rules table; throws an Error naming the origin and the first problem. */
export function parsePreventionRules(raw: unknown, origin = 'rules'): PreventionRules {
  const parsed = rulesSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`prevention rules ${origin}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`);
  }
  return deepFreeze(parsed.data);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** The table in force (2025 calendar). */
export const activeRules: PreventionRules = parsePreventionRules(rules2025, 'prevention-rules.2025.json');
