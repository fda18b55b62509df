import { parseArgs } from 'node:util';
import type { Dialect } from '../src/storage/index.ts';

/** What one `npm run bench` measures, and how long each part runs. */
export interface BenchOptions {
  readonly dialects: readonly Dialect[];
  /** Concurrent clients of the deposit runs (and of their floors). */
  readonly concurrency: readonly number[];
  /** Each timed run stops after `seconds` or `operations`, whichever comes first. */
  readonly depositRun: { readonly seconds: number; readonly operations?: number };
  readonly floorRun: { readonly seconds: number; readonly operations?: number };
  readonly auditRun: { readonly seconds: number; readonly operations?: number };
  /** Messages sent to the MSSanté SMTP gateway and to its floor, per message size. */
  readonly smtpRun: { readonly seconds: number; readonly operations?: number };
  /** Concurrent SMTP senders (one pooled connection each). */
  readonly smtpConcurrency: number;
  /** Sizes of the MIME messages sent, in bytes (the larger ones carry a PDF). */
  readonly smtpMessageBytes: readonly number[];
  /** `all`, or only the SMTP figures (`--only smtp`). */
  readonly parts: 'all' | 'smtp';
  /** Size of the deposited PDF. */
  readonly pdfBytes: number;
  /** Rows in `documents` when searching, the searched patient's included. */
  readonly storeDocuments: number;
  readonly patientDocuments: number;
  readonly otherPatients: number;
  readonly searchWarmup: number;
  readonly searchRuns: number;
}

export const defaultOptions: BenchOptions = {
  dialects: ['sqlite', 'postgres'],
  concurrency: [8, 32],
  depositRun: { seconds: 10 },
  floorRun: { seconds: 3 },
  auditRun: { seconds: 3 },
  smtpRun: { seconds: 10 },
  smtpConcurrency: 8,
  smtpMessageBytes: [1024, 1024 * 1024],
  parts: 'all',
  pdfBytes: 100 * 1024,
  storeDocuments: 1_000_000,
  patientDocuments: 1_000,
  otherPatients: 10_000,
  searchWarmup: 50,
  searchRuns: 300,
};

export const usage = `Usage: npm run bench -- [--dialect sqlite|postgres] [--clients 8,32] [--seconds 10] [--documents 1000000] [--only smtp] [--quick]
  --only smtp  only the MSSanté SMTP figures (no deposits, searches nor insurer import)
  --quick      a short run (3 s per level, 100,000 documents): a smoke test, not figures to quote`;

function positiveInteger(value: string, name: string): number {
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new Error(`--${name} expects a positive integer, got "${value}"`);
  return n;
}

export function parseBenchArgs(args: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...args],
    options: {
      dialect: { type: 'string' },
      clients: { type: 'string' },
      seconds: { type: 'string' },
      documents: { type: 'string' },
      quick: { type: 'boolean' },
      only: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  let options: BenchOptions = values.quick
    ? {
        ...defaultOptions,
        depositRun: { seconds: 3 },
        floorRun: { seconds: 1 },
        auditRun: { seconds: 1 },
        smtpRun: { seconds: 3 },
        storeDocuments: 100_000,
      }
    : defaultOptions;
  if (values.only !== undefined) {
    if (values.only !== 'smtp') throw new Error('--only takes smtp');
    options = { ...options, parts: 'smtp' };
  }
  if (values.dialect !== undefined) {
    if (values.dialect !== 'sqlite' && values.dialect !== 'postgres')
      throw new Error('--dialect is sqlite or postgres');
    options = { ...options, dialects: [values.dialect] };
  }
  if (values.clients !== undefined) {
    options = {
      ...options,
      concurrency: values.clients.split(',').map((c) => positiveInteger(c, 'clients')),
    };
  }
  if (values.seconds !== undefined) {
    const seconds = positiveInteger(values.seconds, 'seconds');
    options = { ...options, depositRun: { seconds }, smtpRun: { seconds } };
  }
  if (values.documents !== undefined) {
    const documents = positiveInteger(values.documents, 'documents');
    if (documents < options.patientDocuments * 2)
      throw new Error(`--documents must be at least ${options.patientDocuments * 2}`);
    options = { ...options, storeDocuments: documents };
  }
  return options;
}
