/** The shapes of the professional portal API (README "API"). */
export interface Professional {
  readonly nationalId: string;
  readonly rpps: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly professionCode: string;
  readonly professionLabel: string;
  readonly specialtyCode: string | null;
  readonly structure: { readonly name: string; readonly nationalId: string } | null;
}

export interface FoundPatient {
  readonly id: string;
  readonly ins: string;
  readonly firstNames: string;
  readonly birthName: string;
  readonly usedName: string | null;
  readonly birthDate: string;
  readonly sex: string;
  readonly profileState: string;
  readonly active: boolean;
}

export const appName = 'Portail professionnel DMP';
