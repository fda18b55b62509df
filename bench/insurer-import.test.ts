import { describe, expect, it } from 'vitest';
import { testDialects } from '../src/storage/test-databases.ts';
import { measureInsurerImport } from './insurer-import.ts';

/** The insurer import bench at a tiny scale: the figures mean nothing here, the plumbing must work. */
describe.each(testDialects)('insurer import bench machinery (%s)', (dialect) => {
  it('generates people and a file, imports it twice and prints time and lines/s', async () => {
    const printed: string[] = [];
    const figures = await measureInsurerImport(dialect, 1_000, (...lines) => printed.push(...lines), {
      progress: false,
    });
    expect(figures.patients).toBe(20);
    expect(figures.report.careAdded).toBe(1_000);
    expect(figures.again?.duplicates).toBe(1_000);
    expect(printed.join('\n')).toMatch(/import: \d+\.\d s, [\d,]+ lines\/s/);
  }, 120_000);
});
