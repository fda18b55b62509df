export type Command = (args: readonly string[]) => Promise<number>;

/**
 * Each command is loaded when it runs: `carnet audit verify` need not load the web server, the identity provider
 * and the SMTP gateway that `carnet serve` does (on tsx, every module loaded is also transpiled).
 */
export const commands: Readonly<Record<string, Command>> = {
  serve: async (args) => (await import('./serve.ts')).serveCommand(args),
  migrate: async () => (await import('./migrate.ts')).migrateCommand(),
  'demo-people': async (args) => (await import('./demo-people.ts')).demoPeopleCommand(args),
  'dev-token': async (args) => (await import('./dev-token.ts')).devTokenCommand(args),
  'import-insured': async (args) => (await import('./import-insured.ts')).importInsuredCommand(args),
  'import-insurer': async (args) => (await import('./import-insurer.ts')).importInsurerCommand(args),
  'seed-demo': async () => (await import('./seed-demo.ts')).seedDemoCommand(),
  audit: async (args) => (await import('./audit.ts')).auditCommand(args),
  catalogue: async (args) => (await import('./catalogue.ts')).catalogueCommand(args),
  content: async (args) => (await import('./content.ts')).contentCommand(args),
};
