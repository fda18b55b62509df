export type Command = (args: readonly string[]) => Promise<number>;

/**
 * Each command is loaded when it runs: `carnet audit verify` need not load the web server, the identity provider
 * and the SMTP gateway that `carnet serve` does (on tsx, every module loaded is also transpiled).
 */
const lazy =
  <M>(load: () => Promise<M>, pick: (module: M) => Command): Command =>
  async (args) =>
    pick(await load())(args);

export const commands: Readonly<Record<string, Command>> = {
  serve: lazy(
    () => import('./serve.ts'),
    (m) => m.serveCommand,
  ),
  migrate: lazy(
    () => import('./migrate.ts'),
    (m) => m.migrateCommand,
  ),
  'demo-people': lazy(
    () => import('./demo-people.ts'),
    (m) => m.demoPeopleCommand,
  ),
  'dev-token': lazy(
    () => import('./dev-token.ts'),
    (m) => m.devTokenCommand,
  ),
  'import-insured': lazy(
    () => import('./import-insured.ts'),
    (m) => m.importInsuredCommand,
  ),
  'import-insurer': lazy(
    () => import('./import-insurer.ts'),
    (m) => m.importInsurerCommand,
  ),
  'seed-demo': lazy(
    () => import('./seed-demo.ts'),
    (m) => m.seedDemoCommand,
  ),
  audit: lazy(
    () => import('./audit.ts'),
    (m) => m.auditCommand,
  ),
  catalogue: lazy(
    () => import('./catalogue.ts'),
    (m) => m.catalogueCommand,
  ),
};
