import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../config/index.ts';
import type { AppContext } from '../../app/index.ts';
import {
  startCarnet,
  defaultWorkerCount,
  forkWorkers,
  isClusterWorker,
  runWorker,
  workersReady,
  createAppContext,
} from '../../server/index.ts';
import { systemClock } from '../../shared/index.ts';
import { migrateToLatest, openDatabase } from '../../storage/index.ts';
import { seedDemoIfEmpty, describeDemoPeople, formatDemoPeople } from '../../demo/index.ts';
import { parseArgs, UsageError } from '../args.ts';
import { refuseDemoInProduction } from '../demo-guard.ts';

const GLUCOSUIVI_PORT = '8090';
const glucoSuiviMain = fileURLToPath(new URL('../../../demo-apps/glucosuivi/main.ts', import.meta.url));

/**
 * The demo's connected app, GlucoSuivi: a separate process, as a real app would be, at the address the demo
 * catalogue registered for it. Its failure (port taken) does not stop Carnet.
 */
function startDemoApp(carnetUrl: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', glucoSuiviMain], {
    env: { ...process.env, CARNET_URL: carnetUrl, GLUCOSUIVI_PORT },
    // The IPC channel closes when Carnet dies, however it dies (SIGKILL included): the demo app then exits too.
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.on('error', () => undefined);
  return child;
}

const MAX_WORKERS = 64;

function workerCount(value: string | true | undefined): number {
  if (value === undefined) return defaultWorkerCount();
  const n = Number(value);
  if (value === true || !Number.isInteger(n) || n < 1 || n > MAX_WORKERS)
    throw new UsageError(`--workers expects a number of processes from 1 to ${MAX_WORKERS}`);
  return n;
}

async function seedIfEmpty(ctx: AppContext): Promise<void> {
  const started = performance.now();
  const report = await seedDemoIfEmpty(ctx, { longTerm: { years: ctx.config.demoRecordYears } });
  if (!report) return;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `Demo data seeded in ${seconds} s: ${report.imported} insured people, ${report.professionals} professionals, ` +
      `${report.longTermDocuments} documents in Hélène Brunet's record.`,
  );
}

async function announce(ctx: AppContext, demo: boolean, workers: number): Promise<void> {
  const { config } = ctx;
  const processes = workers > 1 ? `, ${workers} workers` : '';
  console.log(`\nCarnet is running${demo ? ' with demo data' : ''} (${ctx.dialect}${processes}).`);
  console.log(`  Patient space (Mon espace santé):  ${config.baseUrl}/`);
  console.log(`  Professional portal (DMP):         ${config.baseUrl}/pro/`);
  console.log(`  FHIR API:                          ${config.baseUrl}/fhir`);
  console.log(
    `  MSSanté SMTP gateway:              smtp://${config.smtpGateway.host}:${config.smtpPort} (<INS>@${config.patientMailDomain})`,
  );
  if (config.devIdentityProvider) console.log(`  Development identity provider:     ${config.baseUrl}/idp`);
  if (!config.smtpRelay) console.log(`  Development mailbox:               ${config.baseUrl}/dev/mailbox`);
  if (demo && config.demoApp)
    console.log(`  Demo connected app (GlucoSuivi):   http://127.0.0.1:${GLUCOSUIVI_PORT}/`);
  if (demo) console.log(`\n${formatDemoPeople(await describeDemoPeople(ctx), config.baseUrl)}\n`);
}

const stopRequested = () =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });

/**
 * `carnet serve [--demo] [--workers N]`: with --demo, an empty database is seeded with the demo people first, and
 * the demo connected app (GlucoSuivi) is started beside Carnet. `--workers N` (default: the number of cores) runs
 * N processes sharing the HTTP and SMTP ports (see `server/workers.ts`); 1 runs everything in this process.
 */
export async function serveCommand(args: readonly string[]): Promise<number> {
  const config = loadConfig();
  if (isClusterWorker()) {
    await runWorker(config);
    return 0;
  }
  const { flags } = parseArgs(args, ['workers']);
  const demo = flags.has('demo');
  const workers = workerCount(flags.get('workers'));
  if (demo) refuseDemoInProduction(config, 'serve --demo');

  if (workers === 1) {
    const carnet = await startCarnet({ config, beforeListen: demo ? seedIfEmpty : undefined });
    await announce(carnet.ctx, demo, 1);
    const demoApp = demo && config.demoApp ? startDemoApp(config.baseUrl) : undefined;
    await stopRequested();
    demoApp?.kill();
    await carnet.stop();
    return 0;
  }

  // The primary prepares the database once, then only watches over its workers.
  const database = openDatabase(config);
  const pool = await (async () => {
    try {
      await migrateToLatest(database.db, config);
      const ctx: AppContext = createAppContext({
        config,
        db: database.db,
        dialect: database.dialect,
        clock: systemClock,
      });
      if (demo) await seedIfEmpty(ctx);
      const ready = workersReady(workers);
      const pool = forkWorkers(workers, database.dialect, (line) => console.log(line));
      await ready;
      await announce(ctx, demo, workers);
      return pool;
    } finally {
      await database.close();
    }
  })();
  const demoApp = demo && config.demoApp ? startDemoApp(config.baseUrl) : undefined;
  await stopRequested();
  demoApp?.kill();
  await pool.stop();
  return 0;
}
