import { describe, expect, it } from 'vitest';
import { CarnetError, forbidden, rateLimited } from './errors.ts';

const frames = (error: Error) => (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));

describe('CarnetError', () => {
  // Security review regression (the burst of sign-ins): fails on fb512e4, where every refusal captured the stack of
  // its request's async chain, a good part of what a refused request cost during a flood.
  it('captures no stack for a refusal, which is an answer rather than a fault', () => {
    expect(frames(rateLimited())).toEqual([]);
    expect(frames(forbidden())).toEqual([]);
    expect(rateLimited().status).toBe(429);
  });

  it('keeps the stack of an internal error, and leaves other errors their stacks', () => {
    expect(frames(new CarnetError('internal', 'internal', 'Erreur interne.')).length).toBeGreaterThan(0);
    rateLimited();
    expect(frames(new Error('après un refus')).length).toBeGreaterThan(0);
  });
});
