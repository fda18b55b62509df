import type { AppContext } from '../app/index.ts';
import { loadConfig } from '../config/index.ts';
import type { Clock } from '../shared/index.ts';
import type { Dialect } from '../storage/index.ts';
import { createTestDatabase, type TestDatabase } from '../storage/test-databases.ts';

/** For tests that need an AppContext on a fresh database but no HTTP server. */
export async function createTestContext(
  dialect: Dialect,
  options: { env?: Record<string, string>; clock?: Clock } = {},
): Promise<{ ctx: AppContext; database: TestDatabase }> {
  const database = await createTestDatabase(dialect);
  const config = loadConfig({
    CARNET_DATA_DIR: database.dataDir,
    CARNET_BASE_URL: 'http://carnet.test',
    ...options.env,
  });
  const clock = options.clock ?? { now: () => new Date() };
  return { ctx: { config, db: database.db, dialect, clock }, database };
}
