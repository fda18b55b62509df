import type { ProfessionalPrincipal, ProfessionalSignIn } from '../../access/index.ts';
import type { Executor } from '../../storage/index.ts';
import {
  findProfessionalByNationalId,
  upsertProfessional,
  type Professional,
} from '../../professionals/index.ts';
import type { PscIdentity } from './psc-claims.ts';

export function principalOf(
  professional: Professional,
  signIn: ProfessionalSignIn = { regulator: false, declaredEmergency: undefined },
): ProfessionalPrincipal {
  return {
    kind: 'professional',
    professionalId: professional.id,
    nationalId: professional.nationalId,
    rpps: professional.rpps,
    professionCode: professional.professionCode,
    specialtyCode: professional.specialtyCode,
    givenName: professional.givenName,
    familyName: professional.familyName,
    signIn,
    structure: professional.structure
      ? { nationalId: professional.structure.nationalId, name: professional.structure.name }
      : undefined,
  };
}

function unchanged(known: Professional, claimed: PscIdentity['professional']): boolean {
  return (
    known.givenName === claimed.givenName &&
    known.familyName === claimed.familyName &&
    known.professionCode === claimed.professionCode &&
    known.specialtyCode === claimed.specialtyCode &&
    known.structure?.nationalId === claimed.structure?.nationalId
  );
}

/**
 * The professional the provider vouches for, recorded in Carnet (the provider's claims win: names and
 * professions change). Writes only when something changed, so bearer calls stay read-only.
 */
export async function recordProfessional(
  db: Executor,
  identity: PscIdentity,
  now: string,
): Promise<Professional> {
  const known = await findProfessionalByNationalId(db, identity.professional.nationalId);
  if (known && unchanged(known, identity.professional)) return known;
  // An address from the directory is not part of PSC's claims: keep it.
  return upsertProfessional(
    db,
    {
      ...identity.professional,
      mssanteAddress: known?.mssanteAddress ?? identity.professional.mssanteAddress,
    },
    now,
  );
}
