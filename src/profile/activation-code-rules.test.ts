import { describe, expect, it } from 'vitest';
import {
  CODE_ALPHABET,
  CODE_MAX_ATTEMPTS,
  activationCodeExpiry,
  activationCodeStatus,
  generateActivationCode,
  isWellFormedActivationCode,
  normalizeActivationCode,
} from './activation-code-rules.ts';

describe('codes provisoires', () => {
  it('are 8 characters from an alphabet without 0, O, 1 or I', () => {
    expect(CODE_ALPHABET).not.toMatch(/[0O1I]/);
    const codes = Array.from({ length: 200 }, generateActivationCode);
    for (const code of codes) expect(isWellFormedActivationCode(code)).toBe(true);
    expect(new Set(codes).size).toBe(200);
  });

  it('tolerate how people type them', () => {
    expect(normalizeActivationCode(' abcd-efgh ')).toBe('ABCDEFGH');
    expect(isWellFormedActivationCode('ABCDEFG0')).toBe(false);
    expect(isWellFormedActivationCode('ABCDEFG')).toBe(false);
  });

  it('expire after 90 days and are refused in the contract order', () => {
    const issued = new Date('2026-01-01T00:00:00Z');
    const expires = activationCodeExpiry(issued);
    expect(expires.toISOString()).toBe('2026-04-01T00:00:00.000Z');
    const code = { expires_at: expires.toISOString(), used_at: null, revoked_at: null, attempts: 0 };
    expect(activationCodeStatus(code, new Date('2026-03-31T23:59:59Z'))).toBe('usable');
    expect(activationCodeStatus(code, expires)).toBe('expired');
    expect(activationCodeStatus({ ...code, used_at: 'x' }, issued)).toBe('used');
    expect(activationCodeStatus({ ...code, used_at: 'x' }, expires)).toBe('expired');
    expect(activationCodeStatus({ ...code, revoked_at: 'x' }, issued)).toBe('revoked');
    expect(activationCodeStatus({ ...code, attempts: CODE_MAX_ATTEMPTS }, issued)).toBe('exhausted');
  });
});
