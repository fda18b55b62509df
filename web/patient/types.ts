/** The shapes of the patient API (README "API"). */
export type ProfileState = 'created' | 'opposed' | 'activated' | 'closed';

export interface Profile {
  readonly id: string;
  readonly ins: string;
  readonly firstNames: string;
  readonly birthName: string;
  readonly usedName: string | null;
  readonly birthDate: string;
  readonly sex: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly state: ProfileState;
  readonly mssanteAddress: string;
  readonly minor: boolean;
}

export interface Me {
  readonly account: { readonly login: string };
  readonly self: Profile;
  readonly managed: readonly Profile[];
}

export type Session =
  | { readonly status: 'loading' }
  | { readonly status: 'signed-out' }
  | { readonly status: 'signed-in'; readonly me: Me };

export const appName = 'Mon espace santé';
