import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../../config/index.ts';
import { systemClock } from '../../shared/index.ts';
import { ImportFormatError, importInsured, type ImportReport } from '../../profile/index.ts';
import { migrateToLatest, openDatabase } from '../../storage/index.ts';
import { parseArgs } from '../args.ts';
import { createAppContext } from '../../server/index.ts';

/** Operator-facing report (English): totals, then one line per rejected record. */
export function formatImportReport(fileName: string, report: ImportReport): string {
  const lines = [
    `Imported ${fileName}: ${report.accepted} accepted (${report.created} created, ${report.updated} updated, ` +
      `${report.unchanged} unchanged), ${report.rejected.length} rejected.`,
    ...report.rejected.map((r) => `  line ${r.line}: ${r.reason}`),
  ];
  return lines.join('\n');
}

/** `carnet import-insured <file>`: 0 when the file was processed (even with rejected lines), 1 when unreadable. */
export async function importInsuredCommand(args: readonly string[]): Promise<number> {
  const { positionals, flags } = parseArgs(args);
  const file = positionals[0];
  if (!file || positionals.length > 1) {
    console.error('Usage: carnet import-insured <file.csv | file.jsonl>');
    return 2;
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    console.error(`carnet import-insured: cannot read ${file}: ${(error as Error).message}`);
    return 1;
  }
  const config = loadConfig();
  const database = openDatabase(config);
  try {
    await migrateToLatest(database.db, config);
    const ctx = createAppContext({ config, db: database.db, dialect: database.dialect, clock: systemClock });
    const report = await importInsured(ctx, text, path.basename(file));
    console.log(flags.has('json') ? JSON.stringify(report, null, 2) : formatImportReport(file, report));
    return 0;
  } catch (error) {
    if (!(error instanceof ImportFormatError)) throw error;
    console.error(`carnet import-insured: ${file} is not a valid import file: ${error.message}`);
    return 1;
  } finally {
    await database.close();
  }
}
