import { z } from 'zod';
import { contract } from '../contract.ts';

/** Liveness says the process answers; readiness says it can reach its database. */
export const healthContracts = {
  live: contract({ response: z.object({ status: z.literal('ok') }) }),
  ready: contract({ response: z.object({ status: z.literal('ready') }) }),
};
