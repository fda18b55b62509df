import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../../access/principal.ts';
import type { AppContext } from '../../app/context.ts';
import {
  communicationAttachment,
  readCommunication,
  searchCommunications,
} from '../../fhir/communication-interactions.ts';
import type { QueryParams } from '../../fhir/search-params.ts';
import { fhirInteractions } from './fhir-audit-channel.ts';

/** The patient's MSSanté messages as FHIR R4 Communication (docs/messaging.md), for a patient's bearer token. */
export function registerFhirCommunications(
  fhir: FastifyInstance,
  ctx: AppContext,
  authenticate: (request: FastifyRequest) => Promise<Principal>,
): void {
  const { call } = fhirInteractions(ctx, authenticate);

  fhir.get('/fhir/Communication', async (request) =>
    searchCommunications(await call(request), request.query as QueryParams),
  );

  fhir.get<{ Params: { id: string } }>('/fhir/Communication/:id', async (request) =>
    readCommunication(await call(request), request.params.id),
  );

  // The sender chose these bytes: always a download, never rendered by the browser.
  fhir.get<{ Params: { id: string; attachmentId: string } }>(
    '/fhir/Communication/:id/attachment/:attachmentId',
    { config: { fhirRawContent: true } },
    async (request, reply) => {
      const file = await communicationAttachment(
        await call(request),
        request.params.id,
        request.params.attachmentId,
      );
      const name = file.filename.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 100) || 'piece-jointe';
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'no-store')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(file.content);
    },
  );
}
