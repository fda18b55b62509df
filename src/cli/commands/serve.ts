import { loadConfig } from '../../config/index.ts';
import { startCarnet } from '../../server/start.ts';
import { databaseIsEmpty, seedDemo } from '../../demo/seed.ts';
import { describeDemoPeople, formatDemoPeople } from '../../demo/demo-people.ts';
import { parseArgs } from '../args.ts';

/** `carnet serve [--demo]`: with --demo, an empty database is seeded with the demo people first. */
export async function serveCommand(args: readonly string[]): Promise<number> {
  const { flags } = parseArgs(args);
  const demo = flags.has('demo');
  const config = loadConfig();
  const carnet = await startCarnet({
    config,
    beforeListen: async (ctx) => {
      if (demo && (await databaseIsEmpty(ctx))) {
        const report = await seedDemo(ctx);
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
  if (demo) console.log(`\n${formatDemoPeople(await describeDemoPeople(carnet.ctx), config.baseUrl)}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await carnet.stop();
  return 0;
}
