import { BENCH_POSTGRES_URL, postgresProblem } from './database.ts';
import { measureInsurerImport } from './insurer-import.ts';
import { measureDialect, type DialectFigures, type Print } from './measure.ts';
import { parseBenchArgs, usage, type BenchOptions } from './options.ts';
import { dialectReport, header } from './report.ts';

/**
 * `npm run bench`: deposits per second, ITI-67 latency and the audit's share, for SQLite then PostgreSQL,
 * each beside its floor. Not part of `npm test`: wall-clock figures never gate CI.
 */
export async function runBench(options: BenchOptions, print: Print): Promise<DialectFigures[]> {
  const figures: DialectFigures[] = [];
  for (const dialect of options.dialects) {
    if (dialect === 'postgres') {
      const problem = await postgresProblem();
      if (problem) {
        print('', `== PostgreSQL SKIPPED: no server answers at ${BENCH_POSTGRES_URL} (${problem}) ==`);
        continue;
      }
    }
    print('', `${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}: measuring…`);
    const result = await measureDialect(dialect, options, print);
    print(...dialectReport(result));
    figures.push(result);
  }
  return figures;
}

/** Lines of the generated Assurance Maladie file (a million); `--quick` imports a tenth. */
export const INSURER_BENCH_LINES = 1_000_000;
const insurerUsage = `  --insurer-lines N   lines of the generated Assurance Maladie file (default 1,000,000; 100,000 with --quick)
  --insurer-only      only the Assurance Maladie import;  --no-insurer  skip it`;

/** Takes out the insurer import's own flags (`--insurer-lines N`, `--insurer-only`, `--no-insurer`). */
function insurerArgs(args: readonly string[]): {
  rest: string[];
  lines: number | undefined;
  only: boolean;
  skip: boolean;
} {
  const rest: string[] = [];
  let lines: number | undefined;
  let only = false;
  let skip = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--insurer-only') only = true;
    else if (arg === '--no-insurer') skip = true;
    else if (arg === '--insurer-lines') {
      lines = Number((args[++i] ?? '').replace(/_/g, ''));
      if (!Number.isSafeInteger(lines) || lines <= 0)
        throw new Error('--insurer-lines expects a positive integer');
    } else rest.push(arg);
  }
  return { rest, lines, only, skip };
}

/** The Assurance Maladie import for each dialect: time and lines/s of a generated file (no gate). */
export async function runInsurerBench(options: BenchOptions, lines: number, print: Print): Promise<void> {
  for (const dialect of options.dialects) {
    if (dialect === 'postgres' && (await postgresProblem())) {
      print(
        '',
        `== PostgreSQL SKIPPED for the insurer import: no server answers at ${BENCH_POSTGRES_URL} ==`,
      );
      continue;
    }
    print(
      '',
      `${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}: importing ${lines.toLocaleString('en')} Assurance Maladie lines…`,
    );
    await measureInsurerImport(dialect, lines, print);
  }
}

export async function main(args: readonly string[]): Promise<number> {
  let options;
  let insurer;
  try {
    insurer = insurerArgs(args);
    args = insurer.rest;
    options = parseBenchArgs(args);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error, `\n${usage}`);
    return 2;
  }
  if (options === 'help') {
    console.log(`${usage}\n${insurerUsage}`);
    return 0;
  }
  const started = performance.now();
  const print: Print = (...lines) => console.log(lines.join('\n'));
  // The header's first two lines (machine, load) are what the insurer import alone needs.
  print(...(insurer.only ? header(options).slice(0, 2) : header(options)));
  if (!insurer.only) await runBench(options, print);
  if (!insurer.skip && options.parts === 'all') {
    const lines =
      insurer.lines ?? (args.includes('--quick') ? INSURER_BENCH_LINES / 10 : INSURER_BENCH_LINES);
    await runInsurerBench(options, lines, print);
  }
  print('', `Total time: ${((performance.now() - started) / 1000).toFixed(0)} s.`);
  return 0;
}
