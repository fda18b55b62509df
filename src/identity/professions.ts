/**
 * Professions (nomenclature TRE_G15, code system OID 1.2.250.1.213.1.1.5.5) and doctors' specialties
 * (TRE_R38, written in CDA headers as `G15_10/SM26` under 1.2.250.1.213.1.1.4.5: see src/vsm/cda-builder.ts).
 * Labels are the ones users read in the UI.
 */
export const PROFESSION_CODE_SYSTEM_OID = '1.2.250.1.213.1.1.5.5';

export const professions = {
  '10': 'Médecin',
  '21': 'Pharmacien',
  '40': 'Chirurgien-dentiste',
  '50': 'Sage-femme',
  '60': 'Infirmier',
  '70': 'Masseur-kinésithérapeute',
  '80': 'Pédicure-podologue',
  '26': 'Audioprothésiste',
  '28': 'Opticien-lunetier',
  '91': 'Orthophoniste',
  '92': 'Orthoptiste',
  '94': 'Ergothérapeute',
  '95': 'Diététicien',
  '96': 'Psychomotricien',
} as const;

export type ProfessionCode = keyof typeof professions;

export const specialties = {
  SM26: 'Qualifié en médecine générale',
  SM54: 'Médecine générale',
  SM04: 'Cardiologie et maladies vasculaires',
  SM15: 'Endocrinologie et métabolisme',
  SM19: 'Gynécologie-obstétrique',
  SM32: 'Neurologie',
  SM40: 'Pédiatrie',
  SM42: 'Psychiatrie',
  SM44: 'Radiodiagnostic et imagerie médicale',
} as const;

export type SpecialtyCode = keyof typeof specialties;

export function isProfessionCode(code: string): code is ProfessionCode {
  return Object.hasOwn(professions, code);
}

export function isSpecialtyCode(code: string): code is SpecialtyCode {
  return Object.hasOwn(specialties, code);
}

export function professionLabel(code: ProfessionCode): string {
  return professions[code];
}

/** Pro Santé Connect's `SubjectRole` claim: `"<codeProfession>^1.2.250.1.213.1.1.5.5"`. */
export function subjectRole(code: ProfessionCode): string {
  return `${code}^${PROFESSION_CODE_SYSTEM_OID}`;
}

export function professionOfSubjectRole(role: string): ProfessionCode | undefined {
  const [code, system] = role.split('^');
  return system === PROFESSION_CODE_SYSTEM_OID && code && isProfessionCode(code) ? code : undefined;
}
