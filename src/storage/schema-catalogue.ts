/** Tables of the catalogue of connected services (src/catalogue). Not patient data: no `patient_id`. */

export interface CatalogueServicesTable {
  /** A slug chosen by the operator (`glucosuivi`), stable in URLs. */
  id: string;
  name: string;
  editor_name: string;
  editor_url: string | null;
  summary: string;
  description: string;
  category: string;
  /** JSON array of purpose codes (src/catalogue/purposes.ts). */
  purposes_json: string;
  /** JSON array of French sentences naming the data exchanged. */
  data_exchanged_json: string;
  web_url: string | null;
  app_store_url: string | null;
  google_play_url: string | null;
  privacy_url: string | null;
  status: string;
  status_reason: string | null;
  status_changed_at: string;
  /** Lower-case, accent-free words of the name, editor and descriptions, for search on both dialects. */
  search_text: string;
  /** OAuth 2.0 client of the service, for the connection flow; null when the service does not connect. */
  oauth_client_id: string | null;
  oauth_redirect_uris_json: string;
  oauth_scopes_json: string;
  referenced_at: string;
  updated_at: string;
}

/** What the operators did to the catalogue, in order: the history of each service's referencing. */
export interface CatalogueEventsTable {
  id: string;
  service_id: string;
  at: string;
  action: string;
  status: string;
  reason: string | null;
}

export interface CatalogueTables {
  catalogue_services: CatalogueServicesTable;
  catalogue_events: CatalogueEventsTable;
}
