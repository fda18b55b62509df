import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../../access/principal.ts';
import type { AppContext } from '../../app/context.ts';
import type { DocumentCall } from '../../fhir/document-call.ts';
import { readList, searchLists } from '../../fhir/list-interactions.ts';
import type { QueryParams } from '../../fhir/search-params.ts';
import { audited, searchQueryOf } from './fhir-audit-channel.ts';

type Params = { Params: { id: string } };

/** Submission sets as PDSm `List` resources: read (the ITI-65 response's location) and ITI-66 search. */
export function registerFhirLists(
  fhir: FastifyInstance,
  ctx: AppContext,
  authenticate: (request: FastifyRequest) => Promise<Principal>,
): void {
  const fhirBase = `${ctx.config.baseUrl}/fhir`;
  const call = async (request: FastifyRequest): Promise<DocumentCall> => ({
    ctx,
    principal: await authenticate(request),
    fhirBase,
  });
  // `Prefer: handling=strict` makes an unknown search parameter a 400 instead of being left out.
  const strict = (request: FastifyRequest) =>
    /\bhandling\s*=\s*strict\b/i.test(String(request.headers.prefer ?? ''));
  fhir.get('/fhir/List', async (request) => {
    const c = await call(request);
    // ITI-66: its trace follows IHE MHD's Find Document Lists audit (the query, sealed).
    return audited(
      ctx,
      request,
      c.principal,
      'ITI-66',
      () => searchLists(c, request.query as QueryParams, { strict: strict(request) }),
      searchQueryOf(request),
    );
  });
  fhir.get<Params>('/fhir/List/:id', async (request) => {
    const c = await call(request);
    return audited(ctx, request, c.principal, undefined, () => readList(c, request.params.id));
  });
}
