import {
  isSpecialtyCode,
  isProfessionCode,
  professionOfSubjectRole,
  rppsOfNationalId,
  type NationalProfessionalId,
  type ProfessionCode,
} from '../../identity/index.ts';
import type { ProfessionalInput } from '../../professionals/index.ts';
import type { ProfessionalSignIn } from '../../access/index.ts';
import type { Structure } from '../../professionals/index.ts';

type Claims = Record<string, unknown>;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const record = (value: unknown): Claims =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Claims) : {};

/** What Carnet keeps from Pro Santé Connect's claims; `undefined` when they do not name a professional. */
export interface PscIdentity {
  readonly professional: ProfessionalInput;
  readonly signIn: ProfessionalSignIn;
}

function professionOf(claims: Claims, exercice: Claims): ProfessionCode | undefined {
  for (const role of list(claims.SubjectRole)) {
    const code = typeof role === 'string' ? professionOfSubjectRole(role) : undefined;
    if (code) return code;
  }
  const code = text(exercice.codeProfession);
  return code && isProfessionCode(code) ? code : undefined;
}

/** An activity site (FINESS or SIRET) as a Carnet structure, national id `1`+FINESS or `3`+SIRET. */
function structureOf(activity: Claims): Omit<Structure, 'id'> | undefined {
  const name = text(activity.raisonSocialeSite);
  const finess = text(activity.numeroFinessSite) ?? text(activity.numeroFinessEtablissementJuridique);
  const siret = text(activity.numeroSiretSite);
  if (!name) return undefined;
  if (finess) return { name, nationalId: `1${finess}`, kind: 'FINESS' };
  if (siret) return { name, nationalId: `3${siret}`, kind: 'SIRET' };
  return undefined;
}

/**
 * `Acces_Regulation_Medicale` says the professional signed in as a SAMU regulator. A token stating a reason
 * (`Mode_Acces_Raison`) declares an emergency access (regulation for a regulator, else bris de glace), opened
 * per patient (src/record/emergency-access.ts); the portal ignores it and asks on each record.
 */
function signInOf(claims: Claims): ProfessionalSignIn {
  const regulation = claims.Acces_Regulation_Medicale;
  const regulator = regulation === true || regulation === 'true';
  const reason = text(claims.Mode_Acces_Raison);
  const mode = regulator ? 'centre-de-regulation' : 'bris-de-glace';
  return { regulator, declaredEmergency: reason ? { mode, reason } : undefined };
}

/**
 * Reads the PSC claims (ID token, UserInfo or access token: the same names, docs/identifiers.md "Pro Santé
 * Connect").
 */
export function readPscClaims(claims: Claims): PscIdentity | undefined {
  const nationalId = text(claims.SubjectNameID);
  const givenName = text(claims.given_name);
  const familyName = text(claims.family_name);
  const exercice = record(list(record(claims.SubjectRefPro).exercices)[0]);
  const professionCode = professionOf(claims, exercice);
  if (!nationalId || !givenName || !familyName || !professionCode) return undefined;
  const specialty = text(exercice.codeSavoirFaire);
  const activity = record(list(claims.activities)[0] ?? list(exercice.activities)[0]);
  return {
    professional: {
      nationalId: nationalId as NationalProfessionalId,
      rpps: rppsOfNationalId(nationalId),
      givenName,
      familyName,
      professionCode,
      specialtyCode: specialty && isSpecialtyCode(specialty) ? specialty : undefined,
      mssanteAddress: undefined,
      structure: structureOf(activity),
    },
    signIn: signInOf(claims),
  };
}
