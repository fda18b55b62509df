import {
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import { sql } from 'kysely';
import { populateDocuments } from './populate.ts';
import { buildApp } from '../src/http/app.ts';
import { bundleFactory } from './bundle.ts';
import { paddedPdf } from './pdf.ts';
import { prepareBench } from './setup.ts';
import type { Dialect } from '../src/storage/index.ts';

/** Counts the statements Kysely sends (every query goes through the plugins, raw `sql` and transactions too). */
class StatementCounter implements KyselyPlugin {
  kinds: string[] = [];
  nodes: RootOperationNode[] = [];
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = args.node;
    this.nodes.push(node);
    const table =
      'from' in node && node.from
        ? JSON.stringify(node.from).match(/"name":"(\w+)"/)?.[1]
        : 'into' in node && node.into
          ? JSON.stringify(node.into).match(/"name":"(\w+)"/)?.[1]
          : 'table' in node && node.table
            ? JSON.stringify(node.table).match(/"name":"(\w+)"/)?.[1]
            : undefined;
    const raw = node.kind === 'RawNode' ? (node.sqlFragments.join('?').trim().slice(0, 60) ?? '') : '';
    this.kinds.push(`${node.kind.replace('QueryNode', '').replace('Node', '')} ${table ?? raw}`);
    return node;
  }
  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
  take(): string[] {
    const k = this.kinds;
    this.kinds = [];
    this.nodes = [];
    return k;
  }
}

/**
 * `npx tsx bench/statements.ts [sqlite|postgres]`: the SQL statements one ITI-65 deposit and one ITI-67 search
 * send, through the whole HTTP path (token check, policy, audit, notification), in-process.
 */
async function main(dialect: Dialect, storeDocuments: number) {
  const setup = await prepareBench(dialect);
  const counter = new StatementCounter();
  const ctx = { ...setup.ctx, db: setup.ctx.db.withPlugin(counter) };
  const app = await buildApp(ctx, { logger: false });
  try {
    const bundle = bundleFactory(paddedPdf(10_000));
    const headers = {
      authorization: `Bearer ${setup.token}`,
      'content-type': 'application/fhir+json',
      accept: 'application/fhir+json',
    };
    const deposit = async (p: { ins: string; insOid: never } | (typeof setup.depositPatients)[number]) => {
      const answer = await app.inject({ method: 'POST', url: '/fhir', headers, payload: bundle(p) });
      if (answer.statusCode >= 300) throw new Error(`deposit: ${answer.statusCode} ${answer.body}`);
    };
    for (let i = 0; i < 3; i++) await deposit(setup.target);
    counter.take();
    const runs = 5;
    let last: string[] = [];
    for (let i = 0; i < runs; i++) {
      await deposit(setup.target);
      last = counter.take();
    }
    const cpuRuns = Number(process.env.CPU_RUNS ?? 0);
    if (cpuRuns > 0) {
      const start = process.cpuUsage();
      for (let i = 0; i < cpuRuns; i++)
        await deposit(setup.depositPatients[i % setup.depositPatients.length]!);
      const used = process.cpuUsage(start);
      console.log(
        `${dialect}: ${((used.user + used.system) / 1000 / cpuRuns).toFixed(2)} ms CPU per deposit`,
      );
      counter.take();
    }
    console.log(`${dialect}: ${last.length} statements per ITI-65 deposit (steady state):`);
    for (const k of last) console.log(`  ${k}`);
    const patient = encodeURIComponent(`urn:oid:${setup.target.insOid}|${setup.target.ins}`);
    const search = () =>
      app.inject({
        method: 'GET',
        url: `/fhir/DocumentReference?patient.identifier=${patient}&_count=20`,
        headers: { authorization: headers.authorization, accept: headers.accept },
      });
    if (storeDocuments > 0) {
      const existing = await setup.ctx.db
        .selectFrom('documents')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      await populateDocuments(setup.ctx.db, dialect, setup.ctx.config, {
        targetPatientId: setup.target.id,
        targetDocuments: 1000,
        otherDocuments: storeDocuments - 1000 - Number(existing.n),
        otherPatients: 10_000,
      });
      if (dialect === 'postgres') await sql`analyze`.execute(setup.ctx.db);
    }
    await search();
    counter.take();
    const answer = await search();
    if (storeDocuments > 0) {
      const executor = setup.ctx.db.getExecutor();
      for (const node of counter.nodes) {
        if (node.kind !== 'SelectQueryNode' || !JSON.stringify(node.from).includes('"documents"')) continue;
        const q = executor.compileQuery(node, { queryId: 'explain' });
        let i = 0;
        const text = q.sql.replace(/\$(\d+)|\?/g, (_, n: string | undefined) => {
          const value = q.parameters[n ? Number(n) - 1 : i++];
          return typeof value === 'number' ? String(value) : `'${String(value)}'`;
        });
        const plan =
          dialect === 'sqlite'
            ? await sql.raw(`explain query plan ${text}`).execute(setup.ctx.db)
            : await sql.raw(`explain (analyze, buffers) ${text}`).execute(setup.ctx.db);
        console.log(`\n${text}\n${plan.rows.map((r) => Object.values(r as object).join(' | ')).join('\n')}`);
      }
    }
    if (answer.statusCode !== 200) throw new Error(`search: ${answer.statusCode}`);
    const s = counter.take();
    console.log(`${dialect}: ${s.length} statements per ITI-67 search:`);
    for (const k of s) console.log(`  ${k}`);
    if (cpuRuns > 0) {
      const start = process.cpuUsage();
      for (let i = 0; i < cpuRuns; i++) await search();
      const used = process.cpuUsage(start);
      console.log(
        `${dialect}: ${((used.user + used.system) / 1000 / cpuRuns).toFixed(2)} ms CPU per ITI-67 search`,
      );
    }
  } finally {
    await app.close();
    await setup.database.destroy();
  }
}

await main((process.argv[2] as Dialect | undefined) ?? 'sqlite', Number(process.argv[3] ?? 0));
