import { createHmac, timingSafeEqual } from 'node:crypto';
import { deriveKey, type Config } from '../../config/index.ts';

/**
 * Codes provisoires are short (40 bits): a plain hash of them could be brute-forced from a stolen database,
 * so they are keyed (HMAC) with a key derived from the master secret, which is not in the database.
 */
export function activationCodeHash(config: Pick<Config, 'secret'>, code: string): string {
  return createHmac('sha256', deriveKey(config, 'activation-ticket'))
    .update(`activation-code:${code}`)
    .digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
