import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../config/index.ts';
import { startCarnet } from '../../server/start.ts';
import { databaseIsEmpty, seedDemo, seedDemoContent } from '../../demo/seed.ts';
import { describeDemoPeople, formatDemoPeople } from '../../demo/demo-people.ts';
import { parseArgs } from '../args.ts';
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

/**
 * `carnet serve [--demo]`: with --demo, an empty database is seeded with the demo people first, and the demo
 * connected app (GlucoSuivi) is started beside Carnet.
 */
export async function serveCommand(args: readonly string[]): Promise<number> {
  const { flags } = parseArgs(args);
  const demo = flags.has('demo');
  const config = loadConfig();
  if (demo) refuseDemoInProduction(config, 'serve --demo');
  const carnet = await startCarnet({
    config,
    beforeListen: async (ctx) => {
      if (demo && (await databaseIsEmpty(ctx))) {
        const report = await seedDemo(ctx);
        await seedDemoContent(ctx);
        console.log(
          `Demo data seeded: ${report.imported} insured people, ${report.professionals} professionals.`,
        );
      }
    },
  });
  console.log(`\nCarnet is running${demo ? ' with demo data' : ''} (${carnet.ctx.dialect}).`);
  console.log(`  Patient space (Mon espace santé):  ${config.baseUrl}/`);
  console.log(`  Professional portal (DMP):         ${config.baseUrl}/pro/`);
  console.log(`  FHIR API:                          ${config.baseUrl}/fhir`);
  console.log(
    `  MSSanté SMTP gateway:              smtp://${config.smtpGateway.host}:${config.smtpPort} (<INS>@${config.patientMailDomain})`,
  );
  if (config.devIdentityProvider) console.log(`  Development identity provider:     ${config.baseUrl}/idp`);
  if (!config.smtpRelay) console.log(`  Development mailbox:               ${config.baseUrl}/dev/mailbox`);
  const demoApp = demo ? startDemoApp(config.baseUrl) : undefined;
  if (demo) console.log(`  Demo connected app (GlucoSuivi):   http://127.0.0.1:${GLUCOSUIVI_PORT}/`);
  if (demo) console.log(`\n${formatDemoPeople(await describeDemoPeople(carnet.ctx), config.baseUrl)}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  demoApp?.kill();
  await carnet.stop();
  return 0;
}
