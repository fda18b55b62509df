import { loadConfig } from '../../config/index.ts';
import { migrateToLatest, openDatabase } from '../../storage/index.ts';

export async function migrateCommand(): Promise<number> {
  const config = loadConfig();
  const database = openDatabase(config);
  try {
    const applied = await migrateToLatest(database.db, config);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Schema already up to date.');
    return 0;
  } finally {
    await database.close();
  }
}
