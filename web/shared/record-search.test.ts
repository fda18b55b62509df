import { describe, expect, it } from 'vitest';
import { documentsPath, filtersOf, hasFilters, monthsAgo, searchable } from './record-search.tsx';

describe('the record search kept in the address', () => {
  it('a shared link asks the API for the same search, filters and page', () => {
    const f = filtersOf(
      new URLSearchParams('patient=p1&q=sortie+2025&setting=ETABLISSEMENT&type=11490-0&unread=1&page=3'),
    );
    const asked = new URL(documentsPath('/api/x/documents', f, 20), 'http://carnet.test').searchParams;
    expect(Object.fromEntries(asked)).toEqual({
      q: 'sortie 2025',
      type: '11490-0',
      setting: 'ETABLISSEMENT',
      unread: '1',
      view: 'list',
      count: '20',
      offset: '40',
    });
    expect(hasFilters(f)).toBe(true);
  });

  it('the page alone, or the display, is not a search (« Réinitialiser » stays off)', () => {
    expect(hasFilters(filtersOf(new URLSearchParams('page=2&vue=chronologie')))).toBe(false);
    expect(filtersOf(new URLSearchParams('page=-4')).page).toBe(1);
  });

  it('compares words as the server does and counts months back from today', () => {
    expect(searchable('Échographie CŒUR')).toBe('echographie coeur');
    expect(monthsAgo(6, new Date(2026, 11, 6))).toBe('2026-06-06');
  });
});
