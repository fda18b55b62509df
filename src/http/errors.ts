import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CarnetError, normalizeError, toJsonError, toOperationOutcome } from '../shared/index.ts';
import { registerContracts } from './contract.ts';

export const isFhirRequest = (request: FastifyRequest) =>
  request.url === '/fhir' || request.url.startsWith('/fhir/') || request.url.startsWith('/fhir?');

/** Fastify's own errors (bad JSON, body too large, schema validation, bad URL) in our vocabulary. */
function fromFastifyError(error: FastifyError): CarnetError | undefined {
  if (error.code === 'FST_ERR_BAD_URL')
    return new CarnetError(
      'invalid',
      'url-invalid',
      'L’adresse demandée est mal formée (encodage invalide).',
    );
  if (error.validation)
    return new CarnetError(
      'invalid',
      'validation',
      'La requête est incomplète ou mal formée.',
      error.validationContext,
    );
  switch (error.statusCode) {
    case 400:
      return new CarnetError('invalid', 'bad-request', 'La requête est mal formée.');
    case 413:
      return new CarnetError('too-large', 'too-large', 'Le contenu envoyé est trop volumineux.');
    case 415:
      return new CarnetError(
        'unsupported-media-type',
        'unsupported-media-type',
        'Ce type de contenu n’est pas accepté.',
      );
    case 429:
      return new CarnetError(
        'rate-limited',
        'rate-limited',
        'Trop de tentatives. Réessayez dans quelques minutes.',
      );
    default:
      return undefined;
  }
}

/**
 * Errors the router raises before any route is found (a malformed percent-encoding): Fastify answers them outside
 * `setErrorHandler` unless given this as its `frameworkErrors` option.
 */
export function answerFrameworkError(raw: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const error = fromFastifyError(raw) ?? normalizeError(raw);
  if (error.kind === 'internal') request.log.error({ err: raw }, 'request failed');
  void sendError(request, reply, error);
  // Fastify logs no answer for these (src/http/app.ts logs each request once, when answered).
  request.log.info({ req: request, res: { statusCode: error.status } }, 'request completed');
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: CarnetError): FastifyReply {
  if (isFhirRequest(request)) {
    return reply
      .status(error.status)
      .type('application/fhir+json; charset=utf-8')
      .send(toOperationOutcome(error));
  }
  return reply.status(error.status).send(toJsonError(error));
}

/**
 * One error vocabulary at the edge: OperationOutcome under /fhir, `{ error }` JSON elsewhere; requests are read
 * through their route's contract, so that a malformed one is refused in that vocabulary too. Answers are checked
 * against their contract unless `checkResponses` is false (production).
 */
export function registerErrorHandling(
  app: FastifyInstance,
  options: { checkResponses: boolean } = { checkResponses: true },
): void {
  registerContracts(app, options);
  app.setErrorHandler((raw: FastifyError, request, reply) => {
    const known = raw instanceof CarnetError ? raw : fromFastifyError(raw);
    const error = known ?? normalizeError(raw);
    if (error.kind === 'internal') {
      // Logged in full for operators; answered without internals.
      request.log.error({ err: raw }, 'request failed');
    }
    return sendError(request, reply, error);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, new CarnetError('not-found', 'route-not-found', 'Cette adresse n’existe pas.')),
  );
}
