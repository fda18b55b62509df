import { startSmtpFloor } from './smtp.ts';

/**
 * The SMTP floor in its own process, as the gateway runs in `carnet serve`: the load generator's CPU is not
 * taken from it. Prints its port, stops on SIGTERM.
 */
const floor = await startSmtpFloor(process.argv[2] ?? 'smtp-floor');
process.stdout.write(`${floor.port}\n`);
process.once('SIGTERM', () => void floor.stop().then(() => process.exit(0)));
