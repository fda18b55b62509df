import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../../access/principal.ts';
import type { AppContext } from '../../app/context.ts';
import { readList, searchLists } from '../../fhir/list-interactions.ts';
import type { QueryParams } from '../../fhir/search-params.ts';
import { fhirInteractions, searchQueryOf } from './fhir-audit-channel.ts';
import { searchHandling } from '../../fhir/document-search-params.ts';

type Params = { Params: { id: string } };

/** Submission sets as PDSm `List` resources: read (the ITI-65 response's location) and ITI-66 search. */
export function registerFhirLists(
  fhir: FastifyInstance,
  ctx: AppContext,
  authenticate: (request: FastifyRequest) => Promise<Principal>,
): void {
  const { within } = fhirInteractions(ctx, authenticate);
  fhir.get('/fhir/List', async (request) =>
    // ITI-66: its trace follows IHE MHD's Find Document Lists audit (the query, sealed).
    within(
      request,
      'ITI-66',
      (c) =>
        searchLists(c, request.query as QueryParams, {
          strict: searchHandling(request.headers.prefer) === 'strict',
        }),
      searchQueryOf(request),
    ),
  );
  fhir.get<Params>('/fhir/List/:id', async (request) =>
    within(request, undefined, (c) => readList(c, request.params.id)),
  );
}
