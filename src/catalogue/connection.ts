import type { Executor } from '../storage/index.ts';
import type { OAuthClient } from './definition.ts';
import { serviceOfRow, type CatalogueService } from './service.ts';
import { statusAcceptsConnections, statusKeepsAccess } from './vocabulary.ts';

/** A service that has an OAuth client. */
export type ConnectableService = CatalogueService & { readonly oauth: OAuthClient };

/** The service behind an OAuth client id, whatever its status (to explain a refusal, or revoke). */
export async function findServiceByClientId(
  db: Executor,
  clientId: string,
): Promise<ConnectableService | undefined> {
  const row = await db
    .selectFrom('catalogue_services')
    .selectAll()
    .where('oauth_client_id', '=', clientId)
    .executeTakeFirst();
  return row ? (serviceOfRow(row) as ConnectableService) : undefined;
}

/**
 * For the authorization endpoint: the service a patient may connect now, i.e. one online with this
 * client id; undefined otherwise (unknown, offline, suspended or dereferenced).
 */
export async function findConnectableService(
  db: Executor,
  clientId: string,
): Promise<ConnectableService | undefined> {
  const service = await findServiceByClientId(db, clientId);
  return service && statusAcceptsConnections(service.status) ? service : undefined;
}

/**
 * For every API call made with an app's token: true while the service may still use its connections.
 * Read at each request (not cached in the token), so a suspension or dereferencing takes effect at once.
 */
export async function serviceKeepsAccess(db: Executor, clientId: string): Promise<boolean> {
  const row = await db
    .selectFrom('catalogue_services')
    .select('status')
    .where('oauth_client_id', '=', clientId)
    .executeTakeFirst();
  return row !== undefined && statusKeepsAccess(row.status as CatalogueService['status']);
}

/** Whether `uri` is exactly one of the client's registered redirect URIs (no prefix or pattern match). */
export const isRegisteredRedirectUri = (client: OAuthClient, uri: string): boolean =>
  client.redirectUris.includes(uri);
