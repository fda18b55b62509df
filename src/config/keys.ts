import { hkdfSync } from 'node:crypto';
import type { Config } from './config.ts';

/** Purposes of the keys derived from the master secret; one key per purpose, never shared. */
export type KeyPurpose =
  | 'cookie'
  | 'patient-token'
  | 'activation-ticket'
  | 'opposition-proof'
  | 'document'
  | 'dev-idp-client'
  | 'dev-idp-cookie'
  | 'app-token'
  | 'notice-recipient';

/** Derives a 32-byte key for one purpose (HKDF-SHA256), so one secret can be rotated in one place. */
export function deriveKey(config: Pick<Config, 'secret'>, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', config.secret, Buffer.alloc(0), `carnet:${purpose}`, 32));
}
