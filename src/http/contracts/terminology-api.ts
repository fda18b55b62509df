import { z } from 'zod';
import { contract } from '../contract.ts';

export const terminologyContracts = {
  // Whether a code exists in a terminology (the portal flags a typo as the doctor leaves the field).
  check: contract({
    params: z.object({ system: z.string(), code: z.string() }),
    response: z.object({ known: z.boolean() }),
  }),
};
