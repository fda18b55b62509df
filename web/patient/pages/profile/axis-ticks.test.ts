import { describe, expect, it } from 'vitest';
import { axisTicks } from './axis-ticks.ts';

describe('axisTicks', () => {
  it('gives round values around the measurements, as a chart axis reads well', () => {
    expect(axisTicks([81.8, 88.5])).toEqual([80, 82, 84, 86, 88, 90]);
    expect(axisTicks([6.5, 8.4])).toEqual([6, 6.5, 7, 7.5, 8, 8.5]);
    expect(axisTicks([82, 131, 138, 86])).toEqual([80, 100, 120, 140]);
  });

  it('leaves room above and below a flat series, and around a single value', () => {
    const ticks = axisTicks([165, 165]);
    expect(ticks[0]).toBeLessThan(165);
    expect(ticks.at(-1)).toBeGreaterThan(165);
    expect(axisTicks([0.3])).toEqual([0.2, 0.3, 0.4]);
  });

  it('keeps decimal steps exact (0,1 + 0,2 shows as 0,3)', () => {
    for (const tick of axisTicks([1.01, 1.32])) expect(String(tick)).toMatch(/^\d+(\.\d{1,2})?$/);
  });
});
