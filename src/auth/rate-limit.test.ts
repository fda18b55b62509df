import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects, type TestDatabase } from '../storage/test-databases.ts';
import { clientNetwork, limitFailures, takeAttempt, windowStart, type RateRule } from './rate-limit.ts';

describe.each(testDialects)('rate limits on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(() => database.destroy());

  const now = new Date('2026-03-02T09:07:00Z');
  const outcome = (p: Promise<unknown>) =>
    p.then(
      () => 'ok',
      (e: { code?: string }) => e.code ?? 'error',
    );

  it('lets exactly `limit` attempts through, even when they arrive at once', async () => {
    const rule: RateRule = { bucket: 'test:concurrent', limit: 5, windowMinutes: 15 };
    const results = await Promise.all(
      Array.from({ length: 12 }, () => outcome(takeAttempt(database.db, rule, now))),
    );
    expect(results.filter((r) => r === 'ok')).toHaveLength(5);
    expect(results.filter((r) => r === 'rate-limited')).toHaveLength(7);
  });

  // Security review regression: fails on 027241f, before the fix.
  it('refuses a bucket over its limit from memory, without a database write per refusal', async () => {
    const rule: RateRule = { bucket: 'test:flood', limit: 2, windowMinutes: 15 };
    const results = await Promise.all(
      Array.from({ length: 40 }, () => outcome(takeAttempt(database.db, rule, now))),
    );
    expect(results.filter((r) => r === 'ok')).toHaveLength(2);
    for (let i = 0; i < 100; i++)
      expect(await outcome(takeAttempt(database.db, rule, now))).toBe('rate-limited');
    const { hits } = await database.db
      .selectFrom('rate_limits')
      .select('hits')
      .where('bucket', '=', rule.bucket)
      .executeTakeFirstOrThrow();
    expect(hits).toBeLessThanOrEqual(40);
    // The next window starts afresh.
    expect(await outcome(takeAttempt(database.db, rule, new Date('2026-03-02T09:15:00Z')))).toBe('ok');
  });

  it('opens a new window after the old one, and forgets old windows', async () => {
    const rule: RateRule = { bucket: 'test:window', limit: 1, windowMinutes: 15 };
    expect(windowStart(rule, now)).toBe('2026-03-02T09:00:00.000Z');
    expect(await outcome(takeAttempt(database.db, rule, now))).toBe('ok');
    expect(await outcome(takeAttempt(database.db, rule, now))).toBe('rate-limited');
    const later = new Date('2026-03-02T09:15:00Z');
    expect(await outcome(takeAttempt(database.db, rule, later))).toBe('ok');
    const rows = await database.db
      .selectFrom('rate_limits')
      .selectAll()
      .where('bucket', '=', rule.bucket)
      .execute();
    expect(rows).toEqual([{ bucket: rule.bucket, window_start: '2026-03-02T09:15:00.000Z', hits: 1 }]);
  });

  it('forgets the windows of buckets nobody uses any more, two hours on', async () => {
    const idle: RateRule = { bucket: 'activation:1680475056112', limit: 5, windowMinutes: 60 };
    const other: RateRule = { bucket: 'test:other', limit: 5, windowMinutes: 15 };
    await takeAttempt(database.db, idle, now);
    const buckets = async () =>
      (await database.db.selectFrom('rate_limits').select('bucket').execute()).map((r) => r.bucket);
    await takeAttempt(database.db, other, new Date(now.getTime() + 90 * 60_000));
    expect(await buckets()).toContain(idle.bucket);
    await takeAttempt(database.db, other, new Date(now.getTime() + 3 * 3_600_000));
    expect(await buckets()).not.toContain(idle.bucket);
  });

  it('counts only failures with limitFailures', async () => {
    const rule: RateRule = { bucket: 'test:failures', limit: 2, windowMinutes: 15 };
    const ok = () => limitFailures(database.db, [rule], now, async () => 'fine');
    const fail = () =>
      limitFailures(database.db, [rule], now, async () => {
        throw Object.assign(new Error('wrong'), { code: 'wrong' });
      });
    for (let i = 0; i < 4; i++) expect(await outcome(ok())).toBe('ok');
    expect(await outcome(fail())).toBe('wrong');
    expect(await outcome(fail())).toBe('wrong');
    expect(await outcome(ok())).toBe('rate-limited');
  });
});

describe('the network a client address counts for', () => {
  // Security review regression: fails on 027241f, before the fix.
  it('is an IPv4 address itself, and the /64 of an IPv6 address, however it is written', () => {
    expect(clientNetwork('203.0.113.9')).toBe('203.0.113.9');
    expect(clientNetwork('::ffff:203.0.113.9')).toBe('203.0.113.9');
    const sameSubscriber = [
      '2001:db8:1:2::1',
      '2001:0db8:0001:0002:ffff:ffff:ffff:fffe',
      '2001:DB8:1:2:0:0:0:9',
    ].map(clientNetwork);
    expect(new Set(sameSubscriber)).toEqual(new Set(['2001:db8:1:2::/64']));
    expect(clientNetwork('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(clientNetwork('::1')).toBe('0:0:0:0::/64');
  });
});
