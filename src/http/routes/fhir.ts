import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.ts';
import { verifyBearer } from '../../auth/bearer.ts';
import { capabilityStatement } from '../../fhir/capability-statement.ts';
import { registerFhirCommunications } from './fhir-communications.ts';
import { readPatient, readPractitioner, searchPatients, type FhirCall } from '../../fhir/interactions.ts';
import type { QueryParams } from '../../fhir/search-params.ts';
import { registerFhirFormats } from '../fhir-formats.ts';
import { notFound } from '../../shared/errors.ts';
import { registerFhirDocuments } from './fhir-documents.ts';
import { registerFhirLists } from './fhir-lists.ts';
import { registerFhirProfile } from './fhir-profile.ts';
import { registerFhirCareHistory } from './fhir-care-history.ts';
import { registerFhirAppointment } from './fhir-appointment.ts';
import { registerFhirSummary } from './fhir-summary.ts';

const supportedTypes = new Set([
  'metadata',
  'Patient',
  'Practitioner',
  'DocumentReference',
  'Binary',
  'List',
  'Consent',
  'AuditEvent',
  'Communication',
  'MedicationStatement',
  'AllergyIntolerance',
  'Condition',
  'FamilyMemberHistory',
  'Immunization',
  'Observation',
  'RelatedPerson',
  'Encounter',
  'ExplanationOfBenefit',
  'Appointment',
]);

function softwareVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** RFC 6750 §3: a 401 names the scheme; `invalid_token` only when a token was presented. */
function wwwAuthenticate(request: FastifyRequest): string {
  return request.headers.authorization
    ? 'Bearer realm="Carnet", error="invalid_token"'
    : 'Bearer realm="Carnet"';
}

/**
 * The FHIR R4 base at /fhir (docs/fhir.md): metadata, Patient search and read, Practitioner read; the document
 * interactions (MHD) live in `fhir-documents.ts`.
 */
export async function registerFhir(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const fhirBase = `${ctx.config.baseUrl}/fhir`;
  const metadata = capabilityStatement({
    fhirBase,
    tokenIssuer: ctx.config.oidc?.issuer ?? `${ctx.config.baseUrl}/idp`,
    date: ctx.clock.now().toISOString(),
    softwareVersion: softwareVersion(),
    patientAuthorization: {
      authorize: `${ctx.config.baseUrl}/oauth/authorize`,
      token: `${ctx.config.baseUrl}/oauth/token`,
      revoke: `${ctx.config.baseUrl}/oauth/revoke`,
    },
  });

  /** Authenticates the bearer token (every interaction but metadata); the format was negotiated on request. */
  async function callOf(request: FastifyRequest): Promise<FhirCall> {
    const principal = await verifyBearer(ctx, request.headers.authorization);
    return { db: ctx.db, principal, fhirBase };
  }

  // An encapsulated plugin, so that its hooks and body parsers apply to the FHIR routes only.
  await app.register(async (fhir) => {
    registerFhirFormats(fhir);
    fhir.addHook('onSend', async (request, reply) => {
      if (reply.statusCode === 401) reply.header('www-authenticate', wwwAuthenticate(request));
    });

    // Served without a token, as FHIR servers do: clients discover how to authenticate from it.
    fhir.get('/fhir/metadata', async () => metadata);

    fhir.get('/fhir/Patient', async (request) =>
      searchPatients(await callOf(request), request.query as QueryParams),
    );

    fhir.get<{ Params: { id: string } }>('/fhir/Patient/:id', async (request) =>
      readPatient(await callOf(request), request.params.id),
    );

    fhir.get<{ Params: { id: string } }>('/fhir/Practitioner/:id', async (request) =>
      readPractitioner(await callOf(request), request.params.id),
    );

    await registerFhirDocuments(fhir, ctx, async (request) => (await callOf(request)).principal);
    registerFhirLists(fhir, ctx, async (request) => (await callOf(request)).principal);
    registerFhirCommunications(fhir, ctx, async (request) => (await callOf(request)).principal);
    registerFhirProfile(fhir, ctx, async (request) => (await callOf(request)).principal);
    registerFhirCareHistory(fhir, ctx, async (request) => (await callOf(request)).principal);
    registerFhirAppointment(fhir, ctx, async (request) => (await callOf(request)).principal);
    registerFhirSummary(fhir, ctx, async (request) => (await callOf(request)).principal);

    fhir.all<{ Params: { '*': string } }>('/fhir/*', async (request) => {
      const type = request.params['*'].split(/[/?]/)[0] ?? '';
      if (supportedTypes.has(type)) {
        throw notFound('interaction-not-supported', 'Cette opération FHIR n’est pas prise en charge.');
      }
      throw notFound(
        'resource-type-not-supported',
        `Le type de ressource « ${type.slice(0, 64)} » n’est pas pris en charge.`,
      );
    });
  });
}
