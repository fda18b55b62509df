import { z } from 'zod';
import { contract, multipart, noContent } from '../contract.ts';
import { patientParams } from './common.ts';
import { recordDocumentView } from './record-api.ts';

/**
 * One entry of the medical profile: its section's fields (checked by the medical-profile module, section by section,
 * with its own messages) and its one-line summary.
 */
export const profileEntryView = z.looseObject({ id: z.string(), section: z.string(), summary: z.string() });

const refusedArea = z.looseObject({ section: z.string(), label: z.string(), message: z.string() });
const profileAnswer = z.object({
  entries: z.array(profileEntryView),
  masked: z.array(z.string()),
  refused: z.array(refusedArea),
});
/** The forms' choices and labels (`profileCatalogue`). */
const catalogue = z.looseObject({ sections: z.array(z.object({ section: z.string(), label: z.string() })) });

const entryParams = patientParams.extend({ entryId: z.string() });
/** An entry's fields: the section decides which, so the medical-profile module checks them. */
const entryBody = z.unknown();

export const profileContracts = {
  profile: contract({
    params: patientParams,
    query: z.object({ section: z.string().optional() }),
    response: profileAnswer.extend({ catalogue }),
  }),
  addEntry: contract({
    params: patientParams.extend({ section: z.string() }),
    body: entryBody,
    response: profileEntryView,
    status: 201,
  }),
  updateEntry: contract({ params: entryParams, body: entryBody, response: profileEntryView }),
  deleteEntry: contract({ params: entryParams, response: noContent }),
  mask: contract({
    params: patientParams.extend({ area: z.string() }),
    body: z.object({ masked: z.boolean() }),
    response: z.object({ area: z.string(), masked: z.boolean() }),
  }),
  directives: contract({
    params: patientParams,
    response: z.object({ documents: z.array(recordDocumentView) }),
  }),
  // The form's fields, checked by the medical-profile module before the PDF is built.
  writeDirectives: contract({
    params: patientParams,
    body: z.unknown(),
    response: recordDocumentView,
    status: 201,
  }),
  uploadDirectives: contract({ params: patientParams, multipart, response: recordDocumentView, status: 201 }),
  proProfile: contract({
    params: patientParams,
    response: profileAnswer.extend({
      areaLabels: z.record(z.string(), z.string()),
      measurementKinds: z.array(z.looseObject({ kind: z.string(), label: z.string() })),
      directives: z.array(recordDocumentView),
    }),
  }),
};
