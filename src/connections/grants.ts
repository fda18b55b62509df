import type { AppContext } from '../app/index.ts';
import { type AppPrincipal, type PatientPrincipal, decide } from '../access/index.ts';
import { appendAudit, chainOf, type AuditAction, actionLabels } from '../audit/index.ts';
import { findServiceByClientId, purposeOf, statusKeepsAccess, type PurposeCode } from '../catalogue/index.ts';
import type { PatientId } from '../identity/index.ts';
import { findInsuredById, stillActsFor } from '../insured/index.ts';
import { tokenExpired, tokenInvalid, forbidden, notFound } from '../shared/index.ts';
import { trace } from '../record/index.ts';
import { secretHash } from './secrets.ts';
import { revokeGrantTokens } from './token-endpoint.ts';

/**
 * The principal of a call made with an app's access token. Everything is read at each call: a revoked grant,
 * a suspended or dereferenced service, or a closed profile loses access at once (401).
 */
export async function appPrincipalOfToken(ctx: AppContext, token: string): Promise<AppPrincipal> {
  const row = await ctx.db
    .selectFrom('app_tokens')
    .innerJoin('app_grants', (j) =>
      j
        .onRef('app_grants.patient_id', '=', 'app_tokens.patient_id')
        .onRef('app_grants.id', '=', 'app_tokens.grant_id'),
    )
    .select([
      'app_tokens.patient_id',
      'app_tokens.grant_id',
      'app_tokens.expires_at',
      'app_tokens.revoked_at',
      'app_grants.client_id',
      'app_grants.purposes',
      'app_grants.data_scopes',
      'app_grants.granted_by',
      'app_grants.revoked_at as grant_revoked_at',
    ])
    .where('app_tokens.token_hash', '=', secretHash(ctx.config, token))
    .where('app_tokens.kind', '=', 'access')
    .executeTakeFirst();
  if (!row || row.revoked_at !== null || row.grant_revoked_at !== null) throw tokenInvalid();
  const now = ctx.clock.now();
  if (row.expires_at <= now.toISOString()) throw tokenExpired();
  const service = await findServiceByClientId(ctx.db, row.client_id);
  if (!service || !statusKeepsAccess(service.status)) throw tokenInvalid();
  const person = await findInsuredById(ctx.db, row.patient_id as PatientId);
  if (person?.profileState !== 'activated') throw tokenInvalid();
  // A parent's connection on a child's profile ends when the child comes of age or the parent's authority does.
  const patientId = row.patient_id as PatientId;
  if (!(await stillActsFor(ctx.db, row.granted_by as PatientId, patientId, now))) throw tokenInvalid();
  await ctx.db
    .updateTable('app_grants')
    .set({ last_used_at: now.toISOString() })
    .where('patient_id', '=', row.patient_id)
    .where('id', '=', row.grant_id)
    .execute();
  return {
    kind: 'app',
    serviceId: service.id,
    serviceName: service.name,
    grantId: row.grant_id,
    patientId: row.patient_id as PatientId,
    purposes: JSON.parse(row.purposes) as PurposeCode[],
    scopes: row.data_scopes.split(' ').filter(Boolean),
  };
}

export interface ConnectionView {
  readonly id: string;
  readonly service: { readonly id: string; readonly name: string; readonly status: string };
  readonly purposes: readonly { readonly code: PurposeCode; readonly label: string }[];
  readonly connectedAt: string;
  readonly lastUsedAt: string | null;
  /** This app's latest traces in the patient's audit trail. */
  readonly accesses: readonly {
    readonly at: string;
    readonly action: AuditAction;
    /** In French, as in the patient's access history. */
    readonly label: string;
    readonly outcome: string;
  }[];
}

function checkManages(principal: PatientPrincipal, patientId: PatientId): void {
  if (!decide(principal, { type: 'profile.manage', patientId }).allowed) {
    throw forbidden('not-own-record', 'Ce profil n’est pas le vôtre.');
  }
}

/** The services connected to one profile, each with what it may do and what it did. */
export async function listConnections(
  ctx: AppContext,
  principal: PatientPrincipal,
  patientId: PatientId,
): Promise<ConnectionView[]> {
  checkManages(principal, patientId);
  const grants = await ctx.db
    .selectFrom('app_grants')
    .selectAll()
    .where('patient_id', '=', patientId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
  const views: ConnectionView[] = [];
  for (const grant of grants) {
    const service = await findServiceByClientId(ctx.db, grant.client_id);
    const accesses = await ctx.db
      .selectFrom('audit_events')
      .select(['at', 'action', 'outcome'])
      .where('chain', '=', chainOf(patientId))
      .where('actor_kind', '=', 'app')
      .where('actor_id', '=', grant.service_id)
      .orderBy('seq', 'desc')
      .limit(20)
      .execute();
    views.push({
      id: grant.id,
      service: {
        id: grant.service_id,
        name: service?.name ?? grant.service_id,
        status: service?.status ?? 'dereferenced',
      },
      purposes: (JSON.parse(grant.purposes) as PurposeCode[]).map((code) => ({
        code,
        label: purposeOf(code).label,
      })),
      connectedAt: grant.created_at,
      lastUsedAt: grant.last_used_at,
      accesses: accesses.map((a) => ({
        at: a.at,
        action: a.action as AuditAction,
        label: actionLabels[a.action as AuditAction] ?? a.action,
        outcome: a.outcome,
      })),
    });
  }
  return views;
}

/** Disconnects a service: its tokens stop working at the next call. */
export async function revokeConnection(
  ctx: AppContext,
  principal: PatientPrincipal,
  patientId: PatientId,
  grantId: string,
): Promise<void> {
  checkManages(principal, patientId);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const grant = await trx
      .selectFrom('app_grants')
      .select(['service_id'])
      .where('patient_id', '=', patientId)
      .where('id', '=', grantId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (!grant) throw notFound('connection-not-found', 'Ce service n’est pas connecté à ce profil.');
    await trx
      .updateTable('app_grants')
      .set({ revoked_at: now.toISOString() })
      .where('patient_id', '=', patientId)
      .where('id', '=', grantId)
      .execute();
    await revokeGrantTokens(trx, patientId, grantId, now);
    const input = trace(principal, patientId, 'app-revoke', 'success', {
      targetType: 'AppConnection',
      targetId: grantId,
      detail: { service: grant.service_id },
    });
    await appendAudit(trx, input, now);
  });
}
