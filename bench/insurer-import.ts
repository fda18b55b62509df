import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import type { AppContext } from '../src/app/context.ts';
import { progressReporter } from '../src/cli/commands/import-insurer.ts';
import { loadConfig } from '../src/config/index.ts';
import { insKey } from '../src/identity/index.ts';
import {
  careCategories,
  careLine,
  importInsurerFile,
  type InsurerImportReport,
} from '../src/insurer/index.ts';
import { systemClock } from '../src/shared/clock.ts';
import type { Dialect } from '../src/storage/index.ts';
import { createBenchDatabase } from './database.ts';
import type { Print } from './measure.ts';

/** One insured person's extract: a national feed comes grouped by person, dated over two years. */
export const LINES_PER_PATIENT = 50;

export interface InsurerImportFigures {
  readonly dialect: Dialect;
  readonly lines: number;
  readonly patients: number;
  readonly fileBytes: number;
  readonly generateSeconds: number;
  readonly report: InsurerImportReport;
  /** The same file imported again: every line is a duplicate. */
  readonly again: InsurerImportReport | undefined;
}

/** Synthetic INS of the bench people: valid keys, men born in January 1980 in Paris, by commune and order. */
export function benchIns(k: number): string {
  const commune = String(101 + Math.floor(k / 999)).padStart(3, '0');
  const order = String(1 + (k % 999)).padStart(3, '0');
  const first13 = `18001751${commune.slice(1)}${order}`.padEnd(13, '0');
  return `${first13}${insKey(first13)}`;
}

async function addPatients(ctx: AppContext, count: number): Promise<void> {
  const now = new Date().toISOString();
  for (let from = 0; from < count; from += 500) {
    const rows = [];
    for (let k = from; k < Math.min(count, from + 500); k++) {
      rows.push({
        id: `00000000-0000-7000-8000-${String(k).padStart(12, '0')}`,
        ins: benchIns(k),
        ins_oid: '1.2.250.1.213.1.4.10',
        birth_name: 'BANC',
        used_name: null,
        first_names: 'Essai',
        birth_date: '1980-01-15',
        sex: 'male' as const,
        birth_place_insee: null,
        email: null,
        phone: null,
        vitale_serial: null,
        profile_state: 'activated' as const,
        state_changed_at: now,
        deletion_requested: 0,
        created_at: now,
        updated_at: now,
      });
    }
    await ctx.db.insertInto('patients').values(rows).execute();
  }
}

/** Writes `lines` care lines, `LINES_PER_PATIENT` per person in a row, to `file`. */
async function writeFeed(file: string, lines: number): Promise<void> {
  const out = createWriteStream(file);
  let buffer: string[] = [];
  for (let i = 0; i < lines; i++) {
    const k = Math.floor(i / LINES_PER_PATIENT);
    const day = i % LINES_PER_PATIENT;
    buffer.push(
      careLine({
        lineId: `B${i}`,
        ins: benchIns(k),
        date: `${2024 + (day % 2)}-${String((day % 12) + 1).padStart(2, '0')}-${String((day % 28) + 1).padStart(2, '0')}`,
        category: careCategories[i % careCategories.length]!,
        label: 'Consultation de médecine générale',
        professional: 'Dr Claire MARTIN',
        rpps: i % 2 ? '10001000115' : undefined,
        amountCents: 2650,
      }),
    );
    if (buffer.length === 10_000) {
      if (!out.write(`${buffer.join('\n')}\n`)) await once(out, 'drain');
      buffer = [];
    }
  }
  if (buffer.length) out.write(`${buffer.join('\n')}\n`);
  out.end();
  await once(out, 'finish');
}

/**
 * `carnet import-insurer` on a generated file of `lines` care lines for `lines / 50` people, in a fresh database:
 * the time and lines/s, with the progress bar on stderr, then the same file again (everything a duplicate).
 */
export async function measureInsurerImport(
  dialect: Dialect,
  lines: number,
  print: Print,
  options: { again?: boolean; progress?: boolean } = {},
): Promise<InsurerImportFigures> {
  const database = await createBenchDatabase(dialect);
  try {
    const env = {
      CARNET_DATA_DIR: database.dataDir,
      CARNET_LOG_LEVEL: 'warn',
      ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
    };
    const ctx: AppContext = { config: loadConfig(env), db: database.db, dialect, clock: systemClock };
    const patients = Math.ceil(lines / LINES_PER_PATIENT);
    const file = path.join(database.dataDir, 'assurance-maladie.txt');
    const generated = performance.now();
    await addPatients(ctx, patients);
    await writeFeed(file, lines);
    const generateSeconds = (performance.now() - generated) / 1000;
    const fileBytes = (await stat(file)).size;
    const run = async () => {
      const bar = options.progress === false ? undefined : progressReporter(process.stderr);
      const report = await importInsurerFile(ctx, file, path.basename(file), {
        ...(bar ? { onProgress: (p) => bar.update(p) } : {}),
      });
      bar?.done();
      return report;
    };
    const report = await run();
    if (report.careAdded !== lines) {
      throw new Error(`insurer import bench: ${report.careAdded} of ${lines} lines added`);
    }
    const again = options.again === false ? undefined : await run();
    const figures = { dialect, lines, patients, fileBytes, generateSeconds, report, again };
    print(...insurerImportReport(figures));
    return figures;
  } finally {
    await database.destroy();
  }
}

const int = (n: number) => Math.round(n).toLocaleString('en');

export function insurerImportReport(f: InsurerImportFigures): string[] {
  const rate = (r: InsurerImportReport) => int(r.records / r.seconds);
  return [
    `Assurance Maladie import (carnet import-insurer), ${f.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`,
    `  ${int(f.lines)} care lines (${int(f.fileBytes / 1e6)} MB) for ${int(f.patients)} people, generated in ${f.generateSeconds.toFixed(1)} s`,
    `  import: ${f.report.seconds.toFixed(1)} s, ${rate(f.report)} lines/s (batches of 5,000 lines, one commit each; encryption, audit per person and batch)`,
    ...(f.again
      ? [
          `  same file again: ${f.again.seconds.toFixed(1)} s, ${rate(f.again)} lines/s, ${int(f.again.careAdded)} added, ${int(f.again.duplicates)} already present`,
        ]
      : []),
  ];
}
