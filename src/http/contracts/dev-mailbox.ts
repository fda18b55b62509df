import { z } from 'zod';
import { contract, raw } from '../contract.ts';

/** The development mailbox: the e-mails the embedded relay stored, for people and for tests. */
export const devMailboxContracts = {
  list: contract({ response: z.array(z.looseObject({ id: z.string() })) }),
  page: contract({ response: raw('text/html') }),
  mail: contract({ params: z.object({ id: z.string() }), response: raw('text/html') }),
};
