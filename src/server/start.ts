import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app/index.ts';
import type { Config } from '../config/index.ts';
import { systemClock, type Clock } from '../shared/index.ts';
import { migrateToLatest, openDatabase } from '../storage/index.ts';
import { buildApp, type AppOptions } from '../http/index.ts';
import { startMailSystem } from '../mail/index.ts';
import { startSmtpGateway } from '../smtp/index.ts';
import { startReminderScheduler } from '../agenda/index.ts';
import { createAppContext } from './context.ts';

export interface StartOptions extends AppOptions {
  readonly config: Config;
  readonly clock?: Clock;
  /** Runs once the database is migrated and before the server listens (the demo seeds its people here). */
  readonly beforeListen?: (ctx: AppContext) => Promise<void>;
  /** Outgoing e-mail and reminders (default true); off in the workers of `serve --workers` that leave them to one. */
  readonly backgroundJobs?: boolean;
}

export interface RunningCarnet {
  readonly ctx: AppContext;
  readonly app: FastifyInstance;
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts the whole system: database (migrated), outgoing mail, HTTP, inbound SMTP. `stop` undoes it in reverse order. */
export async function startCarnet(options: StartOptions): Promise<RunningCarnet> {
  const { config } = options;
  const database = openDatabase(config);
  try {
    await migrateToLatest(database.db, config);
  } catch (error) {
    await database.close();
    throw error;
  }
  const ctx = createAppContext({
    config,
    db: database.db,
    dialect: database.dialect,
    clock: options.clock ?? systemClock,
  });
  await options.beforeListen?.(ctx);
  const background = options.backgroundJobs ?? true;
  const mail = background ? await startMailSystem(ctx) : undefined;
  const app = await buildApp(ctx, options);
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    // The port is taken, say: undo what started, so that nothing runs on behind the error.
    await app.close();
    await mail?.stop();
    await database.close();
    throw error;
  }
  const smtp = await startSmtpGateway(ctx).catch(async (error: unknown) => {
    await app.close();
    await mail?.stop();
    await database.close();
    throw error;
  });
  // Reminders catch up at start then run periodically; every instance may run them (exactly-once by design).
  const reminders =
    background && config.reminderIntervalMinutes > 0
      ? startReminderScheduler(ctx, {
          intervalMs: config.reminderIntervalMinutes * 60_000,
          onError: (err) => app.log.error({ err }, 'reminder pass failed'),
        })
      : undefined;
  return {
    ctx,
    app,
    url: config.baseUrl,
    stop: async () => {
      await reminders?.stop();
      await smtp.stop();
      await app.close();
      await mail?.stop();
      await database.close();
    },
  };
}
