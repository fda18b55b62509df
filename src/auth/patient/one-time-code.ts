import { createHmac, randomInt } from 'node:crypto';
import { deriveKey, type Config } from '../../config/index.ts';

export const OTP_DIGITS = 6;
export const OTP_VALIDITY_MINUTES = 10;
export const OTP_MAX_ATTEMPTS = 5;

export function generateOneTimeCode(): string {
  return String(randomInt(10 ** OTP_DIGITS)).padStart(OTP_DIGITS, '0');
}

/** Keyed and bound to its challenge, so a stolen table reveals nothing and codes cannot be swapped. */
export function oneTimeCodeHash(config: Pick<Config, 'secret'>, challengeId: string, code: string): string {
  return createHmac('sha256', deriveKey(config, 'patient-token'))
    .update(`otp:${challengeId}:${code}`)
    .digest('hex');
}
