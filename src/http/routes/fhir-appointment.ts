import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../../access/index.ts';
import {
  createAppointment,
  readAppointment,
  searchAppointments,
  updateAppointment,
} from '../../fhir/appointment-fhir.ts';
import type { AppContext } from '../../app/context.ts';
import type { DocumentCall } from '../../fhir/document-call.ts';
import type { QueryParams } from '../../fhir/search-params.ts';

/** The agenda as FHIR `Appointment` (issue 6 §1): create, update, search and read, decided by the agenda policy. */
export function registerFhirAppointment(
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

  fhir.post('/fhir/Appointment', async (request, reply) => {
    const resource = await createAppointment(await call(request), request.body);
    return reply
      .status(201)
      .header('location', `${fhirBase}/Appointment/${resource.id}/_history/1`)
      .send(resource);
  });

  fhir.get('/fhir/Appointment', async (request) =>
    searchAppointments(await call(request), request.query as QueryParams),
  );

  fhir.put<{ Params: { id: string } }>('/fhir/Appointment/:id', async (request) =>
    updateAppointment(await call(request), request.params.id, request.body),
  );

  fhir.get<{ Params: { id: string } }>('/fhir/Appointment/:id', async (request) =>
    readAppointment(await call(request), request.params.id),
  );
}
