import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../access/principal.ts';
import type { AppContext } from '../../app/context.ts';
import { createConsent, searchAuditEvents } from '../../fhir/consent-interactions.ts';
import {
  conditionalPatchDocumentReference,
  patchDocumentReference,
  readDocumentReference,
  retrieveBinary,
  searchDocumentReferences,
} from '../../fhir/document-interactions.ts';
import { searchHandling, searchPairs } from '../../fhir/document-search-params.ts';
import { provideDocumentBundle, publishDocumentReference } from '../../fhir/provide-interactions.ts';
import type { QueryParams } from '../../fhir/search-params.ts';
import { contentLimits } from '../../record/content/index.ts';
import { fhirInteractions, searchQueryOf } from './fhir-audit-channel.ts';
import { negotiatedFormat } from '../fhir-formats.ts';
import { CarnetError } from '../../shared/errors.ts';

type Params = { Params: { id: string } };

/** Base64 grows content by 4/3; a bundle carries its metadata beside it. */
function bodyLimitFor(ctx: AppContext): number {
  const limits = contentLimits(ctx.config);
  return Math.ceil((Math.max(limits.professionalMaxBytes, limits.patientMaxBytes) * 4) / 3) + 1024 * 1024;
}

/** The form body's parameters: as sent, or as a form parser grouped them (each name's values in order). */
const formPairs = (body: unknown): [string, string][] =>
  typeof body === 'string'
    ? [...new URLSearchParams(body)]
    : body !== null && typeof body === 'object'
      ? searchPairs(body as QueryParams)
      : [];
/** The URL's parameters in the order sent (a repeated one keeps its place, for the `self` link). */
const urlPairs = (request: FastifyRequest): [string, string][] => {
  const query = request.url.indexOf('?');
  return query === -1 ? [] : [...new URLSearchParams(request.url.slice(query + 1))];
};

/** The document routes of the FHIR base (IHE MHD as profiled by the ANS PDSm): ITI-65, 105, 67, 68, PATCH. */
export async function registerFhirDocuments(
  fhir: FastifyInstance,
  ctx: AppContext,
  authenticate: (request: FastifyRequest) => Promise<Principal>,
): Promise<void> {
  const bodyLimit = bodyLimitFor(ctx);
  const { within } = fhirInteractions(ctx, authenticate);

  const transaction = async (request: FastifyRequest) =>
    within(request, 'ITI-65', (c) => provideDocumentBundle(c, request.body));
  fhir.post('/fhir', { bodyLimit }, transaction);
  fhir.post('/fhir/', { bodyLimit }, transaction);

  fhir.post('/fhir/DocumentReference', { bodyLimit }, async (request, reply: FastifyReply) => {
    const { resource, location } = await within(request, 'ITI-105', (c) =>
      publishDocumentReference(c, request.body),
    );
    return reply.status(201).header('location', location).send(resource);
  });

  fhir.get('/fhir/DocumentReference', async (request) =>
    within(
      request,
      'ITI-67',
      (c) => searchDocumentReferences(c, urlPairs(request), searchHandling(request.headers.prefer)),
      searchQueryOf(request),
    ),
  );

  // ITI-67 by POST: the same search, its parameters in the form body and/or the URL (the same answer as GET).
  fhir.post('/fhir/DocumentReference/_search', async (request) => {
    const type = request.headers['content-type'] ?? '';
    if (request.body !== undefined && !/^application\/x-www-form-urlencoded/i.test(type)) {
      throw new CarnetError(
        'unsupported-media-type',
        'search-body-not-form',
        'Une recherche par POST envoie ses paramètres en application/x-www-form-urlencoded.',
      );
    }
    return within(
      request,
      'ITI-67',
      (c) =>
        searchDocumentReferences(
          c,
          [...urlPairs(request), ...formPairs(request.body)],
          searchHandling(request.headers.prefer),
        ),
      searchQueryOf(request),
    );
  });

  fhir.get<Params>('/fhir/DocumentReference/:id', async (request) =>
    within(request, undefined, (c) => readDocumentReference(c, request.params.id)),
  );

  fhir.patch<Params>('/fhir/DocumentReference/:id', async (request) =>
    within(request, 'PATCH', (c) => patchDocumentReference(c, request.params.id, request.body)),
  );

  fhir.patch('/fhir/DocumentReference', async (request) =>
    within(request, 'PATCH', (c) =>
      conditionalPatchDocumentReference(c, request.query as QueryParams, request.body),
    ),
  );

  // Clients naming a FHIR format (`_format`, or FHIR JSON/XML in Accept) get a Binary resource; others the bytes.
  fhir.get<Params>('/fhir/Binary/:id', { config: { fhirRawContent: true } }, async (request, reply) => {
    const binary = await within(request, 'ITI-68', (c) => retrieveBinary(c, request.params.id));
    reply.header('cache-control', 'no-store');
    if (negotiatedFormat(request)) return binary.resource();
    return reply.type(binary.contentType).send(binary.bytes);
  });

  fhir.post('/fhir/Consent', async (request, reply) =>
    reply.status(201).send(await within(request, undefined, (c) => createConsent(c, request.body))),
  );

  fhir.get('/fhir/AuditEvent', async (request) =>
    within(request, undefined, (c) => searchAuditEvents(c, request.query as QueryParams)),
  );
}
