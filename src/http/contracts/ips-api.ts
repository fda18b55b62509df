import { contract, raw } from '../contract.ts';
import { patientParams } from './common.ts';

/** The patient summary (IPS-FR) as a CDA R2 file. */
export const ipsContracts = {
  patientSummary: contract({ params: patientParams, response: raw('text/xml') }),
  proSummary: contract({ params: patientParams, response: raw('text/xml') }),
};
