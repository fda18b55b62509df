import { z } from 'zod';
import { contract, noContent, redirect } from '../contract.ts';

const patientParams = z.object({ patientId: z.string() });
/** The OAuth parameters a service sends (RFC 6749 §4.1.1, PKCE, SMART `aud`); the route keeps only those. */
const authorizationQuery = z.looseObject({});

export const connectionView = z.object({
  id: z.string(),
  service: z.object({ id: z.string(), name: z.string(), status: z.string() }),
  purposes: z.array(z.object({ code: z.string(), label: z.string() })),
  connectedAt: z.string(),
  lastUsedAt: z.string().nullable(),
  /** This app's latest traces in the patient's audit trail. */
  accesses: z.array(z.object({ at: z.string(), action: z.string(), label: z.string(), outcome: z.string() })),
});
export type ConnectionView = z.infer<typeof connectionView>;

/** The consent page's description of the request (`describeAuthorization`, src/connections/consent.ts). */
export const consentScreen = z.object({
  service: z.object({
    id: z.string(),
    name: z.string(),
    editor: z.string(),
    summary: z.string(),
    dataExchanged: z.array(z.string()),
  }),
  /** The purposes the service asks for, none ticked in advance. */
  purposes: z.array(z.object({ code: z.string(), label: z.string() })),
  /** The activated profiles the patient acts for: their own and their children's. */
  profiles: z.array(z.object({ id: z.string(), name: z.string(), self: z.boolean() })),
});
export type ConsentScreen = z.infer<typeof consentScreen>;

/** An OAuth form body (`application/x-www-form-urlencoded`), read field by field by the endpoint. */
const form = z.unknown();

/** Carnet as the OAuth 2.0 authorization server (SMART App Launch), and the patient's connected services. */
export const oauthContracts = {
  smartConfiguration: contract({ response: z.looseObject({ issuer: z.string() }) }),
  authorize: contract({ query: authorizationQuery, response: redirect }),
  request: contract({ query: authorizationQuery, response: consentScreen }),
  decision: contract({
    body: z.object({
      query: z.record(z.string(), z.string().max(2048)),
      approve: z.boolean(),
      patientId: z.string().max(64).optional(),
      purposes: z.array(z.string().max(64)).max(20).optional(),
    }),
    response: z.object({ redirectTo: z.string() }),
  }),
  token: contract({
    body: form,
    response: z.object({
      access_token: z.string(),
      token_type: z.literal('Bearer'),
      expires_in: z.number(),
      refresh_token: z.string().optional(),
      scope: z.string(),
      patient: z.string(),
    }),
  }),
  revoke: contract({ body: form, response: noContent }),
  connections: contract({
    params: patientParams,
    response: z.object({ connections: z.array(connectionView) }),
  }),
  disconnect: contract({
    params: patientParams.extend({ grantId: z.string() }),
    response: noContent,
  }),
};
