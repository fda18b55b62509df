import net from 'node:net';
import { loadConfig, type Config } from '../config/index.ts';
import type { Dialect } from '../storage/index.ts';
import { createTestDatabase, type TestDatabase } from '../storage/test-databases.ts';
import type { Clock } from '../shared/index.ts';
import type { AppContext } from '../app/index.ts';
import { startCarnet, type RunningCarnet } from './start.ts';

/** A port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface TestCarnet extends RunningCarnet {
  readonly config: Config;
  readonly database: TestDatabase;
}

export interface TestCarnetOptions {
  readonly env?: Record<string, string>;
  readonly clock?: Clock;
  readonly beforeListen?: (ctx: AppContext) => Promise<void>;
}

/**
 * A whole Carnet on a fresh database of the given dialect, its own data folder and a free port:
 * what integration and browser tests run against.
 */
export async function startTestCarnet(
  dialect: Dialect,
  options: TestCarnetOptions = {},
): Promise<TestCarnet> {
  // A port found free can be taken before Carnet listens on it (by another test worker, or as the local port
  // of an outgoing connection): start again on fresh ports and a fresh database, as nothing was shared yet.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(dialect, options);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt === 3) throw error;
    }
  }
}

async function startOnce(dialect: Dialect, options: TestCarnetOptions): Promise<TestCarnet> {
  const database = await createTestDatabase(dialect);
  const port = await freePort();
  const config = loadConfig({
    CARNET_DATA_DIR: database.dataDir,
    PORT: String(port),
    CARNET_SMTP_PORT: String(await freePort()),
    ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
    CARNET_LOG_LEVEL: 'warn',
    // Tests drive reminder passes themselves (src/agenda/reminders.test.ts).
    CARNET_REMINDER_INTERVAL_MINUTES: '0',
    ...options.env,
  });
  const running = await startCarnet({
    config,
    logger: false,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.beforeListen ? { beforeListen: options.beforeListen } : {}),
  }).catch(async (error: unknown) => {
    await database.destroy();
    throw error;
  });
  return {
    ...running,
    config,
    database,
    stop: async () => {
      await running.stop();
      await database.destroy();
    },
  };
}
