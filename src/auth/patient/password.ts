import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { rateLimited } from '../../shared/index.ts';

/** scrypt parameters (memory-hard: 128·N·r = 32 MiB a hash); stored with each hash so they can be raised later. */
export const PASSWORD_HASH_COST = 2 ** 15;
let N = PASSWORD_HASH_COST;
const r = 8;
const p = 1;
const KEY_LENGTH = 32;
const maxmemFor = (n: number, rr: number) => 256 * n * rr;

/**
 * scrypt runs on libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE says otherwise), which file reads
 * (document contents) also wait for: hashes run at most this many at a time, so the pool keeps room for them.
 */
export const PASSWORD_HASH_CONCURRENCY = 2;
/** Password checks admitted at once (about a second and a half of hashing); beyond, refused at once. */
export const PASSWORD_CHECKS_IN_FLIGHT = 32;

export const passwordChecksBusy = () =>
  rateLimited('Trop de connexions sont en cours en ce moment. Patientez une minute, puis réessayez.');

let running = 0;
const waiting: Array<() => void> = [];
let admitted = 0;

/** Whether a password check would be refused now for want of room: a route checks it before reading the body. */
export const passwordChecksFull = () => admitted >= PASSWORD_CHECKS_IN_FLIGHT;

/**
 * Admits one password check (a sign-in, a password change, an account creation) or refuses it with a 429
 * before it does any work, database queries included: a flood of sign-ins (300 at once, from as many addresses
 * as an attacker likes) gets quick refusals instead of starving every other request of the thread pool and of
 * database connections. Per-address and per-login limits (src/auth/rate-limit.ts) come on top.
 */
export async function admitPasswordCheck<T>(work: () => Promise<T>): Promise<T> {
  if (passwordChecksFull()) throw passwordChecksBusy();
  admitted++;
  try {
    return await work();
  } finally {
    admitted--;
  }
}

/** Runs one hash when fewer than PASSWORD_HASH_CONCURRENCY are running (the queue is bounded by admission). */
async function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  if (running >= PASSWORD_HASH_CONCURRENCY) {
    // The slot is handed over by the hash that finishes (`running` is not decremented in between).
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else {
    running++;
  }
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

function derive(password: string, salt: Buffer, options: ScryptOptions, length: number): Promise<Buffer> {
  return oneAtATime(
    () =>
      new Promise((resolve, reject) =>
        scrypt(password.normalize('NFC'), salt, length, options, (error, key) =>
          error ? reject(error) : resolve(key),
        ),
      ),
  );
}

/**
 * Lowers the cost of new hashes, for the test suite only (its setup file): hundreds of demo accounts are created
 * there and each 32 MiB hash takes a tenth of a second of a core. Nothing in Carnet calls it. A hash keeps the
 * cost it was made with, and the decoy keeps the production cost, so refusals cost what they cost in production.
 */
export function setPasswordHashCostForTests(cost: number): void {
  if (!Number.isInteger(Math.log2(cost)) || cost < 2) throw new Error('scrypt cost: a power of two');
  N = cost;
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
