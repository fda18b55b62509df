import { z } from 'zod';
import { contract, raw } from '../contract.ts';

const interaction = z.object({ uid: z.string() });
/** The login form's fields (`sub`: the demo professional chosen), read by the page itself. */
const form = z.unknown();

/**
 * The embedded development identity provider's own pages (the protocol endpoints under /idp are oidc-provider's):
 * HTML, or the provider's redirect once the interaction is finished.
 */
export const idpContracts = {
  interaction: contract({ params: interaction, response: raw('text/html') }),
  login: contract({ params: interaction, body: form, response: raw('text/html') }),
  abort: contract({ params: interaction, body: form, response: raw('text/html') }),
};
