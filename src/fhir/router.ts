/**
 * Carnet's FHIR API as one table (as Medplum's fhir-router): each route names its interaction, resource type,
 * search parameters and handler, and every handler receives the same call. The HTTP adapter
 * (src/http/routes/fhir.ts) registers this table and nothing else; the CapabilityStatement is generated from it
 * (capability-statement.ts), so that it declares only what a route answers.
 */
import type {
  CapabilityStatementRestResourceOperation,
  CapabilityStatementRestResourceSearchParam,
} from '@medplum/fhirtypes';
import {
  createAppointment,
  readAppointment,
  searchAppointments,
  updateAppointment,
} from './appointment-fhir.ts';
import type { AuditTransaction } from '../audit/index.ts';
import { patientSummary } from '../ips/index.ts';
import { buildIpsBundle } from './ips-bundle.ts';
import { CarnetError } from '../shared/index.ts';
import type { FhirCall } from './call.ts';
import { searchExplanationsOfBenefit } from './care-history-interactions.ts';
import {
  communicationAttachment,
  readCommunication,
  searchCommunications,
} from './communication-interactions.ts';
import { createConsent, searchAuditEvents } from './consent-interactions.ts';
import {
  conditionalPatchDocumentReference,
  patchDocumentReference,
  readDocumentReference,
  retrieveBinary,
  searchDocumentReferences,
} from './document-interactions.ts';
import { documentSearchParams, searchHandling, type SearchPairs } from './document-search-params.ts';
import { readPatient, readPractitioner, searchPatients } from './interactions.ts';
import { readList, searchLists } from './list-interactions.ts';
import { listSearchParameters } from './list-search-params.ts';
import { createObservation } from './observation-create.ts';
import { patientById } from './patient-reference.ts';
import { readProfileResource, searchProfileResources } from './profile-interactions.ts';
import { codeSearchTypes, profileResourceTypes } from './profile-resources.ts';
import { provideDocumentBundle, publishDocumentReference } from './provide-interactions.ts';
import type { QueryParams } from './search-params.ts';
import { PDSM_SUBMISSION_SET_PROFILE } from './document-systems.ts';
import {
  FR_CORE_PATIENT_INS_PROFILE,
  FR_CORE_PATIENT_PROFILE,
  FR_CORE_PRACTITIONER_PROFILE,
} from './systems.ts';

export type SearchParamDefinition = CapabilityStatementRestResourceSearchParam & {
  readonly name: string;
  readonly type: NonNullable<CapabilityStatementRestResourceSearchParam['type']>;
};

/** A FHIR request as the handler sees it, whatever the framework: path, query, body, the headers FHIR reads. */
export interface FhirRequest {
  /** The logical id of an instance interaction. */
  readonly id: string;
  /** Other path segments of the route (`attachmentId`). */
  readonly path: Readonly<Record<string, string>>;
  /** The query (and, for `POST _search`, the form body), each name's values grouped. */
  readonly query: QueryParams;
  /** The same parameters in the order sent (a repeated one keeps its place, for the `self` link). */
  readonly pairs: SearchPairs;
  readonly body: unknown;
  /** `Prefer` (FHIR: `handling=strict|lenient`). */
  readonly prefer: string | string[] | undefined;
  /** Whether the client named a FHIR format, on a route that may answer raw bytes. */
  readonly fhirFormatNamed: boolean;
}

/** What a handler answers: a resource (with its status and location), or bytes of their own type. */
export type FhirResponse =
  | {
      readonly kind: 'resource';
      readonly resource: unknown;
      readonly status?: 200 | 201;
      readonly location?: string;
      readonly headers?: Readonly<Record<string, string>>;
    }
  | {
      readonly kind: 'bytes';
      readonly contentType: string;
      readonly bytes: Buffer;
      readonly headers?: Readonly<Record<string, string>>;
    };

export type FhirHandler = (call: FhirCall, request: FhirRequest) => Promise<FhirResponse>;

interface RouteBase {
  readonly handler: FhirHandler;
  /**
   * The audit channel the interaction runs in (IHE BALP): its transaction code, and whether the search query is
   * recorded (sealed). Absent: the services' traces carry no channel.
   */
  readonly audit?: { readonly transaction?: AuditTransaction; readonly query?: boolean };
  /** The body may carry document contents (base64): the body limit follows the content limits. */
  readonly carriesContent?: boolean;
  /** The route may answer bytes of their own type (any `Accept` is acceptable). */
  readonly rawContent?: boolean;
}

/** One route of the FHIR API. The interaction decides its method and path. */
export type FhirRoute = RouteBase &
  (
    | { readonly interaction: 'read' | 'create' | 'update' | 'patch'; readonly type: string }
    | {
        readonly interaction: 'search-type';
        readonly type: string;
        readonly searchParams: readonly SearchParamDefinition[];
        /** Also answered by `POST <type>/_search` with a form body. */
        readonly viaPost?: boolean;
      }
    /** `PATCH <type>?<search>`: declared as the type's `patch` interaction. */
    | { readonly interaction: 'conditional-patch'; readonly type: string }
    | { readonly interaction: 'transaction'; readonly documentation: string }
    | {
        readonly interaction: 'operation';
        readonly type: string;
        readonly operation: CapabilityStatementRestResourceOperation & { readonly name: string };
      }
    /** A sub-resource of an instance, not a FHIR interaction (`Communication/<id>/attachment/<id>`): undeclared. */
    | { readonly interaction: 'sub-resource'; readonly type: string; readonly subPath: string }
  );

/** What the CapabilityStatement says of a resource beyond its routes. */
export interface ResourceDescription {
  readonly documentation?: string;
  readonly supportedProfile?: readonly string[];
  readonly conditionalUpdate?: boolean;
}

/** HTTP method and path (Fastify syntax, under the FHIR base) of a route. */
export function routePaths(route: FhirRoute): { method: 'GET' | 'POST' | 'PUT' | 'PATCH'; path: string }[] {
  switch (route.interaction) {
    case 'read':
      return [{ method: 'GET', path: `/${route.type}/:id` }];
    case 'search-type':
      return [
        { method: 'GET', path: `/${route.type}` },
        ...(route.viaPost ? [{ method: 'POST' as const, path: `/${route.type}/_search` }] : []),
      ];
    case 'create':
      return [{ method: 'POST', path: `/${route.type}` }];
    case 'update':
      return [{ method: 'PUT', path: `/${route.type}/:id` }];
    case 'patch':
      return [{ method: 'PATCH', path: `/${route.type}/:id` }];
    case 'conditional-patch':
      return [{ method: 'PATCH', path: `/${route.type}` }];
    case 'transaction':
      return [
        { method: 'POST', path: '' },
        { method: 'POST', path: '/' },
      ];
    case 'operation':
      return [{ method: 'GET', path: `/${route.type}/:id/$${route.operation.name}` }];
    case 'sub-resource':
      return [{ method: 'GET', path: `/${route.type}/:id/${route.subPath}` }];
  }
}

const resource = (value: unknown): FhirResponse => ({ kind: 'resource', resource: value });
const created = (value: unknown, location?: string): FhirResponse => ({
  kind: 'resource',
  resource: value,
  status: 201,
  ...(location ? { location } : {}),
});

const page: SearchParamDefinition[] = [
  { name: '_count', type: 'number' },
  { name: '_offset', type: 'number' },
];
const patientParams: SearchParamDefinition[] = [
  { name: 'patient', type: 'reference' },
  { name: 'patient.identifier', type: 'token', documentation: 'The patient by INS.' },
];

const profileResourceDocumentation =
  'Part of the patient’s medical profile (entered by the patient, the Assurance Maladie or an app).';

/**
 * The medical profile's resources: read under the habilitation matrix and the patient's masks, part by part;
 * measurements (Observation) are also created by connected apps with the write-measurements purpose.
 */
const profileRoutes: FhirRoute[] = profileResourceTypes.flatMap((type): FhirRoute[] => [
  {
    interaction: 'read',
    type,
    handler: async (call, r) => resource(await readProfileResource(call, type, r.id)),
  },
  {
    interaction: 'search-type',
    type,
    searchParams: [
      ...patientParams,
      ...(codeSearchTypes.has(type) ? [{ name: 'code', type: 'token' } as const] : []),
      ...(type === 'Observation' ? [{ name: 'category', type: 'token' } as const] : []),
      ...page,
    ],
    handler: async (call, r) => resource(await searchProfileResources(call, type, r.query)),
  },
  ...(type === 'Observation'
    ? [
        {
          interaction: 'create',
          type,
          handler: async (call, r) => {
            const { resource: observation, location } = await createObservation(call, r.body);
            return created(observation, location);
          },
        } satisfies FhirRoute,
      ]
    : []),
]);

/** Every route of the FHIR API, in the order the CapabilityStatement lists resources and interactions. */
export const fhirRoutes: readonly FhirRoute[] = [
  {
    interaction: 'read',
    type: 'Patient',
    handler: async (call, r) => resource(await readPatient(call, r.id)),
  },
  {
    interaction: 'search-type',
    type: 'Patient',
    searchParams: [
      {
        name: 'identifier',
        type: 'token',
        documentation:
          'Matricule INS: urn:oid:1.2.250.1.213.1.4.8|<INS> (NIR; .9 NIA, .10 and .11 the test and ' +
          'demonstration ranges).',
      },
    ],
    handler: async (call, r) => resource(await searchPatients(call, r.query)),
  },
  {
    interaction: 'operation',
    type: 'Patient',
    operation: {
      name: 'summary',
      definition: 'http://hl7.org/fhir/uv/ips/OperationDefinition/summary',
      documentation:
        'GET Patient/<id>/$summary: the International Patient Summary (CI-SIS IPS-FR) as a document ' +
        'Bundle shaped like the HL7 IPS, built from the profile, the latest VSM and the vaccinations the ' +
        'reader may see (habilitation matrix, the patient’s masks).',
    },
    // An audit channel without transaction code, as every record interaction.
    audit: {},
    handler: async (call, r) => {
      const person = await patientById(call.ctx.db, r.id, 'id');
      return resource(
        buildIpsBundle(await patientSummary(call.ctx, call.principal, person.id), call.fhirBase),
      );
    },
  },
  {
    interaction: 'read',
    type: 'Practitioner',
    handler: async (call, r) => resource(await readPractitioner(call, r.id)),
  },
  {
    interaction: 'read',
    type: 'DocumentReference',
    audit: {},
    handler: async (call, r) => resource(await readDocumentReference(call, r.id)),
  },
  {
    // ITI-67, by GET or by POST _search (the same answer).
    interaction: 'search-type',
    type: 'DocumentReference',
    searchParams: documentSearchParams() as SearchParamDefinition[],
    viaPost: true,
    audit: { transaction: 'ITI-67', query: true },
    handler: async (call, r) =>
      resource(await searchDocumentReferences(call, r.pairs, searchHandling(r.prefer))),
  },
  {
    // ITI-105: one document with its content inline.
    interaction: 'create',
    type: 'DocumentReference',
    audit: { transaction: 'ITI-105' },
    carriesContent: true,
    handler: async (call, r) => {
      const { resource: published, location } = await publishDocumentReference(call, r.body);
      return created(published, location);
    },
  },
  {
    interaction: 'patch',
    type: 'DocumentReference',
    audit: { transaction: 'PATCH' },
    handler: async (call, r) => resource(await patchDocumentReference(call, r.id, r.body)),
  },
  {
    interaction: 'conditional-patch',
    type: 'DocumentReference',
    audit: { transaction: 'PATCH' },
    handler: async (call, r) => resource(await conditionalPatchDocumentReference(call, r.query, r.body)),
  },
  {
    interaction: 'read',
    type: 'List',
    audit: {},
    handler: async (call, r) => resource(await readList(call, r.id)),
  },
  {
    // ITI-66: its trace follows IHE MHD's Find Document Lists audit (the query, sealed).
    interaction: 'search-type',
    type: 'List',
    searchParams: [...(listSearchParameters as SearchParamDefinition[]), ...page],
    audit: { transaction: 'ITI-66', query: true },
    handler: async (call, r) =>
      resource(await searchLists(call, r.query, { strict: searchHandling(r.prefer) === 'strict' })),
  },
  {
    // ITI-68. Clients naming a FHIR format (`_format`, or FHIR JSON/XML in Accept) get a Binary resource.
    interaction: 'read',
    type: 'Binary',
    audit: { transaction: 'ITI-68' },
    rawContent: true,
    handler: async (call, r) => {
      const binary = await retrieveBinary(call, r.id);
      const headers = { 'cache-control': 'no-store' };
      return r.fhirFormatNamed
        ? { kind: 'resource', resource: binary.resource(), headers }
        : { kind: 'bytes', contentType: binary.contentType, bytes: binary.bytes, headers };
    },
  },
  {
    interaction: 'create',
    type: 'Consent',
    audit: {},
    handler: async (call, r) => created(await createConsent(call, r.body)),
  },
  {
    interaction: 'search-type',
    type: 'AuditEvent',
    searchParams: [{ name: 'patient', type: 'reference' }],
    audit: {},
    handler: async (call, r) => resource(await searchAuditEvents(call, r.query)),
  },
  {
    interaction: 'read',
    type: 'Communication',
    handler: async (call, r) => resource(await readCommunication(call, r.id)),
  },
  {
    interaction: 'search-type',
    type: 'Communication',
    // `patient` is read but not declared: a patient's token reads its own mailbox only, so naming it changes nothing.
    searchParams: page,
    handler: async (call, r) => resource(await searchCommunications(call, r.query)),
  },
  {
    // The sender chose these bytes: always a download, never rendered by the browser.
    interaction: 'sub-resource',
    type: 'Communication',
    subPath: 'attachment/:attachmentId',
    rawContent: true,
    handler: async (call, r) => {
      const file = await communicationAttachment(call, r.id, r.path.attachmentId ?? '');
      const name = file.filename.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 100) || 'piece-jointe';
      return {
        kind: 'bytes',
        contentType: file.contentType,
        bytes: file.content,
        headers: {
          'content-disposition': `attachment; filename="${name}"`,
          'cache-control': 'no-store',
          'content-security-policy': "default-src 'none'; sandbox",
        },
      };
    },
  },
  ...profileRoutes,
  {
    interaction: 'search-type',
    type: 'ExplanationOfBenefit',
    searchParams: [...patientParams, ...page],
    handler: async (call, r) => resource(await searchExplanationsOfBenefit(call, r.query)),
  },
  {
    interaction: 'read',
    type: 'Appointment',
    handler: async (call, r) => resource(await readAppointment(call, r.id)),
  },
  {
    interaction: 'create',
    type: 'Appointment',
    handler: async (call, r) => {
      const appointment = await createAppointment(call, r.body);
      return created(appointment, `${call.fhirBase}/Appointment/${appointment.id}/_history/1`);
    },
  },
  {
    interaction: 'update',
    type: 'Appointment',
    handler: async (call, r) => resource(await updateAppointment(call, r.id, r.body)),
  },
  {
    interaction: 'search-type',
    type: 'Appointment',
    searchParams: [
      { name: 'patient', type: 'reference' },
      { name: 'date', type: 'date' },
      { name: 'status', type: 'token' },
      ...page,
    ],
    handler: async (call, r) => resource(await searchAppointments(call, r.query)),
  },
  {
    interaction: 'transaction',
    documentation: 'ITI-65: provide document bundle (all or nothing).',
    audit: { transaction: 'ITI-65' },
    carriesContent: true,
    handler: async (call, r) => resource(await provideDocumentBundle(call, r.body)),
  },
];

/** What the CapabilityStatement says of each resource type beyond its routes. */
export const fhirResources: Readonly<Record<string, ResourceDescription>> = {
  Patient: {
    // fr-core-patient-ins when the identity carries every INS trait (birth place included).
    supportedProfile: [FR_CORE_PATIENT_INS_PROFILE, FR_CORE_PATIENT_PROFILE],
  },
  Practitioner: { supportedProfile: [FR_CORE_PRACTITIONER_PROFILE] },
  DocumentReference: {
    documentation:
      'ITI-105 (create with inline content), ITI-67 (search by GET or POST _search, newest deposit first), ' +
      'read, PATCH of securityLabel.',
    conditionalUpdate: false,
  },
  List: {
    supportedProfile: [PDSM_SUBMISSION_SET_PROFILE],
    documentation:
      'The submission sets of ITI-65 (and of ITI-105, one per document) as PDSm Lists: read, ITI-66 ' +
      'find document lists. Entries are the documents the reader may see.',
  },
  Binary: {
    documentation:
      'ITI-68: the exact bytes of a document; the Binary resource when the client names a FHIR format.',
  },
  Consent: { documentation: "A professional declares the patient's consent." },
  AuditEvent: { documentation: "The patient's own access traces (patient token), or an auditor's." },
  Communication: {
    documentation:
      "The patient's MSSanté messages, newest first (patient token only); each attachment is downloaded " +
      'from its payload URL with the same token.',
  },
  ...Object.fromEntries(
    profileResourceTypes.map((type) => [type, { documentation: profileResourceDocumentation }]),
  ),
  ExplanationOfBenefit: {
    documentation:
      'Reimbursed care from the Assurance Maladie ("Mon histoire de santé"); the patient may mask it (then ' +
      'only their administrateurs read it).',
  },
  Appointment: {
    documentation:
      'The patient’s agenda: professional software or a connected app pushes appointments to an open record ' +
      'that has not blocked it, and only its author reschedules or cancels one (update, status cancelled); ' +
      'searching needs consultation rights (or the read-agenda purpose).',
  },
};

/** The resource types some route answers, in the table's order. */
export function routedTypes(routes: readonly FhirRoute[] = fhirRoutes): string[] {
  return [...new Set(routes.flatMap((r) => ('type' in r ? [r.type] : [])))];
}

/** A `POST _search` carries its parameters as a form; anything else is refused before the search runs. */
export function checkSearchForm(contentType: string | undefined, body: unknown): void {
  if (body !== undefined && !/^application\/x-www-form-urlencoded/i.test(contentType ?? '')) {
    throw new CarnetError(
      'unsupported-media-type',
      'search-body-not-form',
      'Une recherche par POST envoie ses paramètres en application/x-www-form-urlencoded.',
    );
  }
}
