import { createHmac, randomBytes } from 'node:crypto';
import { deriveKey, type Config } from '../config/index.ts';

/** Codes and tokens: 256 random bits, with a prefix telling what they are (and routing bearer verification). */
export const APP_TOKEN_PREFIX = 'mes_at_';
export const REFRESH_TOKEN_PREFIX = 'mes_rt_';
export const CODE_PREFIX = 'mes_code_';

export const newSecret = (prefix: string): string => prefix + randomBytes(32).toString('base64url');

/** Only a keyed hash is stored: a database dump gives no usable code or token. */
export const secretHash = (config: Pick<Config, 'secret'>, secret: string): string =>
  createHmac('sha256', deriveKey(config, 'app-token')).update(secret).digest('hex');
