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
import { provideDocumentBundle, publishDocumentReference } from '../../fhir/provide-interactions.ts';
import type { QueryParams } from '../../fhir/search-params.ts';
import { contentLimits } from '../../record/content/index.ts';
import { invalid } from '../../shared/errors.ts';
import type { AuditTransaction } from '../../audit/index.ts';
import { audited, searchQueryOf } from './fhir-audit-channel.ts';

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
  /** Authenticates, then runs the interaction with its audit channel (IHE BALP: transaction, client, query). */
  const within = async <T>(
    request: FastifyRequest,
    transaction: AuditTransaction | undefined,
    work: (documentCall: DocumentCall) => Promise<T>,
    query?: string,
  ): Promise<T> => {
    const documentCall = await call(request);
    return audited(ctx, request, documentCall.principal, transaction, () => work(documentCall), query);
  };
  addJsonParsers(fhir);

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
      (c) => searchDocumentReferences(c, request.query as QueryParams),
      searchQueryOf(request),
    ),
  );

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

  fhir.get<Params>('/fhir/Binary/:id', async (request, reply) => {
    const binary = await within(request, 'ITI-68', (c) => retrieveBinary(c, request.params.id));
    reply.header('cache-control', 'no-store');
    if (wantsFhirJson(request)) return binary.resource();
    return reply.type(binary.contentType).send(binary.bytes);
  });

  fhir.post('/fhir/Consent', async (request, reply) =>
    reply.status(201).send(await within(request, undefined, (c) => createConsent(c, request.body))),
  );

  fhir.get('/fhir/AuditEvent', async (request) =>
    within(request, undefined, (c) => searchAuditEvents(c, request.query as QueryParams)),
  );
}
