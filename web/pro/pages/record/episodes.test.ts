import { describe, expect, it } from 'vitest';
import type { EpisodeView, RecordDocumentView } from '../../../shared/record-types.ts';
import { episodeHeading, spanOf, timelineOf } from './episodes.ts';

const doc = (id: string, createdAt: string, episodeId?: string) =>
  ({ id, createdAt, ...(episodeId ? { episodeId } : {}) }) as RecordDocumentView;

const stay: EpisodeView = {
  id: 'encounter:SEJ-1',
  kind: 'encounter',
  structure: 'Centre hospitalier de démonstration',
  facility: 'Établissement de santé',
  setting: 'Établissement de santé',
  start: '2026-02-27T08:00:00.000Z',
  end: '2026-03-04T17:00:00.000Z',
  documentCount: 3,
};
const alone: EpisodeView = {
  id: 'document:gp',
  kind: 'document',
  structure: 'Cabinet médical des Lilas',
  facility: null,
  setting: null,
  start: '2026-03-20T09:00:00.000Z',
  end: '2026-03-20T09:00:00.000Z',
  documentCount: 1,
};

describe('the portal timeline by episode of care', () => {
  it('gathers a stay where its newest document appears and leaves a lone letter on its own', () => {
    const months = timelineOf(
      [
        doc('gp', '2026-03-20T09:00:00Z', alone.id),
        doc('discharge', '2026-03-04T17:00:00Z', stay.id),
        doc('old', '2026-01-10T09:00:00Z'),
        doc('biology', '2026-02-28T10:00:00Z', stay.id),
      ],
      [alone, stay],
    );
    expect(months.map((m) => m.month)).toEqual(['mars 2026', 'janvier 2026']);
    const [march, january] = months;
    expect(march!.entries.map((e) => e.kind)).toEqual(['document', 'episode']);
    const episode = march!.entries[1]!;
    expect(episode.kind === 'episode' && episode.documents.map((d) => d.id)).toEqual([
      'discharge',
      'biology',
    ]);
    expect(january!.entries).toEqual([
      { kind: 'document', document: expect.objectContaining({ id: 'old' }) },
    ]);
  });

  it('says where, when and how many, the whole stay when the page shows part of it', () => {
    expect(episodeHeading(stay, 2)).toEqual({
      title: 'Séjour — Centre hospitalier de démonstration',
      detail: 'du 27 février au 4 mars 2026 · 3 documents, dont 2 sur cette page',
    });
    expect(episodeHeading({ ...stay, kind: 'submission-set', structure: null }, 3).title).toBe(
      'Envoi groupé — Établissement de santé',
    );
  });

  it('writes a span of days in French, the shared month and year once', () => {
    expect(spanOf('2026-03-03T08:00:00Z', '2026-03-09T18:00:00Z')).toBe('du 3 au 9 mars 2026');
    expect(spanOf('2025-12-30T08:00:00Z', '2026-01-02T18:00:00Z')).toBe(
      'du 30 décembre 2025 au 2 janvier 2026',
    );
    expect(spanOf('2026-03-03T08:00:00Z', '2026-03-03T18:00:00Z')).toBe('le 3 mars 2026');
    expect(spanOf('2026-02-26T08:00:00Z', '2026-03-01T18:00:00Z')).toBe('du 26 février au 1er mars 2026');
  });
});
