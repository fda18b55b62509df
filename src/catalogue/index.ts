export * from './vocabulary.ts';
export { parseServiceDefinition } from './definition.ts';
export type { OAuthClient, ServiceDefinition, ServiceLinks } from './definition.ts';
export type { CatalogueService } from './service.ts';
export {
  browseCatalogue,
  catalogueFilterOf,
  decideServiceStatus,
  findService,
  listServiceEvents,
  listServices,
  referenceService,
  serviceForPatient,
} from './services.ts';
export type { CatalogueAction, CatalogueEvent, CatalogueFilter, StatusDecision } from './services.ts';
export {
  findConnectableService,
  findServiceByClientId,
  isRegisteredRedirectUri,
  serviceKeepsAccess,
} from './connection.ts';
export type { ConnectableService } from './connection.ts';
export {
  GLUCOSUIVI_CLIENT_ID,
  GLUCOSUIVI_DEFAULT_REDIRECT_URIS,
  GLUCOSUIVI_SERVICE_ID,
  demoCatalogue,
  seedDemoCatalogue,
} from './demo-catalogue.ts';
export type { DemoCatalogueOptions } from './demo-catalogue.ts';
