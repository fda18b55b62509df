import { sql } from 'kysely';
import type { Config } from '../src/config/index.ts';
import { sealTitle } from '../src/guard/document-row.ts';
import type { Db, Dialect } from '../src/storage/index.ts';

/** How many metadata rows to add, and for whom (no content files: the search never opens them). */
export interface PopulationPlan {
  /** The searched patient (a real demo patient, so that ITI-67 finds them by INS). */
  readonly targetPatientId: string;
  readonly targetDocuments: number;
  /** Rows spread over `otherPatients` synthetic patients. */
  readonly otherDocuments: number;
  readonly otherPatients: number;
}

export interface PopulationReport {
  readonly rows: number;
  readonly seconds: number;
  readonly method: string;
}

/** A few document types a doctor reads (habilitation matrix v1), with their class codes. */
const types = [
  ['11488-4', 'Compte rendu de consultation', '10'],
  ['11502-2', "Compte rendu d''examens biologiques", '10'],
  ['18748-4', "Compte rendu d''imagerie médicale", '10'],
  ['11490-0', "Lettre de liaison à la sortie d''un établissement de soins", '10'],
  ['57833-6', 'Prescription de produits de santé', '42'],
  ['60591-5', 'Volet de synthèse médicale (VSM)', '11'],
] as const;
/** The demo professionals (national id = 8 + RPPS), so authorship matches what the server knows. */
const authors = [
  ['810001000115', 'Dr Claire Martin', '10'],
  ['810001000214', 'Bernard', '60'],
  ['810001000313', 'Petit', '21'],
  ['810001000412', 'Diallo', '50'],
] as const;

/** The three years the synthetic deposits span, in seconds from 2023-01-01T00:00:00Z. */
const START_EPOCH = 1_672_531_200;
const SPAN_SECONDS = 3 * 365 * 24 * 3600;

const valuesList = (rows: readonly (readonly string[])[]) =>
  rows.map((r, k) => `(${k}, ${r.map((v) => `'${v}'`).join(', ')})`).join(', ');

const columns = `patient_id, id, master_identifier, type_code, type_system, type_display, class_code, sealed_title,
  author_kind, author_national_id, author_patient_id, author_name, author_profession_code, author_specialty_code,
  author_structure_national_id, author_structure_name, created_at, service_start, service_end, deposited_at,
  status, masked_ps, invisible_patient, invisible_representatives, content_hash, content_size, content_type,
  replaces_id, submission_set_id, updated_at`;

/** Dialect-specific pieces of the one INSERT … SELECT both dialects run over a series of integers `i`. */
interface DialectSql {
  readonly series: (from: number, count: number) => string;
  readonly hex: (expr: string, width: number) => string;
  readonly instant: (secondsExpr: string) => string;
  readonly concat: (...parts: string[]) => string;
}

const sqliteSql: DialectSql = {
  series: (from, count) =>
    `with recursive s(i) as (select ${from} union all select i + 1 from s where i < ${from + count - 1})`,
  hex: (expr, width) => `printf('%0${width}x', ${expr})`,
  instant: (s) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${START_EPOCH} + ${s}, 'unixepoch')`,
  concat: (...parts) => parts.join(' || '),
};

const postgresSql: DialectSql = {
  series: (from, count) =>
    `with s(i) as (select generate_series(${from}::bigint, ${from + count - 1}::bigint))`,
  hex: (expr, width) => `lpad(to_hex(${expr}), ${width}, '0')`,
  instant: (s) =>
    `to_char(timestamp '1970-01-01' + (${START_EPOCH} + ${s}) * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  concat: (...parts) => parts.join(' || '),
};

/**
 * One INSERT … SELECT of `count` rows numbered from `from`. `patient` is an SQL expression of `i`; deposit
 * instants spread evenly over three years so that the patient's rows interleave with everybody else's.
 */
function insertStatement(
  d: DialectSql,
  rows: { from: number; count: number; total: number },
  patient: string,
  tag: 0 | 1,
): string {
  const { from, count, total } = rows;
  const step = Math.max(1, Math.floor(SPAN_SECONDS / total));
  const at = d.instant(`i * ${step}`);
  const id = d.concat(`'018f000${tag}-0000-7000-8000-'`, d.hex('i', 12));
  return `${d.series(from, count)},
    t(k, code, display, class_code) as (values ${valuesList(types)}),
    a(k, national_id, name, profession) as (values ${valuesList(authors)})
  insert into documents (${columns})
  select ${patient}, ${id}, ${d.concat(`'urn:oid:1.2.250.1.999.${tag}.'`, 'i')}, t.code, 'http://loinc.org',
    t.display, t.class_code, ${d.concat(`'Document '`, 'i')}, 'professional', a.national_id, null, a.name,
    a.profession, null, null, null, ${at}, null, null, ${at}, 'current',
    case when i % 20 = 7 then 1 else 0 end, 0, 0, ${d.hex('i', 64)}, 102400, 'application/pdf', null, null, ${at}
  from s join t on t.k = i % ${types.length} join a on a.k = (i / 7) % ${authors.length}`;
}

/** Synthetic patient ids `00000000-0000-4000-8000-<n>` (never a real patient's uuid). */
function otherPatient(d: DialectSql, patients: number): string {
  return d.concat(`'00000000-0000-4000-8000-'`, d.hex(`i % ${patients}`, 12));
}

/** The secondary indexes of `documents` as the migration created them (the primary key is left in place). */
async function secondaryIndexes(db: Db, dialect: Dialect): Promise<{ name: string; definition: string }[]> {
  const query =
    dialect === 'sqlite'
      ? sql<{ name: string; definition: string }>`select name, sql as definition from sqlite_master
          where type = 'index' and tbl_name = 'documents' and sql is not null order by name`
      : sql<{
          name: string;
          definition: string;
        }>`select indexname as name, indexdef as definition from pg_indexes
          where schemaname = current_schema() and tablename = 'documents' and indexname <> 'documents_pk' order by indexname`;
  return (await query.execute(db)).rows;
}

/**
 * Runs `fill` with the secondary indexes dropped, then recreates them from their own stored definitions (bulk
 * building beats a million index inserts) and checks they are back exactly as they were.
 */
async function withoutSecondaryIndexes(db: Db, dialect: Dialect, fill: () => Promise<void>): Promise<void> {
  const before = await secondaryIndexes(db, dialect);
  for (const index of before) await sql.raw(`drop index ${index.name}`).execute(db);
  try {
    await fill();
  } finally {
    for (const index of before) await sql.raw(index.definition).execute(db);
  }
  const after = await secondaryIndexes(db, dialect);
  if (JSON.stringify(after) !== JSON.stringify(before))
    throw new Error('the documents indexes changed during population');
}

/**
 * Titles are sealed per document (random IV, bound to the id), which SQL cannot do: the bulk rows carry a
 * placeholder, and the searched patient's rows, the only ones a search opens, are sealed here one by one.
 */
async function sealTargetTitles(db: Db, keys: Pick<Config, 'documentKey'>, patientId: string): Promise<void> {
  const rows = await db
    .selectFrom('documents')
    .select(['id', 'sealed_title'])
    .where('patient_id', '=', patientId)
    .where('id', 'like', '018f0001-%')
    .execute();
  await db.transaction().execute(async (trx) => {
    for (const row of rows) {
      await trx
        .updateTable('documents')
        .set({ sealed_title: sealTitle(keys, patientId, row.id, row.sealed_title) })
        .where('patient_id', '=', patientId)
        .where('id', '=', row.id)
        .execute();
    }
  });
}

/**
 * Fills `documents` with metadata rows by bulk SQL (SQLite: a recursive series in chunked INSERT … SELECT,
 * one big transaction; PostgreSQL: INSERT … SELECT over generate_series), secondary indexes rebuilt after,
 * then refreshes the planner's statistics (PostgreSQL's autovacuum would do it soon after anyway).
 */
export async function populateDocuments(
  db: Db,
  dialect: Dialect,
  keys: Pick<Config, 'documentKey'>,
  plan: PopulationPlan,
): Promise<PopulationReport> {
  const d = dialect === 'sqlite' ? sqliteSql : postgresSql;
  const started = performance.now();
  // A bigger page cache for this connection only (the server's own connection keeps its settings).
  if (dialect === 'sqlite') await sql.raw('pragma cache_size = -262144').execute(db);
  const total = plan.otherDocuments + plan.targetDocuments;
  const chunk = dialect === 'sqlite' ? 100_000 : 250_000;
  await withoutSecondaryIndexes(db, dialect, () =>
    db.transaction().execute(async (trx) => {
      for (let from = 0; from < plan.otherDocuments; from += chunk) {
        const count = Math.min(chunk, plan.otherDocuments - from);
        const patients = otherPatient(d, Math.max(1, plan.otherPatients));
        await sql.raw(insertStatement(d, { from, count, total }, patients, 0)).execute(trx);
      }
      if (plan.targetDocuments > 0) {
        // The target's rows get their own id prefix and spread over the same three years.
        const patient = `'${plan.targetPatientId.replace(/'/g, "''")}'`;
        const rows = { from: 0, count: plan.targetDocuments, total: plan.targetDocuments };
        await sql.raw(insertStatement(d, rows, patient, 1)).execute(trx);
      }
    }),
  );
  await sealTargetTitles(db, keys, plan.targetPatientId);
  await sql.raw('analyze').execute(db);
  return {
    rows: total,
    seconds: (performance.now() - started) / 1000,
    method:
      dialect === 'sqlite'
        ? 'recursive-series INSERT … SELECT in 100,000-row chunks, one transaction'
        : 'INSERT … SELECT from generate_series, one transaction',
  };
}
