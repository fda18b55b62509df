import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bundleCarnetCommand, type ChildBundle } from '../src/shared/testing/child-bundle.ts';
import { testDialects } from '../src/storage/test-databases.ts';
import { runBench } from './run.ts';
import { defaultOptions, type BenchOptions } from './options.ts';
import { defaultSoakOptions, runSoak, soakHeader, soakReport } from './soak.ts';

/** The bench machinery at a tiny scale: the figures mean nothing here, the plumbing must work. */
const tiny = (dialect: BenchOptions['dialects'][number]): BenchOptions => ({
  ...defaultOptions,
  dialects: [dialect],
  concurrency: [3],
  depositRun: { seconds: 60, operations: 20 },
  floorRun: { seconds: 10, operations: 20 },
  auditRun: { seconds: 10, operations: 20 },
  smtpRun: { seconds: 60, operations: 6 },
  smtpConcurrency: 3,
  storeDocuments: 200,
  patientDocuments: 20,
  otherPatients: 10,
  searchWarmup: 2,
  searchRuns: 10,
});

// Each server the bench starts runs the carnet command as one bundle: tsx would load every source file again in each.
let carnet: ChildBundle;
beforeAll(async () => {
  carnet = await bundleCarnetCommand();
  vi.stubEnv('CARNET_BENCH_COMMAND', carnet.file);
});
afterAll(() => {
  vi.unstubAllEnvs();
  carnet?.remove();
});

describe.each(testDialects)('npm run bench machinery (%s)', (dialect) => {
  it('deposits through a real server, populates, searches and prints each figure beside its floor', async () => {
    const lines: string[] = [];
    const [figures] = await runBench(tiny(dialect), (...printed) => lines.push(...printed));

    expect(figures).toBeDefined();
    const deposit = figures!.deposits[0]!;
    expect(deposit.http.firstFailure).toBeUndefined();
    expect(deposit.http.result.operations).toBe(20);
    expect(deposit.insertFloor.perCommit.operations).toBe(20);
    expect(deposit.fileFloor.operations).toBe(20);
    // The target's first deposit, the warm-up (2 per client) and the 20 measured ones are all stored.
    expect(figures!.depositedRows).toBe(1 + 6 + 20);
    expect(figures!.storeDocuments).toBe(200);
    expect(figures!.patientDocuments).toBe(20);
    for (const search of figures!.searches) {
      expect(search.http.result.operations).toBe(10);
      expect(search.http.total).toBeGreaterThan(0);
      // ITI-67 counts exactly what the bare SQL floor counts on the same rows.
      expect(search.http.total).toBe(search.floor.total);
    }
    expect(Number.isFinite(deposit.audit.perOperationMs)).toBe(true);
    expect(Number.isFinite(figures!.searchAudit!.perOperationMs)).toBe(true);

    // A 1 KB message of text and a 1 MB one carrying a PDF, each through the gateway and the floor.
    expect(figures!.smtp.map((s) => s.withPdf)).toEqual([false, true]);
    for (const [i, smtp] of figures!.smtp.entries()) {
      const target = defaultOptions.smtpMessageBytes[i]!;
      expect(Math.abs(smtp.messageBytes - target)).toBeLessThanOrEqual(target / 100);
      expect(smtp.concurrency).toBe(3);
      expect(smtp.gateway.firstFailure).toBeUndefined();
      expect(smtp.gateway.result.operations).toBe(6);
      expect(smtp.floor.firstFailure).toBeUndefined();
      expect(smtp.floor.result.operations).toBe(6);
    }
    // Per size, the warm-up (2 per connection) and the 6 measured messages are each stored once (each has its
    // own Message-ID), the large ones with their PDF.
    expect(figures!.smtpStoredMessages).toBe(2 * (6 + 6));
    expect(figures!.smtpStoredAttachments).toBe(6 + 6);

    const report = lines.join('\n');
    expect(report).toMatch(/Deposits per second \(ITI-65\)/);
    expect(report).toMatch(/floor: bare insert\/s/);
    expect(report).toMatch(/ITI-67 latency.*20 documents in a store of 200/);
    expect(report).toMatch(/Audit's share of request time/);
    expect(report).toMatch(/MSSanté SMTP messages accepted per second/);
    expect(report).toMatch(/floor: smtp-server \+ fsync/);
  }, 240_000);
});

// The soak targets PostgreSQL (its default); one dialect keeps the suite within its time.
describe.each(testDialects.filter((d) => d === 'postgres'))('npm run soak machinery (%s)', (dialect) => {
  it('drives every kind of operation open loop against carnet serve and reports each, errors included', async () => {
    const lines: string[] = [];
    const options = { ...defaultSoakOptions, dialect, seconds: 5, rateMultiplier: 1, workers: 1 };
    const figures = await runSoak({ ...options, prefillDeposits: 4 }, (...printed) => lines.push(...printed));
    const report = [...soakHeader(options), ...soakReport(figures)].join('\n');

    expect(figures.kinds.map((k) => k.kind)).toEqual([
      'deposit',
      'search',
      'retrieve',
      'smtp',
      'patient-page',
    ]);
    for (const kind of figures.kinds) {
      // No answer was an error; a busy machine may only make arrivals wait (dropped, counted as errors).
      expect(
        [...kind.errorMessages.keys()].filter((m) => !m.startsWith('dropped')),
        kind.kind,
      ).toEqual([]);
      expect(kind.failed, kind.kind).toBe(0);
      expect(kind.ok, kind.kind).toBeGreaterThan(0);
      expect(kind.ok + kind.dropped + kind.unfinished, kind.kind).toBe(kind.arrived);
      expect(report).toMatch(new RegExp(`^  ${kind.kind} +${kind.targetPerSecond.toFixed(2)} `, 'm'));
    }
    // Each acknowledged deposit and message was stored (the prefill's deposits are not counted).
    const ok = (kind: string) => figures.kinds.find((k) => k.kind === kind)!.ok;
    expect(figures.storedDocuments).toBe(ok('deposit'));
    expect(figures.storedAttachments).toBe(ok('smtp'));
    expect(report).toMatch(/carnet serve --workers 1/);
    expect(report).toMatch(figures.passed ? /^PASS: 0 errors/m : /^FAIL: \d+ errors/m);
  }, 240_000);
});
