import type { AppContext } from '../app/context.ts';
import { visibleDocumentsWhere } from '../access/document-filter.ts';
import type { Principal } from '../access/principal.ts';
import type { RecordContext } from '../access/record-policy.ts';
import {
  appendAudit,
  listPatientAudit,
  type AuditAccessMode,
  type AuditAction,
  type AuditEntry,
  type AuditOutcome,
} from '../audit/index.ts';
import { isProfessionCode, professionLabel, type PatientId } from '../identity/index.ts';
import type { Executor } from '../storage/index.ts';
import { trace } from './audit-trace.ts';
import { openTitle } from './document-row.ts';
import { openRecord } from './record-gate.ts';
import { inRecordTransaction, Refusal } from './refusal.ts';

export interface HistoryPage {
  readonly count: number;
  readonly offset: number;
}

/** One line of "qui a consulté mon dossier" (issue 3 §5). */
export interface AccessHistoryEntry {
  readonly at: string;
  readonly actorKind: AuditEntry['actor']['kind'];
  readonly actorName: string;
  readonly actorProfession: string | undefined;
  readonly action: AuditAction;
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
): Promise<{ total: number; entries: AuditEntry[]; context: RecordContext }> {
  const now = ctx.clock.now();
  return inRecordTransaction(ctx, async (trx) => {
    const opened = await openRecord(trx, principal, patientId, 'read-history', 'history-read', now);
    if (opened instanceof Refusal) return opened;
    const hidden = await documentsHiddenFrom(trx, principal, patientId);
    const result = await listPatientAudit(trx, patientId, page, hidden);
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
 * The actor's real role towards this record. Traces written before roles were recorded (issue 10) say only
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

async function representativesOf(db: Executor, patientId: PatientId): Promise<Set<string>> {
  const rows = await db
    .selectFrom('representatives')
    .select('representative_patient_id')
    .where('patient_id', '=', patientId)
    .execute();
  return new Set(rows.flatMap((r) => (r.representative_patient_id ? [r.representative_patient_id] : [])));
}

/** The access history as the patient's space shows it, newest first. */
export async function accessHistory(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  page: HistoryPage,
): Promise<{ total: number; entries: AccessHistoryEntry[] }> {
  const { total, entries, context } = await listAuditEntries(ctx, principal, patientId, page);
  const titles = await visibleTitles(ctx, ctx.db, principal, context, entries);
  const representatives = await representativesOf(ctx.db, patientId);
  return {
    total,
    entries: entries.map((e) => ({
      at: e.at,
      actorKind: e.actor.kind,
      actorName: actorName(e, principal, representatives),
      actorProfession:
        e.actor.professionCode && isProfessionCode(e.actor.professionCode)
          ? professionLabel(e.actor.professionCode)
          : undefined,
      action: e.action,
      documentTitle: e.targetId ? titles.get(e.targetId) : undefined,
      accessMode: e.accessMode,
      outcome: e.outcome,
      reason: e.reason,
    })),
  };
}
