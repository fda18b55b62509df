import { z } from 'zod';
import { contract } from '../contract.ts';
import { patientParams } from './common.ts';

export const vsmContracts = {
  // The draft prefilled from the profile and the previous VSM, section by section.
  draft: contract({ params: patientParams, response: z.looseObject({ sections: z.unknown() }) }),
  // `{ sections: { <key>: { items, note } } }`, checked item by item by the VSM module with its own messages.
  write: contract({
    params: patientParams,
    body: z.unknown(),
    response: z.object({
      id: z.string(),
      title: z.string(),
      typeCode: z.string(),
      createdAt: z.string(),
      versionNumber: z.number(),
      replacedId: z.string().nullish(),
      viewUrl: z.string(),
      contentUrl: z.string(),
    }),
    status: 201,
  }),
};
