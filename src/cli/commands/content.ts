import { loadConfig } from '../../config/index.ts';
import type { AppContext } from '../../app/index.ts';
import { moveContentsToDatabase } from '../../record/index.ts';
import { systemClock } from '../../shared/index.ts';
import { migrateToLatest, openDatabase } from '../../storage/index.ts';
import { parseArgs } from '../args.ts';
import { createAppContext } from '../../server/index.ts';

export const contentUsage = `Usage: carnet content migrate [--remove-files]

Copies the document contents and MSSanté attachments that an earlier version kept as files under
CARNET_DATA_DIR (documents/, messages/) into PostgreSQL, where every instance reads them. Each copy is
checked (it opens with the key and matches the recorded hash) and committed before it counts. Safe to run
again or to resume after an interruption. Files stay in place unless --remove-files is given; then each file
is removed only once its copy is committed.`;

interface Output {
  out(line: string): void;
  err(line: string): void;
}

const consoleOutput: Output = { out: (l) => console.log(l), err: (l) => console.error(l) };

/** `carnet content migrate`: exit 0 when every row's content is in the database, 1 otherwise, 2 on usage. */
export async function runContent(ctx: AppContext, args: readonly string[], output: Output): Promise<number> {
  const { flags, positionals } = parseArgs(args);
  const unknown = [...flags.keys()].filter((f) => f !== 'remove-files');
  if (positionals.join(' ') !== 'migrate' || unknown.length > 0) {
    output.err(contentUsage);
    return 2;
  }
  if (ctx.dialect !== 'postgres') {
    output.out('SQLite keeps contents as files under the data folder: nothing to move.');
    return 0;
  }
  const counts = await moveContentsToDatabase(ctx, { removeFiles: flags.has('remove-files') });
  let incomplete = false;
  for (const [kind, c] of Object.entries(counts)) {
    output.out(
      `${kind}: ${c.moved} moved, ${c.already} already in the database, ${c.missing} missing, ${c.unreadable} unreadable, ${c.removed} files removed`,
    );
    if (c.missing + c.unreadable > 0) incomplete = true;
  }
  if (incomplete)
    output.err('Some contents could not be moved: their files are missing or unreadable (left in place).');
  return incomplete ? 1 : 0;
}

export async function contentCommand(args: readonly string[]): Promise<number> {
  const config = loadConfig();
  const database = openDatabase(config);
  try {
    await migrateToLatest(database.db, config);
    const ctx: AppContext = createAppContext({
      config,
      db: database.db,
      dialect: database.dialect,
      clock: systemClock,
    });
    return await runContent(ctx, args, consoleOutput);
  } finally {
    await database.close();
  }
}
