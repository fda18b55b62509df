import { z } from 'zod';
import { careCategories } from '../../insurer/index.ts';
import { contract } from '../contract.ts';
import { pageQuery, patientParams } from './common.ts';

/** « Mon histoire de santé »'s filters; the insurer module checks year, month and category with its own messages. */
const careQuery = pageQuery.extend({
  year: z.string().optional(),
  month: z.string().optional(),
  category: z.string().optional(),
});
const careCategory = z.enum(careCategories);

/** One reimbursed care line (`CareItem`, src/insurer/history.ts). */
const careItem = z.object({
  id: z.string(),
  /** YYYY-MM-DD. */
  date: z.string(),
  category: careCategory,
  categoryLabel: z.string(),
  label: z.string(),
  professional: z.string(),
  rpps: z.string().nullable(),
  /** Amount reimbursed by the Assurance Maladie, in euro cents. */
  amountCents: z.number(),
  /** The insurer's line id. */
  sourceRef: z.string(),
});
export type CareItem = z.infer<typeof careItem>;

/** Reimbursed care by year, month and category (`CareHistoryView`, src/insurer/history.ts). */
export const careHistory = z.object({
  filter: z.object({
    year: z.string().nullable(),
    month: z.string().nullable(),
    category: careCategory.nullable(),
  }),
  total: z.number(),
  items: z.array(careItem),
  /** Counts to browse by: every year; the months of the chosen year; the categories within year and month. */
  facets: z.object({
    years: z.array(z.object({ year: z.string(), count: z.number() })),
    months: z.array(z.object({ month: z.string(), count: z.number() })),
    categories: z.array(z.object({ category: careCategory, label: z.string(), count: z.number() })),
  }),
  /** The patient hid their history from professionals (only an administrateur still reads it). */
  masked: z.boolean(),
});
export type CareHistory = z.infer<typeof careHistory>;

export const insurerContracts = {
  patientCareHistory: contract({ params: patientParams, query: careQuery, response: careHistory }),
  proCareHistory: contract({ params: patientParams, query: careQuery, response: careHistory }),
};
