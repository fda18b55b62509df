import { describe, expect, it } from 'vitest';
import { ClientLimits, SLOW_DOWN_MS } from './client-limits.ts';

describe('per-client SMTP limits', () => {
  const settings = {
    maxConnectionsPerClient: 2,
    maxUnknownRecipients: 4,
    unknownRecipientsWindowSeconds: 60,
  };

  it('counts concurrent connections per address', () => {
    const limits = new ClientLimits(settings);
    expect([limits.connect('a'), limits.connect('a'), limits.connect('a')]).toEqual([
      'accept',
      'accept',
      'too-many-connections',
    ]);
    expect(limits.connect('b')).toBe('accept');
    limits.disconnected('a');
    expect(limits.connect('a')).toBe('accept');
  });

  it('slows refusals past half the allowance, cuts off at it, and forgets them as the window moves', () => {
    let now = 0;
    const limits = new ClientLimits(settings, () => now);
    expect([1, 2, 3, 4].map(() => limits.refused('a'))).toEqual([
      { kind: 'answer', delayMs: 0 },
      { kind: 'answer', delayMs: 0 },
      { kind: 'answer', delayMs: SLOW_DOWN_MS },
      { kind: 'disconnect' },
    ]);
    expect(limits.connect('a')).toBe('too-many-refusals');
    expect(limits.connect('b')).toBe('accept');
    now = 59_000;
    expect(limits.connect('a')).toBe('too-many-refusals');
    now = 60_001;
    expect(limits.connect('a')).toBe('accept');
    expect(limits.refused('a')).toEqual({ kind: 'answer', delayMs: 0 });
  });
});
