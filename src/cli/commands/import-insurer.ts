import { access } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../../config/index.ts';
import { importInsurerFile, type ImportProgress, type InsurerImportReport } from '../../insurer/index.ts';
import { systemClock } from '../../shared/index.ts';
import { migrateToLatest, openDatabase } from '../../storage/index.ts';
import { parseArgs } from '../args.ts';
import { createAppContext } from '../../server/index.ts';

const int = (n: number) => n.toLocaleString('en');

interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * Progress on stderr: on a terminal a bar redrawn in place (at most every 100 ms); otherwise (a log file, CI) one
 * line every `stepPercent` %, so that the log stays short.
 */
export function progressReporter(
  stream: ProgressStream,
  options: { stepPercent?: number; now?: () => number } = {},
): { update(progress: ImportProgress): void; done(): void } {
  const step = options.stepPercent ?? 10;
  const now = options.now ?? (() => performance.now());
  const started = now();
  let lastDraw = -Infinity;
  let lastStep = -1;
  let drawn = false;
  const percentOf = (p: ImportProgress) =>
    p.bytesTotal === 0 ? 100 : Math.min(100, Math.floor((p.bytesDone / p.bytesTotal) * 100));
  return {
    update(p) {
      const percent = percentOf(p);
      if (stream.isTTY) {
        const t = now();
        if (t - lastDraw < 100 && percent < 100) return;
        lastDraw = t;
        const width = 30;
        const filled = Math.round((percent / 100) * width);
        const seconds = (t - started) / 1000;
        const rate = seconds > 0 ? ` ${int(Math.round(p.records / seconds))} lines/s` : '';
        stream.write(
          `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(percent).padStart(3)} % ` +
            `${int(p.records)} lines, ${int(p.rejected)} rejected${rate}\u001b[K`,
        );
        drawn = true;
        return;
      }
      const reached = Math.floor(percent / step) * step;
      if (reached > lastStep) {
        lastStep = reached;
        stream.write(`import-insurer: ${reached} % (${int(p.records)} lines, ${int(p.rejected)} rejected)\n`);
      }
    },
    done() {
      if (stream.isTTY && drawn) stream.write('\n');
    },
  };
}

/** Operator-facing summary (English), then one line per rejected line with its reason (French, as stored). */
export function formatInsurerReport(
  fileName: string,
  report: InsurerImportReport,
  maxRejects = Infinity,
): string {
  const added = report.careAdded + report.vaccinationsAdded + report.attestationsAdded + report.aldAdded;
  const rate = report.seconds > 0 ? Math.round(report.records / report.seconds) : report.records;
  const shown = report.rejected.slice(0, maxRejects);
  return [
    `Imported ${fileName}${report.resumedAtLine ? ` (resumed at line ${int(report.resumedAtLine)})` : ''}: ` +
      `${int(report.records)} lines in ${report.seconds.toFixed(1)} s (${int(rate)} lines/s).`,
    `  added: ${int(added)} (${int(report.careAdded)} care, ${int(report.vaccinationsAdded)} vaccinations, ` +
      `${int(report.attestationsAdded)} COVID-19 attestations, ${int(report.aldAdded)} ALD periods); ` +
      `already present: ${int(report.duplicates)}; ` +
      `rejected: ${int(report.rejected.length)}.`,
    ...shown.map((r) => `  line ${r.line}: ${r.reason}`),
    ...(report.rejected.length > shown.length
      ? [`  … and ${int(report.rejected.length - shown.length)} more rejected lines (--json lists them all).`]
      : []),
  ].join('\n');
}

/**
 * `carnet import-insurer <file> [--json] [--batch N]`: 0 when the file was processed (even with rejected lines),
 * 1 when unreadable. Run again after a crash: the same file resumes where the last committed batch ended.
 */
export async function importInsurerCommand(args: readonly string[]): Promise<number> {
  const { positionals, flags } = parseArgs(args, ['batch']);
  const file = positionals[0];
  const batch = flags.get('batch');
  const batchLines = typeof batch === 'string' ? Number(batch) : undefined;
  if (
    !file ||
    positionals.length > 1 ||
    (batchLines !== undefined && !(Number.isSafeInteger(batchLines) && batchLines > 0))
  ) {
    console.error('Usage: carnet import-insurer <file> [--json] [--batch <lines per transaction>]');
    return 2;
  }
  try {
    await access(file);
  } catch (error) {
    console.error(`carnet import-insurer: cannot read ${file}: ${(error as Error).message}`);
    return 1;
  }
  const config = loadConfig();
  const database = openDatabase(config);
  const progress = progressReporter(process.stderr);
  try {
    await migrateToLatest(database.db, config);
    const ctx = createAppContext({ config, db: database.db, dialect: database.dialect, clock: systemClock });
    const report = await importInsurerFile(ctx, file, path.basename(file), {
      onProgress: (p) => progress.update(p),
      ...(batchLines ? { batchLines } : {}),
    });
    progress.done();
    console.log(flags.has('json') ? JSON.stringify(report, null, 2) : formatInsurerReport(file, report));
    return 0;
  } finally {
    await database.close();
  }
}
