import type { AppContext } from '../app/index.ts';
import { visibleDocumentsWhere, type Principal, type RecordContext } from '../access/index.ts';
import { addDays, isDay, parisInstant, invalid } from '../shared/index.ts';
import {
  appendAudit,
  chainOf,
  listPatientAudit,
  listPatientAuditActors,
  type AuditAccessMode,
  type AuditAction,
  type AuditEntry,
  type AuditFilter,
  type AuditOutcome,
} from '../audit/index.ts';
import { isProfessionCode, professionLabel, type PatientId } from '../identity/index.ts';
import type { Executor } from '../storage/index.ts';
import { trace, openTitle, openRecord, inRecordTransaction, Refusal } from '../guard/index.ts';
import {
  actionsOfKind,
  actorKindLabels,
  emergencyModes,
  historyActionLabel,
  type HistoryKind,
} from './history-labels.ts';

export interface HistoryPage {
  readonly count: number;
  readonly offset: number;
}

/** One line of "qui a consulté mon dossier" (docs/access.md, "What is traced"). */
export interface AccessHistoryEntry {
  readonly at: string;
  readonly actorKind: AuditEntry['actor']['kind'];
  readonly actorName: string;
  readonly actorProfession: string | undefined;
  /** What the actor is, under their name: a profession, « Service connecté »… (nothing for the patient's side). */
  readonly actorRole: string | undefined;
  readonly action: AuditAction;
  /** The action in plain French (history-labels.ts), never its code. */
  readonly actionLabel: string;
  /** The professional's first access to this record (the trace their first consultation left). */
  readonly firstAccess: boolean;
  /** Only for a document the reader may see (an invisible document's title never leaks). */
  readonly documentTitle: string | undefined;
  readonly accessMode: AuditAccessMode;
  readonly outcome: AuditOutcome;
  /** The reason a professional stated for an emergency access. */
  readonly reason: string | undefined;
}

/** The patient's traces (patients, their representatives, an auditor), itself traced as `history-read`. */
export async function listAuditEntries(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  page: HistoryPage,
  filter: HistoryFilter = {},
): Promise<{ total: number; entries: AuditEntry[]; context: RecordContext }> {
  const now = ctx.clock.now();
  return inRecordTransaction(ctx, async (trx) => {
    const opened = await openRecord(trx, principal, patientId, 'read-history', 'history-read', now);
    if (opened instanceof Refusal) return opened;
    const hidden = await documentsHiddenFrom(trx, principal, patientId);
    const own = [patientId, ...(await representativesOf(trx, patientId))];
    const result = await listPatientAudit(trx, patientId, page, hidden, auditFilterOf(filter, own));
    const input = trace(principal, patientId, 'history-read', 'success', { targetType: 'AuditEvent' });
    await appendAudit(trx, input, now);
    return { ...result, context: opened.record.context };
  });
}

/**
 * Documents the reader may not know of yet (INVISIBLE_PATIENT for the patient and their representatives,
 * INVISIBLE_REPRESENTANTS_LEGAUX for representatives): their traces would reveal them, so they are left out.
 */
async function documentsHiddenFrom(
  db: Executor,
  principal: Principal,
  patientId: PatientId,
): Promise<string[]> {
  if (principal.kind !== 'patient') return [];
  const representative = principal.patientId !== patientId;
  const rows = await db
    .selectFrom('documents')
    .select('id')
    .where('patient_id', '=', patientId)
    .where((eb) =>
      representative
        ? eb.or([eb('invisible_patient', '=', 1), eb('invisible_representatives', '=', 1)])
        : eb('invisible_patient', '=', 1),
    )
    .execute();
  return rows.map((r) => r.id);
}

async function visibleTitles(
  ctx: Pick<AppContext, 'config'>,
  db: Executor,
  principal: Principal,
  context: RecordContext,
  entries: readonly AuditEntry[],
): Promise<Map<string, string>> {
  const ids = [
    ...new Set(
      entries.flatMap((e) => (e.targetType === 'DocumentReference' && e.targetId ? [e.targetId] : [])),
    ),
  ];
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('documents')
    .select(['patient_id', 'id', 'sealed_title'])
    .where('patient_id', '=', context.patientId)
    .where('id', 'in', ids)
    .where(visibleDocumentsWhere(principal, context))
    .execute();
  return new Map(rows.map((r) => [r.id, openTitle(ctx.config, r)]));
}

/**
 * The actor's real role towards this record. Traces written before roles were recorded say only
 * `patient`: such a person is a representative if they are one of this patient's representatives.
 */
function actorName(entry: AuditEntry, principal: Principal, representatives: ReadonlySet<string>): string {
  const { kind, id } = entry.actor;
  if (kind !== 'patient' && kind !== 'representative') return entry.actor.name ?? 'Système';
  if (principal.kind === 'patient' && id === principal.patientId) return 'Vous';
  if (id === entry.patientId) return 'Le patient';
  if (kind === 'representative' || (id !== undefined && representatives.has(id))) return 'Représentant légal';
  return 'Personne non autorisée (autre usager)';
}

const professionOf = (e: AuditEntry): string | undefined =>
  e.actor.professionCode && isProfessionCode(e.actor.professionCode)
    ? professionLabel(e.actor.professionCode)
    : undefined;

const actorRoleOf = (e: AuditEntry): string | undefined =>
  e.actor.kind === 'patient' || e.actor.kind === 'representative' ? undefined : actorKindLabels[e.actor.kind];

async function representativesOf(db: Executor, patientId: PatientId): Promise<Set<string>> {
  const rows = await db
    .selectFrom('representatives')
    .select('representative_patient_id')
    .where('patient_id', '=', patientId)
    .execute();
  return new Set(rows.flatMap((r) => (r.representative_patient_id ? [r.representative_patient_id] : [])));
}

/** The access history as the patient's space shows it, newest first, filtered in the query. */
export async function accessHistory(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  page: HistoryPage,
  filter: HistoryFilter = {},
): Promise<{ total: number; entries: AccessHistoryEntry[]; actors: HistoryActor[] }> {
  const { total, entries, context } = await listAuditEntries(ctx, principal, patientId, page, filter);
  const actors = await historyActors(
    ctx.db,
    patientId,
    await documentsHiddenFrom(ctx.db, principal, patientId),
  );
  const titles = await visibleTitles(ctx, ctx.db, principal, context, entries);
  const representatives = await representativesOf(ctx.db, patientId);
  const firsts = await firstAccessTraces(ctx.db, patientId, entries);
  return {
    total,
    actors,
    entries: entries.map((e) => ({
      at: e.at,
      actorKind: e.actor.kind,
      actorName: actorName(e, principal, representatives),
      actorProfession: professionOf(e),
      actorRole: professionOf(e) ?? actorRoleOf(e),
      action: e.action,
      actionLabel: historyActionLabel(e.action, e.targetType, e.detail),
      firstAccess: firsts.has(e.id),
      documentTitle: e.targetId ? titles.get(e.targetId) : undefined,
      accessMode: e.accessMode,
      outcome: e.outcome,
      reason: e.reason,
    })),
  };
}

/**
 * Whom the history shows: everyone (`all`), everyone but the patient and their legal representatives (`others`:
 * professionals, connected services, the Assurance Maladie, anyone refused), only them (`me`), professionals or
 * services, or one professional (national id) or one service (catalogue id).
 */
export type HistoryWho =
  | 'all'
  | 'others'
  | 'me'
  | 'professionals'
  | 'apps'
  | { readonly professional: string }
  | { readonly app: string };

/** What the patient narrows the history to; an absent field does not narrow. */
export interface HistoryFilter {
  readonly who?: HistoryWho;
  readonly kind?: HistoryKind;
  /** Calendar days in Paris (YYYY-MM-DD), both included. */
  readonly from?: string;
  readonly to?: string;
}

/** Checks the period (days that exist, in order); the message says what to correct. */
export function checkHistoryPeriod(filter: Pick<HistoryFilter, 'from' | 'to'>): void {
  for (const [name, value] of [
    ['from', filter.from],
    ['to', filter.to],
  ] as const)
    if (value !== undefined && !isDay(value))
      throw invalid('history-period-invalid', 'Indiquez une date valide (jour, mois et année).', name);
  if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to)
    throw invalid(
      'history-period-invalid',
      'La date de début doit précéder la date de fin de la période.',
      'from',
    );
}

/** The filter as the audit query takes it; `ownIds` are the patient's and their representatives' ids. */
export function auditFilterOf(filter: HistoryFilter, ownIds: readonly string[]): AuditFilter {
  checkHistoryPeriod(filter);
  const who = filter.who ?? 'all';
  const whoFilter: AuditFilter =
    who === 'all'
      ? {}
      : who === 'others'
        ? { own: { ids: ownIds, mode: 'exclude' } }
        : who === 'me'
          ? { own: { ids: ownIds, mode: 'only' } }
          : who === 'professionals'
            ? { actorKinds: ['professional'] }
            : who === 'apps'
              ? { actorKinds: ['app'] }
              : 'professional' in who
                ? { actorKinds: ['professional'], actorId: who.professional }
                : { actorKinds: ['app'], actorId: who.app };
  return {
    ...whoFilter,
    ...(filter.kind
      ? {
          actions: actionsOfKind(filter.kind),
          ...(filter.kind === 'emergency' ? { orAccessModes: emergencyModes } : {}),
        }
      : {}),
    ...(filter.from !== undefined ? { from: parisInstant(filter.from, '00:00') } : {}),
    ...(filter.to !== undefined ? { to: parisInstant(addDays(filter.to, 1), '00:00') } : {}),
  };
}

/**
 * The traces (of `entries`) that are a professional's first access to the record: the first trace they left at the
 * instant their first consultation was noted (record_professionals.first_access_at, see consultation.ts).
 */
async function firstAccessTraces(
  db: Executor,
  patientId: PatientId,
  entries: readonly AuditEntry[],
): Promise<Set<string>> {
  const professionals = [
    ...new Set(
      entries.flatMap((e) =>
        e.actor.kind === 'professional' && e.actor.id && e.outcome === 'success' ? [e.actor.id] : [],
      ),
    ),
  ];
  if (professionals.length === 0) return new Set();
  const firsts = await db
    .selectFrom('audit_events as e')
    .innerJoin('record_professionals as p', (join) =>
      join.onRef('p.national_id', '=', 'e.actor_id').onRef('p.first_access_at', '=', 'e.at'),
    )
    .select((eb) => ['e.actor_id', eb.fn.min('e.seq').as('seq')])
    .where('e.chain', '=', chainOf(patientId))
    .where('p.patient_id', '=', patientId)
    .where('e.actor_kind', '=', 'professional')
    .where('e.outcome', '=', 'success')
    .where('e.actor_id', 'in', professionals)
    .groupBy('e.actor_id')
    .execute();
  const seqs = new Set(firsts.map((f) => Number(f.seq)));
  return new Set(entries.filter((e) => e.actor.kind === 'professional' && seqs.has(e.seq)).map((e) => e.id));
}

/** A professional or a connected service that left traces in the record: a choice of the "who" filter. */
export interface HistoryActor {
  readonly kind: 'professional' | 'app';
  readonly id: string;
  readonly name: string;
  readonly profession: string | undefined;
}

/**
 * The professionals and services the patient may pick in the "who" filter: those who left traces in the record.
 * Asked once the history's read was decided (listAuditEntries).
 */
async function historyActors(
  db: Executor,
  patientId: PatientId,
  hidden: readonly string[],
): Promise<HistoryActor[]> {
  const actors = await listPatientAuditActors(db, patientId, ['professional', 'app'], hidden);
  return actors
    .map((a) => ({
      kind: a.kind as 'professional' | 'app',
      id: a.id,
      name: a.name ?? (a.kind === 'app' ? 'Service connecté' : 'Professionnel de santé'),
      profession:
        a.professionCode && isProfessionCode(a.professionCode)
          ? professionLabel(a.professionCode)
          : undefined,
    }))
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name, 'fr'));
}
