import { describe, expect, it } from 'vitest';
import type { ProfileState } from '../storage/index.ts';
import { nextProfileState, type ProfileEvent } from './lifecycle.ts';

const outcome = (from: ProfileState, event: ProfileEvent) => {
  const result = nextProfileState(from, event);
  return result.ok ? result.state : result.error.code;
};

describe('profile lifecycle', () => {
  it('allows created → activated → closed and created → opposed', () => {
    expect(outcome('created', 'activate')).toBe('activated');
    expect(outcome('created', 'oppose')).toBe('opposed');
    expect(outcome('activated', 'close')).toBe('closed');
  });

  it('refuses everything else with the precise reason', () => {
    expect(outcome('opposed', 'activate')).toBe('profile-opposed');
    expect(outcome('opposed', 'close')).toBe('profile-opposed');
    expect(outcome('activated', 'activate')).toBe('profile-already-activated');
    expect(outcome('activated', 'oppose')).toBe('profile-already-activated');
    expect(outcome('closed', 'activate')).toBe('profile-closed');
    expect(outcome('closed', 'close')).toBe('profile-closed');
    expect(outcome('created', 'close')).toBe('profile-not-activated');
  });
});
