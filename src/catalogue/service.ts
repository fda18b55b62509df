import type { Selectable } from 'kysely';
import type { CatalogueServicesTable } from '../storage/index.ts';
import type { OAuthClient, ServiceDefinition, ServiceLinks } from './definition.ts';
import { normalizeForSearch } from './search-text.ts';
import {
  categoryLabels,
  purposeOf,
  type CategoryCode,
  type PurposeCode,
  type ServiceStatus,
} from './vocabulary.ts';

/** A referenced service as the catalogue knows it. */
export interface CatalogueService {
  readonly id: string;
  readonly name: string;
  readonly editor: { readonly name: string; readonly url?: string | undefined };
  readonly summary: string;
  readonly description: string;
  readonly category: CategoryCode;
  readonly purposes: readonly PurposeCode[];
  readonly dataExchanged: readonly string[];
  readonly links: ServiceLinks;
  readonly status: ServiceStatus;
  readonly statusReason?: string | undefined;
  readonly statusChangedAt: string;
  readonly referencedAt: string;
  readonly updatedAt: string;
  readonly oauth?: OAuthClient | undefined;
}

type Row = Selectable<CatalogueServicesTable>;

const orUndefined = (value: string | null) => value ?? undefined;

export function serviceOfRow(row: Row): CatalogueService {
  return {
    id: row.id,
    name: row.name,
    editor: { name: row.editor_name, url: orUndefined(row.editor_url) },
    summary: row.summary,
    description: row.description,
    category: row.category as CategoryCode,
    purposes: JSON.parse(row.purposes_json) as PurposeCode[],
    dataExchanged: JSON.parse(row.data_exchanged_json) as string[],
    links: {
      web: orUndefined(row.web_url),
      appStore: orUndefined(row.app_store_url),
      googlePlay: orUndefined(row.google_play_url),
      privacyPolicy: orUndefined(row.privacy_url),
    },
    status: row.status as ServiceStatus,
    statusReason: orUndefined(row.status_reason),
    statusChangedAt: row.status_changed_at,
    referencedAt: row.referenced_at,
    updatedAt: row.updated_at,
    oauth: row.oauth_client_id
      ? {
          clientId: row.oauth_client_id,
          redirectUris: JSON.parse(row.oauth_redirect_uris_json) as string[],
          scopes: JSON.parse(row.oauth_scopes_json) as string[],
        }
      : undefined,
  };
}

/** The columns a definition fills (status and dates are the caller's). */
export function columnsOfDefinition(definition: ServiceDefinition) {
  const words = [
    definition.name,
    definition.editor.name,
    definition.summary,
    definition.description,
    categoryLabels[definition.category],
    ...definition.purposes.map((p) => purposeOf(p).label),
    ...definition.dataExchanged,
  ];
  return {
    name: definition.name,
    editor_name: definition.editor.name,
    editor_url: definition.editor.url ?? null,
    summary: definition.summary,
    description: definition.description,
    category: definition.category,
    purposes_json: JSON.stringify(definition.purposes),
    data_exchanged_json: JSON.stringify(definition.dataExchanged),
    web_url: definition.links.web ?? null,
    app_store_url: definition.links.appStore ?? null,
    google_play_url: definition.links.googlePlay ?? null,
    privacy_url: definition.links.privacyPolicy ?? null,
    search_text: ` ${normalizeForSearch(words.join(' '))} `,
    oauth_client_id: definition.oauth?.clientId ?? null,
    oauth_redirect_uris_json: JSON.stringify(definition.oauth?.redirectUris ?? []),
    oauth_scopes_json: JSON.stringify(definition.oauth?.scopes ?? []),
  };
}
