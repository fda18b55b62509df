import type { InsurerImportsTable } from '../../storage/index.ts';

/**
 * What an import has counted so far. The checkpoint row of the run stores exactly these (one column each), the
 * run resumes from them and the report shows them: a batch adds its own counts once, here.
 */
export interface ImportCounters {
  /** Records read (blank and comment lines excluded), rejected ones included. */
  readonly records: number;
  readonly careAdded: number;
  readonly vaccinationsAdded: number;
  readonly attestationsAdded: number;
  /** ALD periods added (records `ALD`). */
  readonly aldAdded: number;
  /** Lines already imported before (by this or an earlier run). */
  readonly duplicates: number;
  readonly rejected: number;
}

export const noCounts: ImportCounters = {
  records: 0,
  careAdded: 0,
  vaccinationsAdded: 0,
  attestationsAdded: 0,
  aldAdded: 0,
  duplicates: 0,
  rejected: 0,
};

const columns = {
  records: 'records',
  careAdded: 'care_added',
  vaccinationsAdded: 'vaccinations_added',
  attestationsAdded: 'attestations_added',
  aldAdded: 'ald_added',
  duplicates: 'duplicates',
  rejected: 'rejected',
} as const satisfies Record<keyof ImportCounters, keyof InsurerImportsTable>;

type CounterName = keyof ImportCounters;
type CounterColumns = { [K in CounterName as (typeof columns)[K]]: number };
const names = Object.keys(columns) as CounterName[];

export function addCounts(a: ImportCounters, b: Partial<ImportCounters>): ImportCounters {
  return Object.fromEntries(names.map((n) => [n, a[n] + (b[n] ?? 0)])) as unknown as ImportCounters;
}

/** The counters as the run's row stores them. */
export function counterColumns(counters: ImportCounters): CounterColumns {
  return Object.fromEntries(names.map((n) => [columns[n], counters[n]])) as CounterColumns;
}

/** The counters a stored run had reached (a column added later reads as zero). */
export function countersOfRow(row: { readonly [C in keyof CounterColumns]?: number | string | null }) {
  return Object.fromEntries(names.map((n) => [n, Number(row[columns[n]] ?? 0)])) as unknown as ImportCounters;
}
