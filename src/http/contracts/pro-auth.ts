import { z } from 'zod';
import { contract, noContent, redirect } from '../contract.ts';

export const professionalView = z.object({
  nationalId: z.string(),
  rpps: z.string().nullable(),
  givenName: z.string(),
  familyName: z.string(),
  professionCode: z.string(),
  professionLabel: z.string(),
  specialtyCode: z.string().nullable(),
  /** Acting as a SAMU regulator, as the sign-in said. */
  regulator: z.boolean(),
  structure: z.object({ name: z.string(), nationalId: z.string() }).nullable(),
});
export type Professional = z.infer<typeof professionalView>;

export const foundPatient = z.object({
  id: z.string(),
  ins: z.string(),
  firstNames: z.string(),
  birthName: z.string(),
  usedName: z.string().nullable(),
  birthDate: z.string(),
  sex: z.string(),
  profileState: z.string(),
  active: z.boolean(),
});
export type FoundPatient = z.infer<typeof foundPatient>;

/** The professionals' sign-in (Pro Santé Connect), their identity and the search of a patient by INS. */
export const proAuthContracts = {
  login: contract({ response: redirect }),
  // The identity provider's answer (`code`, `state`, or an error), read by the OpenID Connect client as sent.
  callback: contract({ query: z.looseObject({}), response: redirect }),
  logout: contract({ response: noContent }),
  me: contract({ response: professionalView }),
  // `parseIns` checks the INS and says what is wrong with it.
  findPatient: contract({
    query: z.object({ ins: z.string().optional() }),
    response: z.object({ patient: foundPatient }),
  }),
  patientIdentity: contract({
    params: z.object({ patientId: z.string() }),
    response: z.object({ patient: foundPatient }),
  }),
};
