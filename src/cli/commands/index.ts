import { auditCommand } from './audit.ts';
import { catalogueCommand } from './catalogue.ts';
import { demoPeopleCommand } from './demo-people.ts';
import { devTokenCommand } from './dev-token.ts';
import { importInsuredCommand } from './import-insured.ts';
import { importInsurerCommand } from './import-insurer.ts';
import { migrateCommand } from './migrate.ts';
import { seedDemoCommand } from './seed-demo.ts';
import { serveCommand } from './serve.ts';

export type Command = (args: readonly string[]) => Promise<number>;

export const commands: Readonly<Record<string, Command>> = {
  serve: serveCommand,
  migrate: migrateCommand,
  'demo-people': demoPeopleCommand,
  'dev-token': devTokenCommand,
  'import-insured': importInsuredCommand,
  'import-insurer': importInsurerCommand,
  'seed-demo': seedDemoCommand,
  audit: auditCommand,
  catalogue: catalogueCommand,
};
