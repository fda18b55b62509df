import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Dialect } from '../src/storage/index.ts';
import { httpClient, runClients, type LoadResult } from './load.ts';

export interface SearchCase {
  readonly label: string;
  /** ITI-67 query string after `/fhir/DocumentReference?`. */
  readonly query: string;
  /** The same filter for the bare SQL floor (`type_code`), if any. */
  readonly typeCode: string | undefined;
}

export interface SearchRun {
  readonly result: LoadResult;
  /** `Bundle.total` of the last answer (checks the search saw the populated documents). */
  readonly total: number;
  readonly returned: number;
}

/** Sequential ITI-67 searches after a warm-up: one client, as a practitioner's software would page. */
export async function searchLatency(
  origin: string,
  token: string,
  search: SearchCase,
  counts: { readonly warmup: number; readonly runs: number },
): Promise<SearchRun> {
  const client = httpClient(origin, 1);
  const headers = { authorization: `Bearer ${token}`, accept: 'application/fhir+json' };
  let last = { total: -1, returned: -1 };
  const once = async () => {
    const answer = await client.get(`/fhir/DocumentReference?${search.query}`, headers);
    if (answer.status !== 200)
      throw new Error(`ITI-67 answered ${answer.status}: ${answer.body.slice(0, 400)}`);
    const bundle = JSON.parse(answer.body) as { total?: number; entry?: unknown[] };
    last = { total: bundle.total ?? -1, returned: bundle.entry?.length ?? 0 };
  };
  try {
    for (let i = 0; i < counts.warmup; i++) await once();
    const result = await runClients({ concurrency: 1, operations: counts.runs }, once);
    return { result, ...last };
  } finally {
    client.close();
  }
}

/** The page the service asks for (doctor: every type; masked rows only when they wrote them), count included. */
function floorSql(typeFilter: boolean, placeholder: (n: number) => string) {
  const where = `patient_id = ${placeholder(1)} and status != 'deleted'
    and (author_national_id = ${placeholder(2)} or masked_ps = 0) and status in ('current')
    ${typeFilter ? `and type_code in (${placeholder(3)})` : ''}`;
  return {
    count: `select count(*) as total from documents where ${where}`,
    page: `select * from documents where ${where} order by deposited_at desc, id desc limit 20 offset 0`,
  };
}

export interface FloorTarget {
  readonly dialect: Dialect;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly patientId: string;
  readonly doctorNationalId: string;
}

export interface FloorRun {
  readonly result: LoadResult;
  /** The count statement's answer: what ITI-67's `total` must equal. */
  readonly total: number;
}

/** The same two statements (total + page) on the same data, straight to the database, sequentially. */
export async function searchFloor(
  target: FloorTarget,
  search: SearchCase,
  counts: { warmup: number; runs: number },
): Promise<FloorRun> {
  const params = [target.patientId, target.doctorNationalId, ...(search.typeCode ? [search.typeCode] : [])];
  const typed = search.typeCode !== undefined;
  if (target.dialect === 'sqlite') {
    const db = new SQLite(path.join(target.dataDir, 'carnet.db'), { readonly: true });
    try {
      const q = floorSql(typed, () => '?');
      const [count, page] = [db.prepare(q.count), db.prepare(q.page)];
      let total = -1;
      const once = async () => {
        total = Number((count.get(...params) as { total: number }).total);
        page.all(...params);
      };
      for (let i = 0; i < counts.warmup; i++) await once();
      return { result: await runClients({ concurrency: 1, operations: counts.runs }, once), total };
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.databaseUrl });
  await client.connect();
  try {
    const q = floorSql(typed, (n) => `$${n}`);
    let total = -1;
    const once = async () => {
      const answer = await client.query<{ total: string }>({
        name: `count-${typed}`,
        text: q.count,
        values: params,
      });
      total = Number(answer.rows[0]?.total);
      await client.query({ name: `page-${typed}`, text: q.page, values: params });
    };
    for (let i = 0; i < counts.warmup; i++) await once();
    return { result: await runClients({ concurrency: 1, operations: counts.runs }, once), total };
  } finally {
    await client.end();
  }
}
