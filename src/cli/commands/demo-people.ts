import { loadConfig } from '../../config/index.ts';
import { migrateToLatest, openDatabase } from '../../storage/index.ts';
import { systemClock } from '../../shared/index.ts';
import { describeDemoPeople, formatDemoPeople } from '../../demo/index.ts';
import { parseArgs } from '../args.ts';
import { createAppContext } from '../../server/index.ts';

export async function demoPeopleCommand(args: readonly string[]): Promise<number> {
  const { flags } = parseArgs(args);
  const config = loadConfig();
  const database = openDatabase(config);
  try {
    await migrateToLatest(database.db, config);
    const people = await describeDemoPeople(
      createAppContext({ config, db: database.db, dialect: database.dialect, clock: systemClock }),
    );
    console.log(
      flags.has('json') ? JSON.stringify(people, null, 2) : formatDemoPeople(people, config.baseUrl),
    );
    return 0;
  } finally {
    await database.close();
  }
}
