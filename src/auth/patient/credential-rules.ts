import { invalid } from '../../shared/index.ts';

/** A login is chosen by the person: 3–64 of letters, digits and `._@-`; unique regardless of case. */
export function normalizeLogin(input: string): string {
  return input.trim().toLowerCase();
}

export function checkLogin(input: string): string {
  const login = normalizeLogin(input);
  if (!/^[a-z0-9._@-]{3,64}$/.test(login))
    throw invalid(
      'login-invalid',
      'L’identifiant doit comporter de 3 à 64 caractères : lettres sans accent, chiffres, points, tirets, « _ » ou « @ ».',
      'login',
    );
  return login;
}

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

export function isStrongPassword(password: string): boolean {
  return (
    password.length >= PASSWORD_MIN_LENGTH &&
    password.length <= PASSWORD_MAX_LENGTH &&
    /\p{L}/u.test(password) &&
    /\d/.test(password)
  );
}

export function checkPassword(password: string): string {
  if (!isStrongPassword(password))
    throw invalid(
      'password-weak',
      'Le mot de passe doit comporter au moins 12 caractères, dont au moins une lettre et un chiffre.',
      'password',
    );
  return password;
}
