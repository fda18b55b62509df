import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dialect } from './database.ts';
import { createTestDatabase, testDialects, type TestDatabase } from './test-databases.ts';

/**
 * At national scale the database is sharded by patient (Citus, distribution column `patient_id`; README,
 * "National scale"). That holds only if every table of one patient's rows has `patient_id` first in its primary
 * key, and if no unique index spans patients: Citus refuses a unique constraint without the distribution column.
 * "Holds patient rows" is read from the schema itself: any table with a `patient_id` column.
 */

/** Tables with a `patient_id` column that are not distributed by it; each is keyed by what finds its rows. */
const notDistributedByPatient: Record<string, string> = {
  // One hash chain per patient (`patient:<id>`) plus `system`, whose rows have no patient: distributed by
  // `chain`, co-located with audit_heads, so an append stays on one node.
  audit_events: 'chain',
  // Patient and professional sessions alike (patient_id null for the latter), found by the cookie's id.
  sessions: 'id',
  // A delivery queue read in due order across patients, e-mails to professionals included; contents sealed.
  outbox: 'id',
  // Which patient holds a login: unique across patients, so distributed by the login, looked up at sign-in.
  account_logins: 'login',
};

interface TableShape {
  readonly columns: readonly string[];
  readonly primaryKey: readonly string[];
  /** Unique indexes other than the primary key, as `table(col,col)`. */
  readonly unique: readonly string[];
}

async function sqliteShapes(db: Kysely<unknown>): Promise<Map<string, TableShape>> {
  const tables = await sql<{ name: string }>`
    select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db);
  const shapes = new Map<string, TableShape>();
  for (const { name } of tables.rows) {
    const columns = (
      await sql<{ name: string; pk: number }>`
      select name, pk from pragma_table_info(${name})`.execute(db)
    ).rows;
    const indexes = (
      await sql<{ name: string; unique: number; origin: string }>`
      select name, "unique", origin from pragma_index_list(${name})`.execute(db)
    ).rows;
    const unique: string[] = [];
    for (const index of indexes.filter((i) => i.unique === 1 && i.origin !== 'pk')) {
      const cols = (
        await sql<{ name: string }>`
        select name from pragma_index_info(${index.name}) order by seqno`.execute(db)
      ).rows;
      unique.push(`${name}(${cols.map((c) => c.name).join(',')})`);
    }
    shapes.set(name, {
      columns: columns.map((c) => c.name),
      primaryKey: columns
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      unique,
    });
  }
  return shapes;
}

async function postgresShapes(db: Kysely<unknown>): Promise<Map<string, TableShape>> {
  const columns = await sql<{ table: string; column: string }>`
    select table_name as "table", column_name as "column" from information_schema.columns
    where table_schema = current_schema() order by table_name, ordinal_position`.execute(db);
  const indexes = await sql<{ table: string; primary: boolean; unique: boolean; columns: string }>`
    select t.relname as "table", x.indisprimary as "primary", x.indisunique as "unique",
      (select string_agg(a.attname::text, ',' order by k.ord)
         from unnest(x.indkey) with ordinality as k(attnum, ord)
         join pg_attribute a on a.attrelid = x.indrelid and a.attnum = k.attnum) as columns
    from pg_index x join pg_class t on t.oid = x.indrelid
    where t.relnamespace = current_schema()::regnamespace and t.relkind = 'r'`.execute(db);
  const shapes = new Map<string, TableShape>();
  for (const table of new Set(columns.rows.map((c) => c.table))) {
    const own = indexes.rows.filter((i) => i.table === table);
    shapes.set(table, {
      columns: columns.rows.filter((c) => c.table === table).map((c) => c.column),
      primaryKey: own.find((i) => i.primary)?.columns.split(',') ?? [],
      unique: own.filter((i) => i.unique && !i.primary).map((i) => `${table}(${i.columns})`),
    });
  }
  return shapes;
}

describe.each(testDialects)('patient data is distributable by patient_id (%s)', (dialect: Dialect) => {
  let database: TestDatabase;
  let shapes: Map<string, TableShape>;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const db = database.db as unknown as Kysely<unknown>;
    shapes = dialect === 'sqlite' ? await sqliteShapes(db) : await postgresShapes(db);
  });
  afterAll(async () => {
    await database.destroy();
  });

  const patientTables = () =>
    [...shapes].filter(
      ([name, shape]) => shape.columns.includes('patient_id') && !(name in notDistributedByPatient),
    );

  it('has patient_id first in the primary key of every table holding patient rows', () => {
    expect(patientTables().length).toBeGreaterThan(20);
    const offending = patientTables()
      .filter(([, shape]) => shape.primaryKey[0] !== 'patient_id')
      .map(([name, shape]) => `${name}(${shape.primaryKey.join(',')})`);
    expect(offending).toEqual([]);
    // The root of every record: its id is the patient_id of all the others.
    expect(shapes.get('patients')?.primaryKey).toEqual(['id']);
  });

  it('keeps the tables not distributed by patient keyed by the column they are distributed by', () => {
    for (const [name, key] of Object.entries(notDistributedByPatient)) {
      const shape = shapes.get(name);
      expect(shape?.columns, name).toContain('patient_id');
      expect(shape?.primaryKey[0], name).toBe(key);
    }
  });

  it('has no unique index spanning patients', () => {
    const spanning = patientTables()
      .flatMap(([, shape]) => shape.unique)
      .filter((index) => !/[(,]patient_id[,)]/.test(index));
    expect(spanning).toEqual([]);
  });
});
