import { subjectRole, type ProfessionCode, type SpecialtyCode } from '../identity/index.ts';
import type { Structure } from '../professionals/index.ts';

/** Who the development provider vouches for (a demo professional, or one already known to Carnet). */
export interface PscSubject {
  readonly nationalId: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly professionCode: ProfessionCode;
  readonly specialtyCode: SpecialtyCode | undefined;
  readonly structure: Omit<Structure, 'id'> | undefined;
  /** Signs in as a SAMU regulator (centre 15): PSC's `Acces_Regulation_Medicale`. */
  readonly regulator: boolean;
}

/**
 * The claims of the `scope_all` scope, as Pro Santé Connect returns them (docs/identifiers.md, "Pro Santé Connect").
 */
export const PSC_CLAIM_NAMES = [
  'SubjectNameID',
  'given_name',
  'family_name',
  'SubjectRole',
  'SubjectRefPro',
  'activities',
  'Mode_Acces_Raison',
  'Acces_Regulation_Medicale',
] as const;

/** A structure as PSC describes an activity site: FINESS or SIRET, without the `1`/`3` national-id prefix. */
function activityOf(structure: Omit<Structure, 'id'>): Record<string, string> {
  const registry = structure.nationalId.slice(1);
  return {
    raisonSocialeSite: structure.name,
    identifiantTechniqueStructure: structure.nationalId,
    ...(structure.kind === 'FINESS' ? { numeroFinessSite: registry } : { numeroSiretSite: registry }),
  };
}

export function pscClaims(subject: PscSubject): Record<string, unknown> {
  const activities = subject.structure ? [activityOf(subject.structure)] : [];
  return {
    SubjectNameID: subject.nationalId,
    given_name: subject.givenName,
    family_name: subject.familyName,
    SubjectRole: [subjectRole(subject.professionCode)],
    SubjectRefPro: {
      codeCivilite: subject.professionCode === '10' || subject.professionCode === '40' ? 'DR' : '',
      exercices: [
        {
          codeProfession: subject.professionCode,
          codeCategorieProfessionnelle: 'C',
          codeSavoirFaire: subject.specialtyCode ?? '',
          activities,
        },
      ],
    },
    activities,
    Mode_Acces_Raison: '',
    Acces_Regulation_Medicale: subject.regulator,
  };
}
