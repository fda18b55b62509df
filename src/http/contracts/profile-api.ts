import { z } from 'zod';
import { contract, multipart, noContent } from '../contract.ts';
import { patientParams } from './common.ts';
import { recordDocumentView } from './record-api.ts';

/**
 * One entry of the medical profile (`ProfileEntry`, src/medical-profile/types.ts) and its one-line summary. Its
 * `data` holds its section's fields, checked by the medical-profile module section by section with its own messages.
 */
export const profileEntryView = z.object({
  id: z.string(),
  patientId: z.string(),
  section: z.string(),
  data: z.record(z.string(), z.unknown()),
  source: z.enum(['patient', 'insurer', 'app']),
  /** The source's own identifier of the entry (insurer line id, app record id); null for the patient's own. */
  sourceRef: z.string().nullable(),
  sourceName: z.string().nullable(),
  recordedAt: z.string(),
  updatedAt: z.string(),
  summary: z.string(),
});
export type ProfileEntryView = z.infer<typeof profileEntryView>;

/** A section the principal may not read, and why (a `DenyReason` of src/access, said in French). */
const refusedArea = z.object({
  section: z.string(),
  reason: z.string(),
  label: z.string(),
  message: z.string(),
});
export type RefusedSection = z.infer<typeof refusedArea>;
const profileAnswer = z.object({
  entries: z.array(profileEntryView),
  masked: z.array(z.string()),
  refused: z.array(refusedArea),
});

const labels = z.record(z.string(), z.string());
/** A measurement's kind, unit and plausible range (src/medical-profile/measurements.ts). */
const measurementKind = z.object({
  kind: z.string(),
  label: z.string(),
  unit: z.string(),
  unitLabel: z.string(),
  min: z.number(),
  max: z.number(),
  decimals: z.number(),
  loinc: z.string(),
});
export type MeasurementKindView = z.infer<typeof measurementKind>;
/** The forms' choices and labels (`profileCatalogue`, src/http/routes/profile-api.ts). */
const catalogue = z.object({
  sections: z.array(z.object({ section: z.string(), label: z.string() })),
  areaLabels: labels,
  vaccines: z.array(z.object({ code: z.string(), label: z.string() })),
  measurementKinds: z.array(measurementKind),
  allergyCategories: labels,
  allergySeverities: labels,
  familyRelations: labels,
  lifestyleTopics: labels,
  contactRoles: labels,
  organDonation: labels,
});
export type ProfileCatalogue = z.infer<typeof catalogue>;

export const patientProfileView = profileAnswer.extend({ catalogue });
export type ProfileAnswer = z.infer<typeof patientProfileView>;
export const proProfileView = profileAnswer.extend({
  areaLabels: labels,
  measurementKinds: z.array(measurementKind),
  directives: z.array(recordDocumentView),
});
export type ProProfileAnswer = z.infer<typeof proProfileView>;

export const directivesView = z.object({ documents: z.array(recordDocumentView) });
export type DirectivesView = z.infer<typeof directivesView>;

const entryParams = patientParams.extend({ entryId: z.string() });
/** An entry's fields: the section decides which, so the medical-profile module checks them. */
const entryBody = z.unknown();

export const profileContracts = {
  profile: contract({
    params: patientParams,
    query: z.object({ section: z.string().optional() }),
    response: patientProfileView,
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
    response: directivesView,
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
    response: proProfileView,
  }),
};
