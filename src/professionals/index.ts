export { professionalDisplayName } from './professional.ts';
export type { Professional, Structure } from './professional.ts';
export {
  findProfessionalById,
  findProfessionalByNationalId,
  listProfessionals,
  upsertProfessional,
  upsertStructure,
} from './repository.ts';
export type { ProfessionalInput } from './repository.ts';
