import { z } from 'zod';
import { contract, noContent, raw } from '../contract.ts';

/** A typed-in value: a string of at most 256 characters (an activation ticket is longer). */
const field = z.string().max(256);
const ticket = z.string().max(2048);

export const profileView = z.object({
  id: z.string(),
  ins: z.string(),
  firstNames: z.string(),
  birthName: z.string(),
  usedName: z.string().nullable(),
  birthDate: z.string(),
  sex: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  state: z.enum(['created', 'opposed', 'activated', 'closed']),
  mssanteAddress: z.string(),
  minor: z.boolean(),
});
export type Profile = z.infer<typeof profileView>;
export type ProfileState = Profile['state'];

export const meView = z.object({
  account: z.object({ login: z.string() }),
  self: profileView,
  managed: z.array(profileView),
});
export type Me = z.infer<typeof meView>;

export const signInChallenge = z.object({
  challengeId: z.string(),
  sentTo: z.string(),
  /** Seconds before a new code may be asked for. */
  resendInSeconds: z.number(),
  /** New codes that may still be asked for in this sign-in. */
  resendsLeft: z.number(),
});
export type SignInChallenge = z.infer<typeof signInChallenge>;

const activationBody = z.object({ nir: field, vitaleSerial: field, code: field });
const identityBody = z.object({ nir: field, vitaleSerial: field });
const message = z.object({ message: z.string() });
const login = z.object({ login: z.string() });

/** Mon espace santé's account routes: activation, opposition, sign-in, password, contact, children, closure. */
export const patientContracts = {
  verifyActivation: contract({
    body: activationBody,
    response: z.object({
      ticket: z.string(),
      person: z.object({ firstName: z.string(), lastName: z.string() }),
    }),
  }),
  completeActivation: contract({
    body: z.object({ ticket, login: field, password: field }),
    response: login,
    status: 201,
  }),
  reissueActivation: contract({ body: identityBody, response: message, status: 202 }),
  oppose: contract({ body: activationBody, response: z.object({ proofUrl: z.string() }), status: 201 }),
  oppositionProof: contract({ params: z.object({ token: z.string() }), response: raw('application/pdf') }),
  signIn: contract({ body: z.object({ login: field, password: field }), response: signInChallenge }),
  confirmSignIn: contract({
    body: z.object({ challengeId: field, code: field }),
    response: z.object({ ok: z.literal(true) }),
  }),
  resendCode: contract({ body: z.object({ challengeId: field }), response: signInChallenge }),
  requestPasswordReset: contract({
    body: identityBody,
    response: z.object({ requestId: z.string(), message: z.string() }),
    status: 202,
  }),
  confirmPasswordReset: contract({
    body: z.object({ requestId: field, code: field, password: field }),
    response: login,
  }),
  signOut: contract({ response: noContent }),
  me: contract({ response: meView }),
  updateContact: contract({
    body: z.object({
      email: field,
      phone: z.string().max(32).nullable().optional(),
      currentPassword: field.optional(),
    }),
    response: profileView,
  }),
  changePassword: contract({
    body: z.object({ currentPassword: field, newPassword: field }),
    response: noContent,
  }),
  activateChild: contract({
    body: z.object({ childNir: field, code: field }),
    response: profileView,
    status: 201,
  }),
  closeProfile: contract({
    params: z.object({ id: z.string() }),
    body: z.object({ deleteData: z.boolean() }),
    response: profileView,
  }),
};
