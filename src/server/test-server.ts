import net from 'node:net';
import { loadConfig, type Config } from '../config/index.ts';
import type { Dialect } from '../storage/index.ts';
import { createTestDatabase, type TestDatabase } from '../storage/test-databases.ts';
import type { Clock } from '../shared/index.ts';
import type { AppContext } from '../app/index.ts';
import { startCarnet, type RunningCarnet } from './start.ts';

/**
 * Each test worker takes its ports from its own slice below the kernel's ephemeral range (32768 and up on Linux).
 * A port the OS picks (`listen(0)`) comes from that range, and a port freed there is soon handed out again: to
 * another worker's server, or as the local port of an outgoing connection. A test that kills a server and starts it
 * again on the same ports (`smtp/durability.test.ts`) then delivered its mail to another test's Carnet, which
 * acknowledged it. Slices never overlap, so a port handed out here is taken by nobody else meanwhile.
 */
const PORTS_PER_WORKER = 400;
const FIRST_PORT = 12_000;
const workerSlice = Number(process.env.VITEST_POOL_ID ?? 0) % 50;
let nextPort = 0;

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port of this test worker's slice that nobody listens on right now. */
export async function freePort(): Promise<number> {
  for (let tried = 0; tried < PORTS_PER_WORKER; tried++) {
    const port = FIRST_PORT + workerSlice * PORTS_PER_WORKER + (nextPort++ % PORTS_PER_WORKER);
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port left in test worker slice ${workerSlice}`);
}

export interface TestCarnet extends RunningCarnet {
  readonly config: Config;
  readonly database: TestDatabase;
}

export interface TestCarnetOptions {
  readonly env?: Record<string, string>;
  readonly clock?: Clock;
  readonly beforeListen?: (ctx: AppContext) => Promise<void>;
  /** False: answers are not checked against their contract, as in production (benches). Default: checked. */
  readonly checkResponses?: boolean;
}

/**
 * A whole Carnet on a fresh database of the given dialect, its own data folder and a free port:
 * what integration and browser tests run against.
 */
export async function startTestCarnet(
  dialect: Dialect,
  options: TestCarnetOptions = {},
): Promise<TestCarnet> {
  // A port found free can still be taken before Carnet listens on it (by a process outside the test run): start
  // again on fresh ports and a fresh database, as nothing was shared yet.
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
    ...(options.checkResponses !== undefined ? { checkResponses: options.checkResponses } : {}),
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
