import { describe, expect, it } from 'vitest';
import {
  closesThread,
  decideThread,
  mayPatientReply,
  normalizeMessageId,
  parseMessageIds,
  replyReferences,
  replySubject,
  resolveThread,
  threadCandidates,
} from './conversation.ts';

describe('message ids', () => {
  it('strips brackets and blanks', () => {
    expect(normalizeMessageId(' <a@b> ')).toBe('a@b');
    expect(normalizeMessageId('a@b')).toBe('a@b');
    expect(normalizeMessageId('<>')).toBeUndefined();
    expect(normalizeMessageId(undefined)).toBeUndefined();
  });

  it('reads every id of a References header, folded or as a list', () => {
    expect(parseMessageIds('<r@x>\r\n <p@x> <q@x>')).toEqual(['r@x', 'p@x', 'q@x']);
    expect(parseMessageIds(['<r@x>', '<p@x>'])).toEqual(['r@x', 'p@x']);
    expect(parseMessageIds('r@x')).toEqual(['r@x']);
    expect(parseMessageIds(undefined)).toEqual([]);
  });
});

describe('thread resolution', () => {
  const known = new Map([
    ['root@pro', 'T1'],
    ['reply@patient', 'T1'],
    ['other@pro', 'T2'],
  ]);

  it('prefers In-Reply-To, then References from the parent back to the root', () => {
    expect(threadCandidates('<reply@patient>', ['root@pro', 'x@y'])).toEqual([
      'reply@patient',
      'x@y',
      'root@pro',
    ]);
    expect(resolveThread(threadCandidates('<other@pro>', ['root@pro']), known)).toBe('T2');
    expect(resolveThread(threadCandidates('<unknown@x>', ['root@pro']), known)).toBe('T1');
    expect(resolveThread(threadCandidates(undefined, ['nope@x', 'reply@patient']), known)).toBe('T1');
  });

  it('opens a new thread when nothing is known', () => {
    expect(resolveThread(threadCandidates('<unknown@x>', []), known)).toBeUndefined();
    expect(resolveThread([], known)).toBeUndefined();
  });

  it('lets only a professional open a conversation; anyone known joins', () => {
    expect(decideThread(undefined, false)).toEqual({ kind: 'open' });
    expect(decideThread(undefined, true)).toEqual({ kind: 'refuse', reason: 'patient-cannot-open' });
    expect(decideThread('T1', true)).toEqual({ kind: 'join', threadId: 'T1' });
    expect(decideThread('T1', false)).toEqual({ kind: 'join', threadId: 'T1' });
  });
});

describe('[FIN] and X-MSS-MES', () => {
  it.each([
    ['[FIN]', undefined, true],
    ['  [FIN]\t', undefined, true],
    ['Re: [FIN]', undefined, false],
    ['[fin]', undefined, false],
    ['[FIN] merci', undefined, false],
    ['FIN', undefined, false],
    ['[ FIN ]', undefined, false],
    ['Résultats', 'FIN', true],
    ['Résultats', ' fin ', true],
    ['Résultats', 'OUVERT', false],
    ['Résultats', undefined, false],
  ])('subject %j with X-MSS-MES %j closes: %s', (subject, mes, closes) => {
    expect(closesThread(subject, mes)).toBe(closes);
  });

  it('allows a reply only while the thread is open', () => {
    expect(mayPatientReply({ closedAt: undefined })).toBe(true);
    expect(mayPatientReply({ closedAt: '2025-01-01T00:00:00.000Z' })).toBe(false);
  });
});

describe('reply headers', () => {
  it('prefixes Re: once', () => {
    expect(replySubject('Résultats')).toBe('Re: Résultats');
    expect(replySubject('RE: Résultats')).toBe('RE: Résultats');
    expect(replySubject('Re : Résultats')).toBe('Re : Résultats');
    expect(replySubject('')).toBe('Re: (sans objet)');
  });

  it('chains References and trims long chains in the middle, keeping the root', () => {
    expect(replyReferences(['root'], 'p')).toEqual(['root', 'p']);
    expect(replyReferences([], 'p')).toEqual(['p']);
    expect(replyReferences(['root', 'p'], 'p')).toEqual(['root', 'p']);
    const long = Array.from({ length: 30 }, (_, i) => `m${i}`);
    const trimmed = replyReferences(long, 'p', 5);
    expect(trimmed).toEqual(['m0', 'm27', 'm28', 'm29', 'p']);
  });
});

describe('Message-IDs from any sender', () => {
  // Security review regression: fails on 027241f, before the fix.
  it('lose their brackets in linear time', () => {
    const started = performance.now();
    expect(normalizeMessageId(`<id@host${'>'.repeat(40_000)}x`)).toBe(`id@host${'>'.repeat(40_000)}x`);
    expect(parseMessageIds(`${'>'.repeat(40_000)}x`)).toHaveLength(1);
    expect(normalizeMessageId('<<id@host>>')).toBe('id@host');
    expect(performance.now() - started).toBeLessThan(100);
  });
});
