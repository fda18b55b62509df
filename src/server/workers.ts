import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { Config } from '../config/index.ts';
import type { Dialect } from '../storage/index.ts';
import { startCarnet, type RunningCarnet } from './start.ts';

/**
 * `carnet serve --workers N`: N processes serve HTTP and SMTP on the same ports (node:cluster hands each new
 * connection to one of them). The primary process only prepares the database, forks, and forks again any worker
 * that dies.
 *
 * Background jobs (the outbox of outgoing e-mail, reminders): on PostgreSQL every worker runs them, as several
 * instances do (rows are claimed with `FOR UPDATE SKIP LOCKED`, so nothing goes out twice); on SQLite, one worker
 * only, the one started with `CARNET_BACKGROUND_JOBS=1`, and its replacement if it dies.
 */

const BACKGROUND_ENV = 'CARNET_BACKGROUND_JOBS';
const RESTART_DELAY_MS = 1_000;

export function defaultWorkerCount(): number {
  return availableParallelism();
}

export function isClusterWorker(): boolean {
  return cluster.isWorker;
}

/** Which workers run the background jobs, by dialect (see above). */
export function runsBackgroundJobs(dialect: Dialect, index: number): boolean {
  return dialect === 'postgres' || index === 0;
}

export interface WorkerPool {
  /** Stops every worker gracefully (each finishes its requests and its batch of e-mail) and waits for them. */
  stop(): Promise<void>;
}

/** In the primary process: forks `count` workers running this same command, and replaces any that dies. */
export function forkWorkers(count: number, dialect: Dialect, log: (line: string) => void): WorkerPool {
  let stopping = false;
  const fork = (index: number): Worker => {
    const worker = cluster.fork({ [BACKGROUND_ENV]: runsBackgroundJobs(dialect, index) ? '1' : '0' });
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      log(`worker ${index + 1} stopped (${signal ?? `code ${code}`}); starting another`);
      setTimeout(() => {
        if (!stopping) fork(index);
      }, RESTART_DELAY_MS).unref();
    });
    return worker;
  };
  for (let i = 0; i < count; i++) fork(i);
  return {
    stop: async () => {
      stopping = true;
      const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve) => {
              if (worker.isDead()) return resolve();
              worker.once('exit', () => resolve());
              worker.process.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}

const READY = 'carnet-worker-ready';

/** Resolves once `count` workers have started (database open, HTTP and SMTP listening). */
export function workersReady(count: number): Promise<void> {
  return new Promise((resolve) => {
    let ready = 0;
    const onMessage = (_worker: Worker, message: unknown) => {
      if (message !== READY || ++ready < count) return;
      cluster.off('message', onMessage);
      resolve();
    };
    cluster.on('message', onMessage);
  });
}

/**
 * In a worker: starts Carnet (the primary has migrated the database) and stops it on SIGTERM. A worker whose
 * primary is gone (killed) exits at once: the ports went with the primary, and every acknowledged write is
 * already durable.
 */
export async function runWorker(config: Config): Promise<void> {
  process.on('disconnect', () => process.exit(1));
  const carnet: RunningCarnet = await startCarnet({
    config,
    backgroundJobs: process.env[BACKGROUND_ENV] === '1',
  });
  process.send?.(READY);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  await carnet.stop();
  process.exit(0);
}
