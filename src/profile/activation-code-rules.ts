import { randomInt } from 'node:crypto';

/** Letters and digits that cannot be mistaken for one another when read from a letter or a phone (no 0/O, 1/I). */
export const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 8;
export const CODE_VALIDITY_DAYS = 90;
/** Wrong guesses a single code tolerates before it stops matching (a new one must be requested). */
export const CODE_MAX_ATTEMPTS = 10;

export function generateActivationCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** What people type: lower case, spaces or dashes between groups. */
export function normalizeActivationCode(input: string): string {
  return input.replace(/[\s-]/g, '').toUpperCase();
}

export function isWellFormedActivationCode(code: string): boolean {
  return code.length === CODE_LENGTH && [...code].every((c) => CODE_ALPHABET.includes(c));
}

export function activationCodeExpiry(issuedAt: Date): Date {
  return new Date(issuedAt.getTime() + CODE_VALIDITY_DAYS * 24 * 3_600_000);
}

export type CodeStatus = 'usable' | 'revoked' | 'expired' | 'used' | 'exhausted';

/** The status of a stored code at an instant; the order of the checks is the contract's order of refusals. */
export function activationCodeStatus(
  code: { expires_at: string; used_at: string | null; revoked_at: string | null; attempts: number },
  now: Date,
): CodeStatus {
  if (code.revoked_at !== null) return 'revoked';
  if (code.attempts >= CODE_MAX_ATTEMPTS) return 'exhausted';
  if (code.expires_at <= now.toISOString()) return 'expired';
  if (code.used_at !== null) return 'used';
  return 'usable';
}
