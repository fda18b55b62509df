import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../app/index.ts';
import { createTestContext } from '../../auth/test-context.ts';
import { seedDemo } from '../../demo/index.ts';
import { progressReporter } from '../../cli/index.ts';
import { bundleCarnetCommand, type ChildBundle } from '../../shared/testing/child-bundle.ts';
import { testDialects, type TestDatabase } from '../../storage/test-databases.ts';
import { careCategories, careLine } from './format.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const PEOPLE = ['168047505611243', '271096912304585', '152025935001471', '274067654007661'];
const LINES = 20_000;

/** `carnet import-insurer` in a child process, as an operator runs it (stdout, stderr collected). */
function runImport(carnet: ChildBundle, env: NodeJS.ProcessEnv, file: string) {
  const child = spawn(process.execPath, [carnet.file, 'import-insurer', file, '--batch', '500'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d: Buffer) => (out.stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out, exited };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(testDialects)('import-insurer crash and resume on %s', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  let running: ChildProcess | undefined;
  // The carnet command as one bundle of the same sources: tsx would load each file again in each process.
  let carnet: ChildBundle;

  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect));
    await seedDemo(ctx);
    carnet = await bundleCarnetCommand();
  });
  afterAll(async () => {
    running?.kill('SIGKILL');
    carnet?.remove();
    await database?.destroy();
  });

  const careCount = async () =>
    Number(
      (
        await ctx.db
          .selectFrom('insurer_care')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('a process killed mid-import leaves whole batches; running again resumes and ends with exactly the full set', async () => {
    const file = path.join(database.dataDir, 'feed.txt');
    const lines = Array.from({ length: LINES }, (_, i) =>
      careLine({
        lineId: `K${i}`,
        ins: PEOPLE[i % PEOPLE.length]!,
        date: `2025-${String((i % 12) + 1).padStart(2, '0')}-15`,
        category: careCategories[i % careCategories.length]!,
        label: `Acte ${i}`,
        professional: 'Cabinet médical',
        rpps: undefined,
        amountCents: 1000 + (i % 5000),
      }),
    );
    writeFileSync(file, `${lines.join('\n')}\n`);
    const env = {
      CARNET_DATA_DIR: database.dataDir,
      CARNET_LOG_LEVEL: 'warn',
      ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
    };

    const first = runImport(carnet, env, file);
    running = first.child;
    let checkpoint = 0;
    for (let waited = 0; waited < 60_000 && checkpoint < 2_000; waited += 20) {
      await sleep(20);
      const row = await ctx.db.selectFrom('insurer_imports').select('line_number').executeTakeFirst();
      checkpoint = Number(row?.line_number ?? 0);
    }
    first.child.kill('SIGKILL');
    await first.exited;
    running = undefined;
    const partial = await careCount();
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(LINES);
    // Nothing half-done: the rows stored are exactly the batches the checkpoint counts.
    const saved = await ctx.db.selectFrom('insurer_imports').selectAll().executeTakeFirstOrThrow();
    expect(saved.finished_at).toBeNull();
    expect(Number(saved.care_added)).toBe(partial);
    expect(partial % 500).toBe(0);

    const second = runImport(carnet, env, file);
    running = second.child;
    expect(await second.exited).toBe(0);
    running = undefined;
    expect(await careCount()).toBe(LINES);
    expect(second.out.stdout).toMatch(
      new RegExp(
        `resumed at line ${(partial + 1).toLocaleString('en')}\\): ${LINES.toLocaleString('en')} lines`,
      ),
    );
    const all = LINES.toLocaleString('en');
    expect(second.out.stdout).toContain(
      `added: ${all} (${all} care, 0 vaccinations, 0 COVID-19 attestations, 0 ALD periods); already present: 0; rejected: 0.`,
    );
    // Not a terminal: one progress line every 10 %, ending at 100 %.
    expect(second.out.stderr.endsWith(`import-insurer: 100 % (${all} lines, 0 rejected)\n`)).toBe(true);
    const distinct = await ctx.db
      .selectFrom('insurer_care')
      .select((eb) => eb.fn.count<number>('source_ref').distinct().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(distinct.n)).toBe(LINES);
  }, 180_000);
});

describe('progress output', () => {
  const progress = (bytesDone: number, records: number) => ({
    bytesDone,
    bytesTotal: 1000,
    records,
    rejected: 1,
  });

  it('writes one line per 10 % step when stderr is not a terminal', () => {
    let text = '';
    const reporter = progressReporter({ isTTY: false, write: (t: string) => (text += t) });
    for (let done = 0; done <= 1000; done += 50) reporter.update(progress(done, done / 10));
    reporter.done();
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe('import-insurer: 0 % (0 lines, 1 rejected)');
    expect(lines[10]).toBe('import-insurer: 100 % (100 lines, 1 rejected)');
  });

  it('redraws one bar in place on a terminal', () => {
    let text = '';
    let clock = 0;
    const reporter = progressReporter(
      { isTTY: true, write: (t: string) => (text += t) },
      { now: () => clock },
    );
    for (let done = 0; done <= 1000; done += 250) {
      clock += 1000;
      reporter.update(progress(done, done));
    }
    reporter.done();
    expect(text.split('\r')).toHaveLength(6);
    expect(text).toContain('[###############...............]  50 % 500 lines, 1 rejected');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.slice(0, -1)).not.toContain('\n');
  });
});
