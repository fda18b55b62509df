import { sql } from 'kysely';
import type { Db, Dialect } from './database.ts';

/** Every row of every table of the database, as one text: what a stolen dump or backup shows. */
export async function dumpEveryTable(db: Db, dialect: Dialect): Promise<string> {
  const tables =
    dialect === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)
      : await sql<{ name: string }>`select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db);
  const parts: string[] = [];
  for (const { name } of tables.rows) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
    parts.push(`${name}: ${JSON.stringify(rows.rows)}`);
  }
  return parts.join('\n');
}

/** Whether `text` holds `secret` as a whole token (not inside a longer run of digits or letters), any case. */
export function holdsToken(text: string, secret: string): boolean {
  const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![0-9A-Za-z])${escaped}(?![0-9A-Za-z])`, 'i').test(text);
}
