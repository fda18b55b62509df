import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes';
import { FHIR_VERSION, PDSM_DOCUMENT_SHARING_CAPABILITY, PDSM_IMPLEMENTATION_GUIDE } from './systems.ts';
import {
  fhirResources,
  fhirRoutes,
  routedTypes,
  type FhirRoute,
  type ResourceDescription,
} from './router.ts';

export interface CapabilityInput {
  /** `<base>/fhir` */
  readonly fhirBase: string;
  /** Issuer of the bearer tokens: Pro Santé Connect, or the embedded development provider. */
  readonly tokenIssuer: string;
  /** When this server started (the statement changes only with a new version). */
  readonly date: string;
  readonly softwareVersion: string;
  /** Carnet's own authorization server, for the services a patient connects (SMART App Launch). */
  readonly patientAuthorization: {
    readonly authorize: string;
    readonly token: string;
    readonly revoke: string;
  };
}

type Interaction = NonNullable<CapabilityStatementRestResource['interaction']>[number];

/** One resource's entry, from the routes that answer on it: interactions, search parameters, operations. */
function restResource(
  type: string,
  routes: readonly FhirRoute[],
  description: ResourceDescription,
): CapabilityStatementRestResource {
  const interaction: Interaction[] = [];
  const searchParam: NonNullable<CapabilityStatementRestResource['searchParam']> = [];
  const operation: NonNullable<CapabilityStatementRestResource['operation']> = [];
  for (const route of routes) {
    if (!('type' in route) || route.type !== type) continue;
    switch (route.interaction) {
      case 'read':
      case 'create':
      case 'update':
      case 'patch':
      case 'search-type':
      case 'conditional-patch': {
        const code = route.interaction === 'conditional-patch' ? 'patch' : route.interaction;
        if (!interaction.some((i) => i.code === code)) interaction.push({ code });
        if (route.interaction === 'search-type')
          searchParam.push(...route.searchParams.map((p) => ({ ...p })));
        break;
      }
      case 'operation':
        operation.push({ ...route.operation });
        break;
      case 'sub-resource':
        break;
    }
  }
  return {
    type: type as CapabilityStatementRestResource['type'],
    ...(description.supportedProfile ? { supportedProfile: [...description.supportedProfile] } : {}),
    ...(description.documentation ? { documentation: description.documentation } : {}),
    interaction,
    ...(description.conditionalUpdate !== undefined
      ? { conditionalUpdate: description.conditionalUpdate }
      : {}),
    ...(searchParam.length > 0 ? { searchParam } : {}),
    ...(operation.length > 0 ? { operation } : {}),
  };
}

/**
 * What Carnet's FHIR server does: the FR Core base and the document sharing of the ANS PDSm profile (IHE MHD), in
 * FHIR JSON and XML. It names the PDSm document sharing manager it implements (`instantiates`); its resources,
 * interactions, search parameters and operations are those of the route table, so that it declares only what
 * answers.
 */
export function capabilityStatement(
  input: CapabilityInput,
  routes: readonly FhirRoute[] = fhirRoutes,
  resources: Readonly<Record<string, ResourceDescription>> = fhirResources,
): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: input.date,
    publisher: 'Carnet',
    kind: 'instance',
    software: { name: 'Carnet', version: input.softwareVersion },
    implementation: { description: 'Carnet — Mon espace santé et DMP', url: input.fhirBase },
    fhirVersion: FHIR_VERSION,
    instantiates: [PDSM_DOCUMENT_SHARING_CAPABILITY],
    implementationGuide: [PDSM_IMPLEMENTATION_GUIDE],
    // Every read, search and transaction, by `_format`, `Accept` and `Content-Type` (src/http/routes/fhir.ts).
    format: ['json', 'xml'],
    // JSON Patch, and FHIRPath Patch (a Parameters resource) in either format.
    patchFormat: ['application/json-patch+json', 'application/fhir+json', 'application/fhir+xml'],
    rest: [
      {
        mode: 'server',
        security: {
          cors: false,
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [
                { url: 'authorize', valueUri: input.patientAuthorization.authorize },
                { url: 'token', valueUri: input.patientAuthorization.token },
                { url: 'revoke', valueUri: input.patientAuthorization.revoke },
              ],
            },
          ],
          service: [
            {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
                  code: 'OAuth',
                },
                {
                  system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
                  code: 'SMART-on-FHIR',
                },
              ],
            },
          ],
          description:
            'Every request except metadata carries an OAuth 2.0 bearer access token (Authorization: Bearer …) ' +
            `issued to a health professional by Pro Santé Connect (issuer: ${input.tokenIssuer}), or to a service ` +
            'the patient connected, by Carnet itself (SMART App Launch, authorization code with PKCE; see ' +
            '.well-known/smart-configuration).',
        },
        resource: routedTypes(routes).map((type) => restResource(type, routes, resources[type] ?? {})),
        interaction: routes.flatMap((route) =>
          route.interaction === 'transaction'
            ? [{ code: 'transaction' as const, documentation: route.documentation }]
            : [],
        ),
      },
    ],
  };
}
