import { migrateCommand } from './migrate.ts';
import { serveCommand } from './serve.ts';

export type Command = (args: readonly string[]) => Promise<number>;

export const commands: Readonly<Record<string, Command>> = {
  serve: serveCommand,
  migrate: migrateCommand,
};
