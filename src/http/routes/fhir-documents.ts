import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../access/principal.ts';
import type { AppContext } from '../../app/context.ts';
import { createConsent, searchAuditEvents } from '../../fhir/consent-interactions.ts';
import type { DocumentCall } from '../../fhir/document-call.ts';
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
import { CarnetError, invalid } from '../../shared/errors.ts';

type Params = { Params: { id: string } };

/** Base64 grows content by 4/3; a bundle carries its metadata beside it. */
function bodyLimitFor(ctx: AppContext): number {
  const limits = contentLimits(ctx.config);
  return Math.ceil((Math.max(limits.professionalMaxBytes, limits.patientMaxBytes) * 4) / 3) + 1024 * 1024;
}

/** FHIR's JSON media types; a bad body is a 400 OperationOutcome like every other refusal. */
function addJsonParsers(fhir: FastifyInstance): void {
  fhir.addContentTypeParser(
    ['application/fhir+json', 'application/json-patch+json'],
    { parseAs: 'string' },
    (_request, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(invalid('json-invalid', 'Le corps de la requête n’est pas du JSON valide.'), undefined);
      }
    },
  );
}

/** The form body of `POST [type]/_search` (FHIR http.html#search), as ordered pairs. */
function addFormParser(fhir: FastifyInstance): void {
  fhir.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 64 * 1024 },
    // Kept as sent: read in order below (and by the audit of the query).
    (_request, body, done) => done(null, body),
  );
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

/** Clients asking for FHIR JSON get a Binary resource; others get the exact bytes (ITI-68). */
const wantsFhirJson = (request: FastifyRequest) =>
  /application\/(fhir\+)?json/.test(request.headers.accept ?? '');

/** The document routes of the FHIR base (IHE MHD as profiled by the ANS PDSm): ITI-65, 105, 67, 68, PATCH. */
export async function registerFhirDocuments(
  fhir: FastifyInstance,
  ctx: AppContext,
  authenticate: (request: FastifyRequest) => Promise<Principal>,
): Promise<void> {
  const fhirBase = `${ctx.config.baseUrl}/fhir`;
  const bodyLimit = bodyLimitFor(ctx);
  const call = async (request: FastifyRequest): Promise<DocumentCall> => ({
    ctx,
    principal: await authenticate(request),
    fhirBase,
  });
  addJsonParsers(fhir);
  addFormParser(fhir);

  const transaction = async (request: FastifyRequest) =>
    provideDocumentBundle(await call(request), request.body);
  fhir.post('/fhir', { bodyLimit }, transaction);
  fhir.post('/fhir/', { bodyLimit }, transaction);

  fhir.post('/fhir/DocumentReference', { bodyLimit }, async (request, reply: FastifyReply) => {
    const { resource, location } = await publishDocumentReference(await call(request), request.body);
    return reply.status(201).header('location', location).send(resource);
  });

  fhir.get('/fhir/DocumentReference', async (request) =>
    searchDocumentReferences(await call(request), urlPairs(request), searchHandling(request.headers.prefer)),
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
    return searchDocumentReferences(
      await call(request),
      [...urlPairs(request), ...formPairs(request.body)],
      searchHandling(request.headers.prefer),
    );
  });

  fhir.get<Params>('/fhir/DocumentReference/:id', async (request) =>
    readDocumentReference(await call(request), request.params.id),
  );

  fhir.patch<Params>('/fhir/DocumentReference/:id', async (request) =>
    patchDocumentReference(await call(request), request.params.id, request.body),
  );

  fhir.patch('/fhir/DocumentReference', async (request) =>
    conditionalPatchDocumentReference(await call(request), request.query as QueryParams, request.body),
  );

  fhir.get<Params>('/fhir/Binary/:id', async (request, reply) => {
    const binary = await retrieveBinary(await call(request), request.params.id);
    reply.header('cache-control', 'no-store');
    if (wantsFhirJson(request)) return binary.resource();
    return reply.type(binary.contentType).send(binary.bytes);
  });

  fhir.post('/fhir/Consent', async (request, reply) =>
    reply.status(201).send(await createConsent(await call(request), request.body)),
  );

  fhir.get('/fhir/AuditEvent', async (request) =>
    searchAuditEvents(await call(request), request.query as QueryParams),
  );
}
