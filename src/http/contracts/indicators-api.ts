import { z } from 'zod';
import { contract } from '../contract.ts';

/** The signed-in professional's MSSanté and DMP figures per month, newest first. */
export const indicatorsContracts = {
  indicators: contract({
    query: z.object({ months: z.string().optional() }),
    response: z.object({
      thresholds: z.looseObject({}),
      followUpDays: z.number(),
      definitions: z.looseObject({}),
      months: z.array(z.looseObject({ month: z.string() })),
    }),
  }),
};
