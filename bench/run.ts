import { BENCH_POSTGRES_URL, postgresProblem } from './database.ts';
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

export async function main(args: readonly string[]): Promise<number> {
  let options;
  try {
    options = parseBenchArgs(args);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error, `\n${usage}`);
    return 2;
  }
  if (options === 'help') {
    console.log(usage);
    return 0;
  }
  const started = performance.now();
  const print: Print = (...lines) => console.log(lines.join('\n'));
  print(...header(options));
  await runBench(options, print);
  print('', `Total time: ${((performance.now() - started) / 1000).toFixed(0)} s.`);
  return 0;
}
