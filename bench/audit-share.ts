import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Principal } from '../src/access/principal.ts';
import { appendAudit, type AuditInput } from '../src/audit/index.ts';
import type { PatientId } from '../src/identity/index.ts';
import type { Db, Executor } from '../src/storage/index.ts';
import { runClients, type LoadPlan, type LoadResult } from './load.ts';

/**
 * The audit's cost, measured in the server's own database through the same Kysely handle kind as the server
 * (one SQLite connection; a PostgreSQL pool), at the same concurrency, on the same patients' chains:
 * - deposit: transactions {one row insert} vs {one row insert + appendAudit}; the difference of their
 *   per-operation capacity (1/rate) is what the audit adds to each deposit, the deposit commits anyway;
 * - search: {} vs {appendAudit}, sequential; a search would otherwise be read-only, so here the audit also
 *   brings the commit's flush.
 */
export interface AuditCost {
  readonly without: LoadResult;
  readonly with: LoadResult;
  /** Milliseconds of capacity per operation the audit adds (≥ 0 up to noise). */
  readonly perOperationMs: number;
}

const scratchTable = 'bench_audit_scratch';

function trace(principal: Principal, patientId: string, action: 'deposit' | 'search'): AuditInput {
  return {
    patientId: patientId as PatientId,
    actor: principal,
    action,
    targetType: action === 'deposit' ? 'DocumentReference' : 'Patient',
    targetId: action === 'deposit' ? randomUUID() : patientId,
    accessMode: 'normal',
    outcome: 'success',
    detail:
      action === 'deposit'
        ? { typeCode: '11488-4', masterIdentifier: `urn:uuid:${randomUUID()}` }
        : { total: 20, returned: 20 },
  };
}

async function insertRow(trx: Executor, patientId: string): Promise<void> {
  await sql`insert into ${sql.table(scratchTable)} (id, patient_id) values (${randomUUID()}, ${patientId})`.execute(
    trx,
  );
}

const perOpMs = (r: LoadResult) => 1000 / r.perSecond;

function merge(parts: readonly LoadResult[]): LoadResult {
  const operations = parts.reduce((n, p) => n + p.operations, 0);
  const seconds = parts.reduce((n, p) => n + p.seconds, 0);
  return {
    operations,
    seconds,
    perSecond: operations / seconds,
    latencies: parts.flatMap((p) => p.latencies),
  };
}

/** Both variants in alternating rounds, so that a change in the machine's other load hits both alike. */
async function compare(
  plan: LoadPlan,
  without: (i: number) => Promise<void>,
  withAudit: (i: number) => Promise<void>,
  rounds = 4,
): Promise<AuditCost> {
  const round: LoadPlan = {
    concurrency: plan.concurrency,
    ...(plan.seconds !== undefined ? { seconds: plan.seconds / rounds } : {}),
    ...(plan.operations !== undefined
      ? { operations: Math.max(1, Math.ceil(plan.operations / rounds)) }
      : {}),
  };
  const a: LoadResult[] = [];
  const b: LoadResult[] = [];
  for (let r = 0; r < rounds; r++) {
    a.push(await runClients(round, without));
    b.push(await runClients(round, withAudit));
  }
  const [x, y] = [merge(a), merge(b)];
  return { without: x, with: y, perOperationMs: perOpMs(y) - perOpMs(x) };
}

export async function auditCostOfDeposit(
  db: Db,
  principal: Principal,
  patientIds: readonly string[],
  plan: LoadPlan,
): Promise<AuditCost> {
  await sql`create table if not exists ${sql.table(scratchTable)} (id text primary key, patient_id text not null)`.execute(
    db,
  );
  const patient = (i: number) => patientIds[i % patientIds.length]!;
  return compare(
    plan,
    async (i) => {
      await db.transaction().execute((trx) => insertRow(trx, patient(i)));
    },
    async (i) => {
      await db.transaction().execute(async (trx) => {
        await insertRow(trx, patient(i));
        await appendAudit(trx, trace(principal, patient(i), 'deposit'), new Date());
      });
    },
  );
}

export async function auditCostOfSearch(
  db: Db,
  principal: Principal,
  patientId: string,
  plan: LoadPlan,
): Promise<AuditCost> {
  return compare(
    plan,
    async () => {
      await db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
      });
    },
    async () => {
      await db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        await appendAudit(trx, trace(principal, patientId, 'search'), new Date());
      });
    },
  );
}
