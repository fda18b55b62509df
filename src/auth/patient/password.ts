import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt parameters (memory-hard: 128·N·r = 32 MiB a hash); stored with each hash so they can be raised later. */
const N = 2 ** 15;
const r = 8;
const p = 1;
const KEY_LENGTH = 32;
const maxmemFor = (n: number, rr: number) => 256 * n * rr;

function derive(password: string, salt: Buffer, options: ScryptOptions, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, length, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** `scrypt$N$r$p$salt$hash` (salt and hash base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, { N, r, p, maxmem: maxmemFor(N, r) }, KEY_LENGTH);
  return ['scrypt', N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, rr, pp, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const cost = Number(n);
  const blockSize = Number(rr);
  const actual = await derive(
    password,
    Buffer.from(salt, 'base64url'),
    { N: cost, r: blockSize, p: Number(pp), maxmem: maxmemFor(cost, blockSize) },
    expected.length,
  );
  return timingSafeEqual(actual, expected);
}

/**
 * A hash of no one's password: checked when the login is unknown, so that an unknown login costs the same
 * time as a wrong password and does not reveal which logins exist.
 */
export const DECOY_PASSWORD_HASH =
  'scrypt$32768$8$1$SkvxwnAohirxirEkOrYVyw$XUbFqQ2t-msMQO-7NGwH9Mzd3jeL5Dwn8EhFfIkO_ME';
