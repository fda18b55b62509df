import type { NationalProfessionalId, ProfessionCode, Rpps, SpecialtyCode } from '../identity/index.ts';

export interface Structure {
  readonly id: string;
  /** `1` + FINESS or `3` + SIRET (system 1.2.250.1.71.4.2.2). */
  readonly nationalId: string;
  readonly name: string;
  readonly kind: 'FINESS' | 'SIRET';
}

/** A health professional as known from the directory and the identity provider's claims. */
export interface Professional {
  readonly id: string;
  readonly nationalId: NationalProfessionalId;
  readonly rpps: Rpps | undefined;
  readonly familyName: string;
  readonly givenName: string;
  readonly professionCode: ProfessionCode;
  readonly specialtyCode: SpecialtyCode | undefined;
  readonly mssanteAddress: string | undefined;
  readonly structure: Structure | undefined;
}

export function professionalDisplayName(
  p: Pick<Professional, 'givenName' | 'familyName' | 'professionCode'>,
): string {
  const title = p.professionCode === '10' || p.professionCode === '40' ? 'Dr ' : '';
  return `${title}${p.givenName} ${p.familyName.toUpperCase()}`;
}
