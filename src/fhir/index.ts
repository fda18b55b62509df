export type { FhirCall } from './call.ts';
export { capabilityStatement } from './capability-statement.ts';
export { toDocumentReference } from './document-reference.ts';
export { searchPairs } from './document-search-params.ts';
export {
  FHIR_JSON,
  JSON_BODY_TYPES,
  XML_BODY_TYPES,
  explicitFhirFormat,
  fromFhirXml,
  negotiateOrFail,
  toFhirXml,
  withoutEmpty,
} from './fhir-format.ts';
export type { Negotiated } from './fhir-format.ts';
export { toPatientResource } from './patient-resource.ts';
export { profileEntryToFhir } from './profile-resources.ts';
export { checkSearchForm, fhirRoutes, routePaths, routedTypes } from './router.ts';
export type { FhirRequest, FhirResponse, FhirRoute } from './router.ts';
export type { QueryParams } from './search-params.ts';
export { validateAnswer } from './validation/r4-validator.ts';
export { buildIpsBundle } from './ips-bundle.ts';
