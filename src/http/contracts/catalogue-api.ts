import { z } from 'zod';
import { contract } from '../contract.ts';

const choice = z.object({ code: z.string(), label: z.string() });

/** The catalogue of referenced services in the patient space. */
export const catalogueContracts = {
  // The catalogue module checks the filters against its lists, with its own messages.
  browse: contract({
    query: z.object({
      q: z.string().optional(),
      category: z.string().optional(),
      purpose: z.string().optional(),
    }),
    response: z.object({
      total: z.number(),
      services: z.array(z.looseObject({ id: z.string(), name: z.string() })),
      categories: z.array(choice),
      purposes: z.array(choice),
    }),
  }),
  service: contract({
    params: z.object({ id: z.string() }),
    response: z.looseObject({ id: z.string(), name: z.string() }),
  }),
};
