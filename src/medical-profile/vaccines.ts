/**
 * Vaccines as the patient and the Assurance Maladie name them (French calendar), each with the ATC code used as
 * the FHIR Immunization.vaccineCode where one class fits.
 */
export const vaccineCodes = [
  'hexavalent',
  'pneumocoque',
  'ror',
  'meningocoque-b',
  'meningocoque-acwy',
  'meningocoque-c',
  'dtcap-vpi',
  'dtp',
  'hpv',
  'grippe',
  'covid-19',
  'hepatite-b',
  'bcg',
  'zona',
  'vrs',
  'autre',
] as const;
export type VaccineCode = (typeof vaccineCodes)[number];

export const isVaccineCode = (value: unknown): value is VaccineCode =>
  typeof value === 'string' && (vaccineCodes as readonly string[]).includes(value);

export const vaccineLabels: Record<VaccineCode, string> = {
  hexavalent: 'Hexavalent (diphtérie, tétanos, coqueluche, polio, Haemophilus, hépatite B)',
  pneumocoque: 'Pneumocoque',
  ror: 'Rougeole, oreillons, rubéole (ROR)',
  'meningocoque-b': 'Méningocoque B',
  'meningocoque-acwy': 'Méningocoque ACWY',
  'meningocoque-c': 'Méningocoque C',
  'dtcap-vpi': 'Diphtérie, tétanos, coqueluche, polio (dTcaP)',
  dtp: 'Diphtérie, tétanos, polio (DTP)',
  hpv: 'Papillomavirus (HPV)',
  grippe: 'Grippe saisonnière',
  'covid-19': 'COVID-19',
  'hepatite-b': 'Hépatite B',
  bcg: 'Tuberculose (BCG)',
  zona: 'Zona',
  vrs: 'Virus respiratoire syncytial (VRS)',
  autre: 'Autre vaccin',
};

/** ATC classes (WHO, urn:oid:2.16.840.1.113883.6.73); `autre` has none. */
export const vaccineAtcCodes: Record<VaccineCode, string | undefined> = {
  hexavalent: 'J07CA09',
  pneumocoque: 'J07AL',
  ror: 'J07BD52',
  'meningocoque-b': 'J07AH09',
  'meningocoque-acwy': 'J07AH08',
  'meningocoque-c': 'J07AH07',
  'dtcap-vpi': 'J07CA02',
  dtp: 'J07CA01',
  hpv: 'J07BM',
  grippe: 'J07BB',
  'covid-19': 'J07BN',
  'hepatite-b': 'J07BC01',
  bcg: 'J07AN01',
  zona: 'J07BK',
  vrs: 'J07BX05',
  autre: undefined,
};
