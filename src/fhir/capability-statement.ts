import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes';
import {
  FHIR_VERSION,
  FR_CORE_PATIENT_INS_PROFILE,
  FR_CORE_PATIENT_PROFILE,
  FR_CORE_PRACTITIONER_PROFILE,
  PDSM_DOCUMENT_SHARING_CAPABILITY,
  PDSM_IMPLEMENTATION_GUIDE,
} from './systems.ts';
import { PDSM_SUBMISSION_SET_PROFILE } from './document-systems.ts';
import { documentSearchParams } from './document-search-params.ts';
import { codeSearchTypes } from './profile-resources.ts';

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

const read = { code: 'read' } as const;
type SearchParam = NonNullable<CapabilityStatementRestResource['searchParam']>[number];
const pageParams: SearchParam[] = [
  { name: '_count', type: 'number' },
  { name: '_offset', type: 'number' },
];
const patientParams: SearchParam[] = [
  { name: 'patient', type: 'reference' },
  { name: 'patient.identifier', type: 'token', documentation: 'The patient by INS.' },
];

/**
 * The medical profile's resources: read under the habilitation matrix and the patient's masks, part by part;
 * measurements (Observation) are also created by connected apps with the write-measurements purpose.
 */
const codeParam: SearchParam = { name: 'code', type: 'token' };
const categoryParam: SearchParam = { name: 'category', type: 'token' };
const profileResources: CapabilityStatementRestResource[] = (
  [
    'MedicationStatement',
    'AllergyIntolerance',
    'Condition',
    'Encounter',
    'FamilyMemberHistory',
    'Immunization',
    'Observation',
    'RelatedPerson',
  ] as const
).map((type) => ({
  type,
  documentation:
    'Part of the patient’s medical profile (entered by the patient, the Assurance Maladie or an app).',
  interaction:
    type === 'Observation'
      ? [read, { code: 'search-type' }, { code: 'create' }]
      : [read, { code: 'search-type' }],
  searchParam: [
    ...patientParams,
    ...(codeSearchTypes.has(type) ? [codeParam] : []),
    ...(type === 'Observation' ? [categoryParam] : []),
    ...pageParams,
  ],
}));

/**
 * What Carnet's FHIR server does: the FR Core base and the document sharing of the ANS PDSm profile (IHE MHD), in
 * FHIR JSON and XML. It names the PDSm document sharing manager it implements (`instantiates`); each resource below
 * lists exactly the interactions and search parameters that work.
 */
export function capabilityStatement(input: CapabilityInput): CapabilityStatement {
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
    // Every read, search and transaction, by `_format`, `Accept` and `Content-Type` (src/http/fhir-formats.ts).
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
        resource: [
          {
            type: 'Patient',
            // fr-core-patient-ins when the identity carries every INS trait (birth place included).
            supportedProfile: [FR_CORE_PATIENT_INS_PROFILE, FR_CORE_PATIENT_PROFILE],
            interaction: [read, { code: 'search-type' }],
            operation: [
              {
                name: 'summary',
                definition: 'http://hl7.org/fhir/uv/ips/OperationDefinition/summary',
                documentation:
                  'GET Patient/<id>/$summary: the International Patient Summary (CI-SIS IPS-FR) as a document ' +
                  'Bundle shaped like the HL7 IPS, built from the profile, the latest VSM and the vaccinations the ' +
                  'reader may see (habilitation matrix, the patient’s masks).',
              },
            ],
            searchParam: [
              {
                name: 'identifier',
                type: 'token',
                documentation:
                  'Matricule INS: urn:oid:1.2.250.1.213.1.4.8|<INS> (NIR; .9 NIA, .10 and .11 the test and ' +
                  'demonstration ranges).',
              },
            ],
          },
          {
            type: 'Practitioner',
            supportedProfile: [FR_CORE_PRACTITIONER_PROFILE],
            interaction: [read],
          },
          {
            type: 'DocumentReference',
            documentation:
              'ITI-105 (create with inline content), ITI-67 (search by GET or POST _search, newest deposit first), ' +
              'read, PATCH of securityLabel.',
            interaction: [read, { code: 'search-type' }, { code: 'create' }, { code: 'patch' }],
            conditionalUpdate: false,
            searchParam: documentSearchParams(),
          },
          {
            type: 'List',
            supportedProfile: [PDSM_SUBMISSION_SET_PROFILE],
            documentation:
              'The submission sets of ITI-65 (and of ITI-105, one per document) as PDSm Lists: read, ITI-66 ' +
              'find document lists. Entries are the documents the reader may see.',
            interaction: [read, { code: 'search-type' }],
            searchParam: [
              ...patientParams,
              { name: 'code', type: 'token', documentation: 'submissionset (folders are not kept).' },
              { name: 'date', type: 'date' },
              { name: 'designationType', type: 'token' },
              { name: 'identifier', type: 'token' },
              { name: 'sourceId', type: 'token' },
              { name: 'source.given', type: 'string' },
              { name: 'source.family', type: 'string' },
              { name: 'status', type: 'token' },
              ...pageParams,
            ],
          },
          {
            type: 'Binary',
            documentation:
              'ITI-68: the exact bytes of a document; the Binary resource when the client names a FHIR format.',
            interaction: [read],
          },
          {
            type: 'Consent',
            documentation: "A professional declares the patient's consent.",
            interaction: [{ code: 'create' }],
          },
          {
            type: 'AuditEvent',
            documentation: "The patient's own access traces (patient token), or an auditor's.",
            interaction: [{ code: 'search-type' }],
            searchParam: [{ name: 'patient', type: 'reference' }],
          },
          {
            type: 'Communication',
            documentation:
              "The patient's MSSanté messages, newest first (patient token only); each attachment is downloaded " +
              'from its payload URL with the same token.',
            interaction: [read, { code: 'search-type' }],
            searchParam: [
              { name: 'patient', type: 'reference', documentation: "The token's patient when omitted." },
              { name: '_count', type: 'number' },
              { name: '_offset', type: 'number' },
            ],
          },
          ...profileResources,
          {
            type: 'ExplanationOfBenefit',
            documentation:
              'Reimbursed care from the Assurance Maladie ("Mon histoire de santé"); the patient may mask it (then ' +
              'only their administrateurs read it).',
            interaction: [{ code: 'search-type' }],
            searchParam: [...patientParams, ...pageParams],
          },
          {
            type: 'Appointment',
            documentation:
              'The patient’s agenda: professional software or a connected app pushes appointments to an open record ' +
              'that has not blocked it, and only its author reschedules or cancels one (update, status cancelled); ' +
              'searching needs consultation rights (or the read-agenda purpose).',
            interaction: [read, { code: 'create' }, { code: 'update' }, { code: 'search-type' }],
            searchParam: [
              { name: 'patient', type: 'reference' },
              { name: 'date', type: 'date' },
              { name: 'status', type: 'token' },
              ...pageParams,
            ],
          },
        ],
        interaction: [
          { code: 'transaction', documentation: 'ITI-65: provide document bundle (all or nothing).' },
        ],
      },
    ],
  };
}
