/** The professional portal API's shapes, inferred from the routes' contracts (src/http/contracts/). */
export type { FoundPatient, Professional } from '../../src/http/contracts/pro-auth.ts';

export const appName = 'Portail professionnel DMP';
