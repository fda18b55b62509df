import { errors as joseErrors } from 'jose';
import { unauthenticated, type CarnetError } from './errors.ts';

export const tokenMissing = (): CarnetError =>
  unauthenticated('token-missing', 'Jeton d’accès manquant : présentez un jeton « Authorization: Bearer ».');
export const tokenInvalid = (): CarnetError =>
  unauthenticated('token-invalid', 'Jeton d’accès invalide : il n’a pas été émis pour ce service.');
export const tokenExpired = (): CarnetError =>
  unauthenticated('token-expired', 'Jeton d’accès expiré : obtenez-en un nouveau.');

/** Any verification failure as one of the precise codes (never the library's text, which may echo input). */
export function tokenError(error: unknown): CarnetError {
  return error instanceof joseErrors.JWTExpired ? tokenExpired() : tokenInvalid();
}
