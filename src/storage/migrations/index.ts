import type { Migration } from 'kysely';
import * as foundation from './001-foundation.ts';

/** The one ordered list of migrations, shared by SQLite and PostgreSQL. Append; never edit a landed one. */
export const migrations: Record<string, Migration> = {
  '001-foundation': foundation,
};
