import { z } from 'zod';
import { contract } from '../contract.ts';
import { pageQuery, patientParams } from './common.ts';

/** « Mon histoire de santé »'s filters; the insurer module checks year, month and category with its own messages. */
const careQuery = pageQuery.extend({
  year: z.string().optional(),
  month: z.string().optional(),
  category: z.string().optional(),
});
/** Reimbursed care by year, month and category (src/insurer). */
const careHistory = z.looseObject({});

export const insurerContracts = {
  patientCareHistory: contract({ params: patientParams, query: careQuery, response: careHistory }),
  proCareHistory: contract({ params: patientParams, query: careQuery, response: careHistory }),
};
