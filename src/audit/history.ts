import type { PatientId } from '../identity/index.ts';
import type { ExpressionBuilder, Expression, SqlBool } from 'kysely';
import type { Database, Executor } from '../storage/index.ts';
import { chainOf } from './append.ts';
import { entryOfRow } from './row.ts';
import type { AuditAccessMode, AuditAction, AuditActorKind, AuditEntry } from './types.ts';

/**
 * Which of a patient's traces to read, applied in the query (so totals and pages are the filtered ones). Every
 * field narrows; an absent field does not.
 */
export interface AuditFilter {
  /** Traces of these actions, or (with `orAccessModes`) taken in one of these access modes. */
  readonly actions?: readonly AuditAction[];
  readonly orAccessModes?: readonly AuditAccessMode[];
  /** Traces of actors of these kinds (and of this one actor when `actorId` is given). */
  readonly actorKinds?: readonly AuditActorKind[];
  readonly actorId?: string;
  /**
   * The patient's own actions: a representative's, or a patient's whose id is one of `ids` (the patient and their
   * representatives, for traces written before representatives were told apart). `only` keeps just those,
   * `exclude` leaves them out.
   */
  readonly own?: { readonly ids: readonly string[]; readonly mode: 'only' | 'exclude' };
  /** ISO-8601 instants: `from` included, `to` excluded. */
  readonly from?: string;
  readonly to?: string;
}

type Where = ExpressionBuilder<Database, 'audit_events'>;

function filterWhere(eb: Where, filter: AuditFilter, hiddenTargets: readonly string[]): Expression<SqlBool> {
  const clauses: Expression<SqlBool>[] = [];
  if (hiddenTargets.length > 0)
    clauses.push(eb.or([eb('target_id', 'is', null), eb('target_id', 'not in', [...hiddenTargets])]));
  if (filter.actions) {
    const kinds: Expression<SqlBool>[] = [];
    if (filter.actions.length > 0) kinds.push(eb('action', 'in', [...filter.actions]));
    if (filter.orAccessModes?.length) kinds.push(eb('access_mode', 'in', [...filter.orAccessModes]));
    clauses.push(kinds.length > 0 ? eb.or(kinds) : eb.lit(false));
  }
  if (filter.actorKinds)
    clauses.push(
      filter.actorKinds.length > 0 ? eb('actor_kind', 'in', [...filter.actorKinds]) : eb.lit(false),
    );
  if (filter.actorId !== undefined) clauses.push(eb('actor_id', '=', filter.actorId));
  if (filter.own) {
    const ownIds = filter.own.ids.length > 0 ? [...filter.own.ids] : [''];
    const own = eb.or([
      eb('actor_kind', '=', 'representative'),
      eb.and([eb('actor_kind', '=', 'patient'), eb('actor_id', 'in', ownIds)]),
    ]);
    clauses.push(filter.own.mode === 'only' ? own : eb.not(own));
  }
  if (filter.from !== undefined) clauses.push(eb('at', '>=', filter.from));
  if (filter.to !== undefined) clauses.push(eb('at', '<', filter.to));
  return clauses.length > 0 ? eb.and(clauses) : eb.lit(true);
}

/**
 * A patient's traces, newest first. Reads the patient's chain through its primary key: seq order is append
 * order, so no sort on time is needed. Access control (patient, representative, auditor) is the caller's.
 */
export async function listPatientAudit(
  db: Executor,
  patientId: PatientId,
  page: { count: number; offset: number },
  /** Targets whose traces the reader must not see (documents not yet visible to them), totals included. */
  hiddenTargets: readonly string[] = [],
  filter: AuditFilter = {},
): Promise<{ total: number; entries: AuditEntry[] }> {
  const chain = chainOf(patientId);
  const where = (eb: Where) => filterWhere(eb, filter, hiddenTargets);
  // Sequential, not Promise.all: `db` may be a transaction, which is one connection.
  const { total } = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number | string>().as('total'))
    .where('chain', '=', chain)
    .where(where)
    .executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom('audit_events')
    .selectAll()
    .where('chain', '=', chain)
    .where(where)
    .orderBy('seq', 'desc')
    .limit(Math.max(0, page.count))
    .offset(Math.max(0, page.offset))
    .execute();
  return { total: Number(total), entries: rows.map(entryOfRow) };
}

/** Who of these kinds left traces in a patient's chain (each actor once, with the latest name they bore). */
export async function listPatientAuditActors(
  db: Executor,
  patientId: PatientId,
  kinds: readonly AuditActorKind[],
  /** As for listPatientAudit: an actor known only from these targets' traces is not named. */
  hiddenTargets: readonly string[] = [],
): Promise<
  { kind: AuditActorKind; id: string; name: string | undefined; professionCode: string | undefined }[]
> {
  if (kinds.length === 0) return [];
  const rows = await db
    .selectFrom('audit_events')
    .select((eb) => [
      'actor_kind',
      'actor_id',
      eb.fn.max('actor_name').as('name'),
      eb.fn.max('actor_profession').as('profession'),
    ])
    .where('chain', '=', chainOf(patientId))
    .where('actor_kind', 'in', [...kinds])
    .where('actor_id', 'is not', null)
    .where((eb) => filterWhere(eb, {}, hiddenTargets))
    .groupBy(['actor_kind', 'actor_id'])
    .execute();
  return rows.map((r) => ({
    kind: r.actor_kind as AuditActorKind,
    id: r.actor_id!,
    name: r.name ?? undefined,
    professionCode: r.profession ?? undefined,
  }));
}
