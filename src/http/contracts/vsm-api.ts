import { z } from 'zod';
import { allergySeverities, familyRelatives, vsmCodeSystems, vsmSectionKeys } from '../../vsm/index.ts';
import { contract } from '../contract.ts';
import { patientParams } from './common.ts';

/** A coded concept (`VsmCode`, src/vsm/items.ts). */
const vsmCode = z.object({
  system: z.enum(vsmCodeSystems),
  code: z.string(),
  display: z.string(),
});
export type VsmCode = z.infer<typeof vsmCode>;
const vsmValue = z.union([
  z.object({ quantity: z.number(), unit: z.string() }),
  z.object({ text: z.string() }),
]);
export type VsmValue = z.infer<typeof vsmValue>;

/** One item of a section as the draft gives it (`VsmItem`, src/vsm/items.ts): a line of text, coded where known. */
const vsmItem = z.object({
  text: z.string(),
  code: vsmCode.optional(),
  /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
  start: z.string().optional(),
  end: z.string().optional(),
  reaction: z.string().optional(),
  severity: z.enum(allergySeverities).optional(),
  relative: z.enum(familyRelatives).optional(),
  product: vsmCode.optional(),
  route: vsmCode.optional(),
  dosage: z.string().optional(),
  value: vsmValue.optional(),
});
export type VsmItem = z.infer<typeof vsmItem>;

/** In the order of the form. */
const sectionKey = z.enum(vsmSectionKeys);

/** The draft prefilled from the profile and the previous VSM (`VsmDraft`, src/vsm/services.ts), section by section. */
export const vsmDraftView = z.object({
  patient: z.object({ name: z.string(), ins: z.string(), birthDate: z.string() }),
  sections: z.array(
    z.object({ key: sectionKey, label: z.string(), items: z.array(vsmItem), note: z.string() }),
  ),
  /** The VSM the draft starts from. */
  previous: z
    .object({
      documentId: z.string(),
      title: z.string(),
      createdAt: z.string(),
      authorName: z.string(),
      ownDocument: z.boolean(),
    })
    .nullable(),
  /** Profile sections the doctor may not read (habilitation, or masked by the patient). */
  profileUnavailable: z.array(z.object({ section: z.string(), label: z.string() })),
  /** Why part of the prefill is missing, in French. */
  notices: z.array(z.string()),
});
export type VsmDraftView = z.infer<typeof vsmDraftView>;

export const writtenVsm = z.object({
  id: z.string(),
  title: z.string(),
  typeCode: z.string(),
  createdAt: z.string(),
  versionNumber: z.number(),
  /** The doctor's previous VSM this one replaces. */
  replacedId: z.string().nullable(),
  viewUrl: z.string(),
  contentUrl: z.string(),
});
export type WrittenVsm = z.infer<typeof writtenVsm>;

export const vsmContracts = {
  draft: contract({ params: patientParams, response: vsmDraftView }),
  // `{ sections: { <key>: { items, note } } }`, checked item by item by the VSM module with its own messages.
  write: contract({ params: patientParams, body: z.unknown(), response: writtenVsm, status: 201 }),
};
