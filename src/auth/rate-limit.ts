import { isIPv6 } from 'node:net';
import { rateLimited, type CarnetError } from '../shared/index.ts';
import { writeWithoutFsync, type Executor } from '../storage/index.ts';

/** A fixed-window limit on one bucket, e.g. `activation:<nir>`: at most `limit` attempts per window. */
export interface RateRule {
  readonly bucket: string;
  readonly limit: number;
  readonly windowMinutes: number;
}

/**
 * The network a client address stands for in per-address limits: an IPv4 address itself (IPv4-mapped IPv6
 * included), an IPv6 address its /64, the block one subscriber gets, which would otherwise give them 2^64
 * fresh addresses to rotate through.
 */
export function clientNetwork(ip: string): string {
  // An IPv4 address has no colon: answered before the IPv6 checks (node:net's isIPv6 is a long regular
  // expression, run on every sign-in of a flood).
  if (!ip.includes(':')) return ip;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

const WINDOW = 15;
export const rateRules = {
  activation: (nir: string): RateRule => ({ bucket: `activation:${nir}`, limit: 5, windowMinutes: WINDOW }),
  activationIp: (ip: string): RateRule => ({
    bucket: `activation-ip:${clientNetwork(ip)}`,
    limit: 30,
    windowMinutes: WINDOW,
  }),
  reissue: (nir: string): RateRule => ({ bucket: `reissue:${nir}`, limit: 3, windowMinutes: 60 }),
  /** « Mot de passe oublié » requests naming one NIR, whatever the answer. */
  passwordReset: (nir: string): RateRule => ({
    bucket: `password-reset:${nir}`,
    limit: 3,
    windowMinutes: 60,
  }),
  /** Requests and code checks of « mot de passe oublié » from one address. */
  passwordResetIp: (ip: string): RateRule => ({
    bucket: `password-reset-ip:${clientNetwork(ip)}`,
    limit: 30,
    windowMinutes: WINDOW,
  }),
  signIn: (login: string): RateRule => ({ bucket: `signin:${login}`, limit: 10, windowMinutes: WINDOW }),
  signInIp: (ip: string): RateRule => ({
    bucket: `signin-ip:${clientNetwork(ip)}`,
    limit: 30,
    windowMinutes: WINDOW,
  }),
} as const;

/** Longer than the longest window (an hour): older windows are deleted. */
const FORGET_AFTER_MS = 2 * 3_600_000;

export interface Attempt {
  readonly rule: RateRule;
  readonly windowStart: string;
}

export function windowStart(rule: RateRule, now: Date): string {
  const size = rule.windowMinutes * 60_000;
  return new Date(Math.floor(now.getTime() / size) * size).toISOString();
}

/**
 * Buckets this process has seen over their limit, with the end of that window, per database. A flood from one
 * address is then refused from memory: on SQLite every counted attempt is a synchronous, fsynced write, and
 * thousands of them would stall the whole server. Another instance learns it from its first refused write.
 */
const overLimit = new WeakMap<Executor, Map<string, number>>();
const OVER_LIMIT_ENTRIES = 10_000;

function refuseFromMemory(db: Executor, rule: RateRule, now: Date): boolean {
  const until = overLimit.get(db)?.get(rule.bucket);
  return until !== undefined && now.getTime() < until;
}

function rememberOverLimit(db: Executor, rule: RateRule, start: string, now: Date): void {
  let buckets = overLimit.get(db);
  if (!buckets) overLimit.set(db, (buckets = new Map()));
  const until = new Date(start).getTime() + rule.windowMinutes * 60_000;
  if (buckets.size >= OVER_LIMIT_ENTRIES) {
    // Past windows go first; if every entry is current, the oldest does (the database still counts).
    for (const [bucket, end] of buckets) if (end <= now.getTime()) buckets.delete(bucket);
    if (buckets.size >= OVER_LIMIT_ENTRIES) buckets.delete(buckets.keys().next().value!);
  }
  buckets.set(rule.bucket, until);
}

/**
 * The refusal of the first of `rules` this process already knows to be over its limit in the current window,
 * answered from memory without the database: what a route checks before it reads a request's body, so that a
 * flood from one address costs next to nothing. The database stays the authority: a bucket this process has not
 * seen refused is counted by `takeAttempt` as usual.
 */
export function knownRefusal(db: Executor, rules: readonly RateRule[], now: Date): CarnetError | undefined {
  return rules.some((rule) => refuseFromMemory(db, rule, now)) ? rateLimited() : undefined;
}

/**
 * Counts one attempt and refuses it past the limit. The increment is one atomic upsert (`on conflict do
 * update set hits = hits + 1 returning hits`), so concurrent requests on several instances cannot slip
 * through between a read and a write. Call it outside the request's transaction: a refusal must still count.
 */
export async function takeAttempt(db: Executor, rule: RateRule, now: Date): Promise<Attempt> {
  if (refuseFromMemory(db, rule, now)) throw rateLimited();
  const start = windowStart(rule, now);
  // A counter lost to a power cut gives an attacker a few attempts back, no more: not worth holding the server
  // for an fsync per attempt (src/storage/database.ts).
  const hits = await writeWithoutFsync(db, async (db) => {
    const { hits } = await db
      .insertInto('rate_limits')
      .values({ bucket: rule.bucket, window_start: start, hits: 1 })
      .onConflict((oc) =>
        oc
          .columns(['bucket', 'window_start'])
          .doUpdateSet((eb) => ({ hits: eb('rate_limits.hits', '+', 1) })),
      )
      .returning('hits')
      .executeTakeFirstOrThrow();
    if (hits === 1) {
      // First hit of a new window: the bucket's older windows are of no use any more, nor is any window long
      // over, whatever its bucket (a bucket names a NIR, a login or an address: it is kept no longer than it
      // serves).
      await db
        .deleteFrom('rate_limits')
        .where((eb) =>
          eb.or([
            eb.and([eb('bucket', '=', rule.bucket), eb('window_start', '<', start)]),
            eb('window_start', '<', new Date(now.getTime() - FORGET_AFTER_MS).toISOString()),
          ]),
        )
        .execute();
    }
    return hits;
  });
  if (hits > rule.limit) {
    rememberOverLimit(db, rule, start, now);
    throw rateLimited();
  }
  return { rule, windowStart: start };
}

/** Gives an attempt back (it succeeded), for limits that count failures only. */
export async function refundAttempt(db: Executor, attempt: Attempt): Promise<void> {
  await writeWithoutFsync(db, (db) =>
    db
      .updateTable('rate_limits')
      .set((eb) => ({ hits: eb('hits', '-', 1) }))
      .where('bucket', '=', attempt.rule.bucket)
      .where('window_start', '=', attempt.windowStart)
      .where('hits', '>', 0)
      .execute(),
  );
}

/**
 * Runs `fn` as one attempt against every rule; when it succeeds the attempts are refunded, so that
 * the limits count failed attempts only.
 */
export async function limitFailures<T>(
  db: Executor,
  rules: readonly RateRule[],
  now: Date,
  fn: () => Promise<T>,
): Promise<T> {
  const attempts: Attempt[] = [];
  for (const rule of rules) attempts.push(await takeAttempt(db, rule, now));
  const result = await fn();
  for (const attempt of attempts) await refundAttempt(db, attempt);
  return result;
}
