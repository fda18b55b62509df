/** The International Patient Summary (CI-SIS IPS-FR 2024.01, HL7 IPS): model, CDA R2, FHIR document, service. */
export type { IpsContent, IpsImmunization, IpsInput, IpsItem, IpsReporter } from './model.ts';
export { emptyIpsContent } from './model.ts';
export { buildIpsCda, IPS_FR_TEMPLATE, IPS_TITLE, IPS_TYPE_CODE } from './ips-cda.ts';
export { assembleIpsContent } from './collect.ts';
export { patientSummary } from './services.ts';

/** The file name of the downloaded CDA. */
export const IPS_FILE_NAME = 'synthese-patient-ips.xml';
