import { contract, raw } from '../contract.ts';
import { patientParams } from './common.ts';
import { historyQuery } from './record-api.ts';

/** What the patient takes away: the profile's synthesis, the access history, the whole record. */
export const portabilityContracts = {
  synthesis: contract({ params: patientParams, response: raw('application/pdf') }),
  history: contract({ params: patientParams, query: historyQuery, response: raw('application/pdf') }),
  export: contract({ params: patientParams, response: raw('application/zip') }),
};
