import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { denialError } from '../guard/index.ts';
import type { Ins, PatientId } from '../identity/index.ts';
import { CarnetError } from '../shared/index.ts';
import { authorize } from './authorize.ts';
import { denyMessages, denyReasons, isDenyReason } from './decision.ts';

const root = join(import.meta.dirname, '..');

/**
 * 403 codes that are not access decisions on a patient's data: a rule of the action itself (a thread closed, an
 * entry that came from the insurer, a request from another site). Any other literal code given to `forbidden` must
 * be a deny reason, so that one refusal never has two codes.
 */
const notAccessRefusals = new Set([
  'cross-origin',
  'agenda-event-read-only',
  'profile-entry-read-only',
  'reply-not-operator',
  'thread-closed',
  'sender-mismatch',
  'patient-cannot-open',
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.ts$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** The first argument of every `forbidden(` call in the server's code, with where it is. */
function forbiddenCalls(): { where: string; code: string }[] {
  return sourceFiles(root).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return [...text.matchAll(/\bforbidden\(\s*([^,)]*)/g)].map((m) => ({
      where: `${relative(root, file)}:${text.slice(0, m.index).split('\n').length}`,
      code: (m[1] ?? '').trim(),
    }));
  });
}

const patient = {
  kind: 'patient' as const,
  patientId: 'a' as PatientId,
  ins: '0' as Ins,
  actsFor: ['a' as PatientId],
};

const codeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof CarnetError) return error.code;
  }
  throw new Error('no CarnetError thrown');
};

describe('refusal codes', () => {
  it('are the deny reasons themselves, with one French sentence each', () => {
    expect(denyReasons.length).toBe(Object.keys(denyMessages).length);
    for (const reason of denyReasons) {
      expect(isDenyReason(reason)).toBe(true);
      expect(denialError(reason)).toMatchObject({ kind: 'forbidden', code: reason });
    }
    expect(isDenyReason('access-not-own-record')).toBe(false);
  });

  it('keep their reason through the identity-level check', () => {
    const other = 'b' as PatientId;
    expect(
      codeOf(() => authorize(patient, { type: 'mailbox.open', patientId: other, profileState: 'activated' })),
    ).toBe('not-own-mailbox');
  });

  it('given to forbidden() anywhere in the server are deny reasons, never built nor synonyms', () => {
    const wrong = forbiddenCalls().filter(({ code }) => {
      if (code.startsWith('`')) return true;
      const literal = /^'([^']*)'$/.exec(code)?.[1];
      if (literal === undefined) return false;
      return !isDenyReason(literal) && !notAccessRefusals.has(literal);
    });
    expect(wrong).toEqual([]);
  });
});
