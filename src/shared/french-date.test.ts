import { describe, expect, it } from 'vitest';
import { frenchLongDay } from './french-date.ts';

describe('frenchLongDay', () => {
  it('writes the day, the month in words and the year, the first of the month as « 1er »', () => {
    expect(frenchLongDay('2025-09-03')).toBe('3 septembre 2025');
    expect(frenchLongDay('2025-04-01')).toBe('1er avril 2025');
    expect(frenchLongDay('2025-12-11')).toBe('11 décembre 2025');
  });
});
