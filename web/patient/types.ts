/** The patient API's shapes, inferred from the routes' contracts (src/http/contracts/). */
import type { Me } from '../../src/http/contracts/patient-api.ts';

export type { Me, Profile, ProfileState } from '../../src/http/contracts/patient-api.ts';

export type Session =
  | { readonly status: 'loading' }
  | { readonly status: 'signed-out' }
  | { readonly status: 'signed-in'; readonly me: Me };

export const appName = 'Mon espace santé';
