export {
  INS_OID,
  insOids,
  insSystem,
  insKey,
  isIns,
  parseIns,
  normalizeInsInput,
  insProblemMessage,
} from './ins.ts';
export type { Ins, InsOid, InsParts, InsProblem, InsResult, Sex } from './ins.ts';
export {
  PROFESSIONAL_ID_OID,
  STRUCTURE_ID_OID,
  RPPS_SYSTEM,
  isRpps,
  parseRpps,
  luhnValid,
  withLuhnKey,
  nationalIdOfRpps,
  rppsOfNationalId,
} from './rpps.ts';
export type { Rpps, NationalProfessionalId, RppsResult } from './rpps.ts';
export {
  professions,
  specialties,
  isProfessionCode,
  isSpecialtyCode,
  professionLabel,
  subjectRole,
  professionOfSubjectRole,
  PROFESSION_CODE_SYSTEM_OID,
} from './professions.ts';
export type { ProfessionCode, SpecialtyCode } from './professions.ts';
export type { PatientId } from './patient-id.ts';
