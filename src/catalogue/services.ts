import { sql } from 'kysely';
import type { AppContext } from '../app/index.ts';
import { CarnetError, conflict, invalid, notFound, uuidv7 } from '../shared/index.ts';
import { isUniqueViolation, type Executor } from '../storage/index.ts';
import { parseServiceDefinition } from './definition.ts';
import { searchTerms } from './search-text.ts';
import { columnsOfDefinition, serviceOfRow, type CatalogueService } from './service.ts';
import {
  isCategoryCode,
  isPurposeCode,
  statusIsBrowsable,
  type CategoryCode,
  type PurposeCode,
  type ServiceStatus,
} from './vocabulary.ts';

export interface CatalogueFilter {
  /** Free text: every word must appear in the name, editor, descriptions, purposes or data exchanged. */
  readonly q?: string | undefined;
  readonly category?: CategoryCode | undefined;
  readonly purpose?: PurposeCode | undefined;
  /** Statuses to include; every status when absent. */
  readonly statuses?: readonly ServiceStatus[] | undefined;
}

const byName = (a: CatalogueService, b: CatalogueService) =>
  a.name.localeCompare(b.name, 'fr', { sensitivity: 'base' });

/** Services matching the filter, by name (French order, the same on both dialects since it is done here). */
export async function listServices(db: Executor, filter: CatalogueFilter = {}): Promise<CatalogueService[]> {
  let query = db.selectFrom('catalogue_services').selectAll();
  if (filter.statuses) {
    if (filter.statuses.length === 0) return [];
    query = query.where('status', 'in', [...filter.statuses]);
  }
  if (filter.category) query = query.where('category', '=', filter.category);
  // Purpose codes are fixed slugs: matching the quoted code inside the JSON array is exact.
  if (filter.purpose) query = query.where('purposes_json', 'like', `%"${filter.purpose}"%`);
  for (const term of searchTerms(filter.q ?? '')) {
    query = query.where(sql<boolean>`${sql.ref('search_text')} like ${`%${term}%`}`);
  }
  const rows = await query.execute();
  return rows.map(serviceOfRow).sort(byName);
}

export async function findService(db: Executor, id: string): Promise<CatalogueService | undefined> {
  const row = await db.selectFrom('catalogue_services').selectAll().where('id', '=', id).executeTakeFirst();
  return row && serviceOfRow(row);
}

/** The patient's browsing: dereferenced services never appear; suspended ones appear as unavailable. */
export function browseCatalogue(
  db: Executor,
  filter: Omit<CatalogueFilter, 'statuses'>,
): Promise<CatalogueService[]> {
  return listServices(db, { ...filter, statuses: ['online', 'offline', 'suspended'] });
}

/** Turns query-string values into a filter, refusing unknown codes rather than silently ignoring them. */
export function catalogueFilterOf(query: {
  q?: unknown;
  category?: unknown;
  purpose?: unknown;
}): Omit<CatalogueFilter, 'statuses'> {
  const q = typeof query.q === 'string' ? query.q.slice(0, 200) : undefined;
  const category = query.category === '' || query.category === undefined ? undefined : query.category;
  const purpose = query.purpose === '' || query.purpose === undefined ? undefined : query.purpose;
  if (category !== undefined && !isCategoryCode(category))
    throw invalid('catalogue-category-unknown', 'Cette catégorie n’existe pas.', 'category');
  if (purpose !== undefined && !isPurposeCode(purpose))
    throw invalid('catalogue-purpose-unknown', 'Cette finalité n’existe pas.', 'purpose');
  return { q, category, purpose };
}

/** One service's page for a patient; a dereferenced one is gone from the catalogue. */
export async function serviceForPatient(db: Executor, id: string): Promise<CatalogueService> {
  const service = await findService(db, id);
  if (!service) throw notFound('catalogue-service-not-found', 'Ce service n’existe pas dans le catalogue.');
  if (!statusIsBrowsable(service.status))
    throw new CarnetError(
      'gone',
      'catalogue-service-dereferenced',
      'Ce service n’est plus référencé dans le catalogue.',
    );
  return service;
}

export type CatalogueAction =
  'referenced' | 'updated' | 'suspended' | 'dereferenced' | 'reinstated' | 'offline';

export interface CatalogueEvent {
  readonly at: string;
  readonly action: CatalogueAction;
  readonly status: ServiceStatus;
  readonly reason?: string | undefined;
}

async function recordEvent(
  db: Executor,
  serviceId: string,
  at: string,
  action: CatalogueAction,
  status: ServiceStatus,
  reason: string | undefined,
): Promise<void> {
  await db
    .insertInto('catalogue_events')
    .values({ id: uuidv7(), service_id: serviceId, at, action, status, reason: reason ?? null })
    .execute();
}

export async function listServiceEvents(db: Executor, serviceId: string): Promise<CatalogueEvent[]> {
  const rows = await db
    .selectFrom('catalogue_events')
    .select(['at', 'action', 'status', 'reason'])
    .where('service_id', '=', serviceId)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    at: r.at,
    action: r.action as CatalogueAction,
    status: r.status as ServiceStatus,
    reason: r.reason ?? undefined,
  }));
}

const clientIdTaken = () =>
  conflict('catalogue-client-id-taken', 'Cet identifiant de client OAuth est déjà celui d’un autre service.');

/**
 * References a service, or updates the description of one already referenced (same `id`). An update keeps
 * the status: suspension, dereferencing and reinstatement are decisions of their own.
 */
export async function referenceService(
  ctx: AppContext,
  raw: unknown,
): Promise<{ service: CatalogueService; created: boolean }> {
  const definition = parseServiceDefinition(raw);
  const now = ctx.clock.now().toISOString();
  const columns = columnsOfDefinition(definition);
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const existing = await findService(trx, definition.id);
      if (existing) {
        await trx
          .updateTable('catalogue_services')
          .set({ ...columns, updated_at: now })
          .where('id', '=', definition.id)
          .execute();
        await recordEvent(trx, definition.id, now, 'updated', existing.status, undefined);
      } else {
        await trx
          .insertInto('catalogue_services')
          .values({
            id: definition.id,
            ...columns,
            status: definition.initialStatus,
            status_reason: null,
            status_changed_at: now,
            referenced_at: now,
            updated_at: now,
          })
          .execute();
        await recordEvent(trx, definition.id, now, 'referenced', definition.initialStatus, undefined);
      }
      return { service: (await findService(trx, definition.id))!, created: !existing };
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // The id is checked first inside the transaction; a clash left is a client id, or a concurrent add.
    if (definition.oauth && (await findServiceByClientIdAnyStatus(ctx.db, definition.oauth.clientId)))
      throw clientIdTaken();
    throw conflict('catalogue-service-exists', 'Ce service vient d’être référencé par ailleurs ; réessayez.');
  }
}

async function findServiceByClientIdAnyStatus(db: Executor, clientId: string) {
  return db
    .selectFrom('catalogue_services')
    .select('id')
    .where('oauth_client_id', '=', clientId)
    .executeTakeFirst();
}

export type StatusDecision = 'suspend' | 'dereference' | 'reinstate' | 'offline';

/** Which current statuses each decision applies to, and where it leads. */
const transitions: Readonly<
  Record<StatusDecision, { from: readonly ServiceStatus[]; to: ServiceStatus; action: CatalogueAction }>
> = {
  suspend: { from: ['online', 'offline'], to: 'suspended', action: 'suspended' },
  dereference: { from: ['online', 'offline', 'suspended'], to: 'dereferenced', action: 'dereferenced' },
  reinstate: { from: ['offline', 'suspended', 'dereferenced'], to: 'online', action: 'reinstated' },
  offline: { from: ['online'], to: 'offline', action: 'offline' },
};

const refusal: Readonly<Record<StatusDecision, string>> = {
  suspend: 'Seul un service en ligne ou temporairement indisponible peut être suspendu.',
  dereference: 'Ce service est déjà déréférencé.',
  reinstate: 'Ce service est déjà en ligne.',
  offline: 'Seul un service en ligne peut être déclaré temporairement indisponible.',
};

/**
 * An operator's decision about a service. The status is read and written in one statement guarded by the
 * expected current status, so two operators cannot both apply conflicting decisions.
 */
export async function decideServiceStatus(
  ctx: AppContext,
  id: string,
  decision: StatusDecision,
  reason?: string,
): Promise<CatalogueService> {
  const rule = transitions[decision];
  const now = ctx.clock.now().toISOString();
  const why = reason?.trim() ? reason.trim().slice(0, 500) : undefined;
  return ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('catalogue_services')
      .set({ status: rule.to, status_reason: why ?? null, status_changed_at: now, updated_at: now })
      .where('id', '=', id)
      .where('status', 'in', [...rule.from])
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      const existing = await findService(trx, id);
      if (!existing) throw notFound('catalogue-service-not-found', `Aucun service « ${id} » au catalogue.`);
      throw conflict('catalogue-status-unchanged', refusal[decision]);
    }
    await recordEvent(trx, id, now, rule.action, rule.to, why);
    return (await findService(trx, id))!;
  });
}
