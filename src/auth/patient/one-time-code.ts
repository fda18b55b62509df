import { createHmac, randomInt } from 'node:crypto';
import { deriveKey, type Config } from '../../config/index.ts';

export const OTP_DIGITS = 6;
export const OTP_VALIDITY_MINUTES = 10;
export const OTP_MAX_ATTEMPTS = 5;
/** « Renvoyer le code »: a minute between two codes, three new codes at most per sign-in. */
export const OTP_RESEND_COOLDOWN_SECONDS = 60;
export const OTP_MAX_RESENDS = 3;
/** A sign-in left waiting this long after its password check must start again (new codes included). */
export const OTP_CHALLENGE_MINUTES = 30;

/**
 * Seconds to wait before a new code may be sent (0: now), or `exhausted` when no more may be: pure, so the
 * rule is tested on its own and the server and the button count the same minute.
 */
export function resendWait(challenge: { sentAt: string; resends: number }, now: Date): number | 'exhausted' {
  if (challenge.resends >= OTP_MAX_RESENDS) return 'exhausted';
  const elapsedMs = now.getTime() - new Date(challenge.sentAt).getTime();
  return Math.max(0, Math.ceil((OTP_RESEND_COOLDOWN_SECONDS * 1000 - elapsedMs) / 1000));
}

export function generateOneTimeCode(): string {
  return String(randomInt(10 ** OTP_DIGITS)).padStart(OTP_DIGITS, '0');
}

/** Keyed and bound to its challenge, so a stolen table reveals nothing and codes cannot be swapped. */
export function oneTimeCodeHash(config: Pick<Config, 'secret'>, challengeId: string, code: string): string {
  return createHmac('sha256', deriveKey(config, 'patient-token'))
    .update(`otp:${challengeId}:${code}`)
    .digest('hex');
}
