import { CarnetError } from '../shared/index.ts';
import { ConfigError } from '../config/index.ts';
import { UsageError } from './args.ts';
import { commands } from './commands/index.ts';

const usage = `Usage: carnet <command> [options]

Commands:
  serve [--demo] [--workers N]
                              start the web server (and, with --demo, seed demo data on an empty database);
                              N processes share the ports (default: one per core)
  migrate                     bring the database schema up to date
  seed-demo                   add the demo patients and professionals
  import-insured <file>       load insured people from the Assurance Maladie (CSV or JSON lines)
  import-insurer <file> [--json] [--batch N]
                              load reimbursed care, vaccinations and COVID-19 attestations (idempotent, resumable)
  demo-people [--json]        list the demo patients and professionals
  audit verify                check every audit chain (exit 1 and each problem if one was altered)
  audit history --ins <INS>   list a patient's access traces
  catalogue add <file> | list [--all] | show <id> | suspend <id> | dereference <id> | offline <id> | reinstate <id>
                              manage the catalogue of referenced services
  content migrate [--remove-files]
                              move document contents and attachments kept as files into PostgreSQL
  dev-token --rpps <11 digits> | --ins <15 characters>
                              print a bearer access token (development identity provider only)

Configuration comes from the environment: see README.md, "Configuration".`;

/** Runs one command and returns the process exit code (0 ok, 1 failure, 2 usage). */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === 'help') {
    console.log(usage);
    return name ? 0 : 2;
  }
  const command = commands[name];
  // A command's own --help must never run it: `serve --help` would start a server, `import-insured --help` read a file.
  if (command && (args.includes('--help') || args.includes('-h'))) {
    console.log(usage);
    return 0;
  }
  if (!command) {
    console.error(`carnet: unknown command "${name}"\n\n${usage}`);
    return 2;
  }
  try {
    return await command(args);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`carnet ${name}: ${error.message}\n\n${usage}`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof CarnetError) {
      console.error(`carnet ${name}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
