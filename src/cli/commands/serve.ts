import { loadConfig } from '../../config/index.ts';
import { startCarnet } from '../../server/start.ts';
import { parseArgs } from '../args.ts';

export async function serveCommand(args: readonly string[]): Promise<number> {
  const { flags } = parseArgs(args);
  const config = loadConfig();
  const carnet = await startCarnet({ config });
  const demo = flags.has('demo');
  console.log(`\nCarnet is running${demo ? ' with demo data' : ''}.`);
  console.log(`  Patient space (Mon espace santé):  ${config.baseUrl}/`);
  console.log(`  Professional portal (DMP):         ${config.baseUrl}/pro/`);
  console.log(`  FHIR API:                          ${config.baseUrl}/fhir`);
  const stop = async () => {
    await carnet.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await new Promise(() => undefined);
  return 0;
}
