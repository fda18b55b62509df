import { z } from 'zod';
import { contract } from '../contract.ts';

/** One month's figures (`MonthIndicators`, src/indicators). */
const indicatorMonth = z.object({
  /** YYYY-MM. */
  month: z.string(),
  consultations: z.number(),
  withDeposit: z.number(),
  withMessage: z.number(),
  depositShare: z.number(),
  messageShare: z.number(),
  depositMet: z.boolean(),
  messageMet: z.boolean(),
  provisional: z.boolean(),
  deposits: z.number(),
  vsmAld: z.number(),
  vsmOther: z.number(),
});
export type IndicatorMonth = z.infer<typeof indicatorMonth>;

export const indicatorsView = z.object({
  thresholds: z.object({ deposit: z.number(), message: z.number() }),
  followUpDays: z.number(),
  /** What each figure counts, in French (`indicatorDefinitions`, src/indicators/rules.ts). */
  definitions: z.object({
    consultations: z.string(),
    deposit: z.string(),
    message: z.string(),
    provisional: z.string(),
    vsm: z.string(),
  }),
  /** Newest first. */
  months: z.array(indicatorMonth),
});
export type Indicators = z.infer<typeof indicatorsView>;

/** The signed-in professional's MSSanté and DMP figures per month, newest first. */
export const indicatorsContracts = {
  indicators: contract({ query: z.object({ months: z.string().optional() }), response: indicatorsView }),
};
