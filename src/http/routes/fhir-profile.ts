import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../../access/index.ts';
import type { AppContext } from '../../app/context.ts';
import type { DocumentCall } from '../../fhir/document-call.ts';
import { readProfileResource, searchProfileResources } from '../../fhir/profile-interactions.ts';
import { profileResourceTypes } from '../../fhir/profile-resources.ts';
import { createObservation } from '../../fhir/observation-create.ts';
import type { QueryParams } from '../../fhir/search-params.ts';

/**
 * Search and read of the medical profile's resources (Immunization, AllergyIntolerance, Observation…), and the
 * creation of measurements (Observation) by a connected app or the patient.
 */
export function registerFhirProfile(
  fhir: FastifyInstance,
  ctx: AppContext,
  principalOf: (request: FastifyRequest) => Promise<Principal>,
): void {
  const fhirBase = `${ctx.config.baseUrl}/fhir`;
  const call = async (request: FastifyRequest): Promise<DocumentCall> => ({
    ctx,
    principal: await principalOf(request),
    fhirBase,
  });
  fhir.post('/fhir/Observation', async (request, reply) => {
    const { resource, location } = await createObservation(await call(request), request.body);
    return reply.status(201).header('location', location).send(resource);
  });
  for (const type of profileResourceTypes) {
    fhir.get(`/fhir/${type}`, async (request) =>
      searchProfileResources(await call(request), type, request.query as QueryParams),
    );
    fhir.get<{ Params: { id: string } }>(`/fhir/${type}/:id`, async (request) =>
      readProfileResource(await call(request), type, request.params.id),
    );
  }
}
