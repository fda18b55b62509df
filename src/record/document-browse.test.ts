import { describe, expect, it } from 'vitest';
import type { Principal } from '../access/index.ts';
import { classCodesMatching, queryWords } from './document-browse.ts';
import { unreadBy } from './openings.ts';
import { previousVisitAt, VISIT_GAP_MS } from './visits.ts';

describe('what a record search compares', () => {
  it('keeps every word of two letters or more, without accents or case, each once', () => {
    expect(queryWords('Lettre de SORTIE d’hôpital lettre')).toEqual(['lettre', 'de', 'sortie', 'hopital']);
    expect(queryWords('  ')).toEqual([]);
    expect(queryWords('a')).toEqual([]);
    expect(queryWords('x'.repeat(25))).toEqual(['x'.repeat(20)]);
  });

  it('finds a class by a word of its French label', () => {
    expect(classCodesMatching('imag')).toEqual(['31']);
    expect(classCodesMatching('synthese')).toEqual(['11']);
    expect(classCodesMatching('zzz')).toEqual([]);
  });
});

describe('« pas encore ouvert par moi »', () => {
  const doctor = { kind: 'professional', nationalId: '810001000115' } as Principal;
  const patient = { kind: 'patient', patientId: 'p1' } as Principal;
  const byDoctor = {
    status: 'current',
    author: { kind: 'professional', nationalId: '810001000115' },
  } as never;
  const byOther = {
    status: 'current',
    author: { kind: 'professional', nationalId: '810001000214' },
  } as never;
  const byPatient = { status: 'current', author: { kind: 'patient', patientId: 'p1' } } as never;

  it('is what the reader neither opened nor wrote', () => {
    expect(unreadBy(doctor, byOther, false)).toBe(true);
    expect(unreadBy(doctor, byOther, true)).toBe(false);
    expect(unreadBy(doctor, byDoctor, false)).toBe(false);
    expect(unreadBy(patient, byOther, false)).toBe(true);
    expect(unreadBy(patient, byPatient, false)).toBe(false);
  });
});

describe('a professional’s previous visit', () => {
  const now = new Date('2026-03-10T10:00:00.000Z');
  const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

  it('is unknown on a first visit', () => {
    expect(previousVisitAt(undefined, now)).toBeUndefined();
    expect(previousVisitAt({ last_access_at: null, previous_visit_at: null }, now)).toBeUndefined();
  });

  it('ends at the last access when that is more than an hour old', () => {
    const last = ago(VISIT_GAP_MS + 1);
    expect(previousVisitAt({ last_access_at: last, previous_visit_at: ago(10 * VISIT_GAP_MS) }, now)).toBe(
      last,
    );
  });

  it('stays the same while the current visit goes on', () => {
    const before = ago(24 * VISIT_GAP_MS);
    expect(previousVisitAt({ last_access_at: ago(60_000), previous_visit_at: before }, now)).toBe(before);
    expect(previousVisitAt({ last_access_at: ago(60_000), previous_visit_at: null }, now)).toBeUndefined();
  });
});
