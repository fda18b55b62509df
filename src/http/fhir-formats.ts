import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  explicitFhirFormat,
  FHIR_JSON,
  fromFhirXml,
  JSON_BODY_TYPES,
  negotiateOrFail,
  toFhirXml,
  withoutEmpty,
  XML_BODY_TYPES,
  type Negotiated,
} from '../fhir/fhir-format.ts';
import { CarnetError, invalid } from '../shared/errors.ts';
import { MAX_BODY_DEPTH } from './input-guard.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route may answer bytes of their own type rather than a resource (ITI-68 Binary, a message's attachment):
     * any `Accept` is then acceptable, and the answer is a FHIR resource only when the client named a FHIR format.
     */
    fhirRawContent?: boolean;
  }
}

/** The format each FHIR request's answer takes, decided once when the request arrives. */
const answerFormat = new WeakMap<FastifyRequest, Negotiated>();

/** The format negotiated for this request, `undefined` on a raw-content route whose client named none. */
export const negotiatedFormat = (request: FastifyRequest): Negotiated | undefined =>
  answerFormat.get(request);

function formatParam(request: FastifyRequest): string | undefined {
  const value = (request.query as Record<string, string | string[] | undefined>)._format;
  if (Array.isArray(value)) {
    throw invalid(
      'search-parameter-repeated',
      'Le paramètre « _format » ne peut être donné qu’une fois.',
      '_format',
    );
  }
  return value;
}

/**
 * FHIR XML nests about twice as deep as its JSON (a `resource` element around each resource, a `value` attribute
 * in an element): refused beyond twice the JSON limit, before FHIR.js recurses into it.
 */
function parseXml(body: string): unknown {
  let depth = 0;
  for (const [, closing, selfClosing] of body.matchAll(
    /<(\/?)[A-Za-z_][\w.:-]*(?:\s+[^\s=>/]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*(\/?)>/g,
  )) {
    if (closing) depth--;
    else if (!selfClosing && ++depth > 2 * MAX_BODY_DEPTH) {
      throw invalid('body-too-deep', 'Le contenu envoyé est trop imbriqué pour être lu.', 'body');
    }
  }
  return fromFhirXml(body);
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw invalid('json-invalid', 'Le corps de la requête n’est pas du JSON valide.');
  }
}

/** `POST [type]/_search`: the form's parameters, repeated ones as a list, as a query string would give them. */
function parseForm(body: string): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const previous = params[name];
    params[name] = previous === undefined ? value : [previous, value].flat();
  }
  return params;
}

const unsupportedBody = () =>
  new CarnetError(
    'unsupported-media-type',
    'content-type-not-supported',
    'Corps de requête accepté en JSON (application/fhir+json, application/json-patch+json) ou en XML ' +
      '(application/fhir+xml).',
    'Content-Type',
  );

/**
 * FHIR's content negotiation for every route of the FHIR plugin, in one place: the answer's format from `_format`
 * or `Accept` (406 when neither names JSON nor XML), request bodies in JSON or XML (415 otherwise), and resources
 * serialised as negotiated, OperationOutcomes included. Routes return JSON objects and never see XML.
 */
export function registerFhirFormats(fhir: FastifyInstance): void {
  fhir.removeAllContentTypeParsers();
  const run = <T>(parse: () => T, done: (error: Error | null, body?: unknown) => void) => {
    try {
      done(null, parse());
    } catch (error) {
      done(error as Error, undefined);
    }
  };
  fhir.addContentTypeParser(JSON_BODY_TYPES, { parseAs: 'string' }, (_request, body, done) =>
    run(() => parseJson(body as string), done),
  );
  fhir.addContentTypeParser(XML_BODY_TYPES, { parseAs: 'string' }, (_request, body, done) =>
    run(() => parseXml(body as string), done),
  );
  fhir.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => run(() => parseForm(body as string), done),
  );
  fhir.addContentTypeParser('*', (_request, _payload, done) => done(unsupportedBody(), undefined));

  fhir.addHook('onRequest', async (request) => {
    // Until negotiation succeeds, errors (a repeated or unknown `_format`) are answered in JSON.
    answerFormat.set(request, FHIR_JSON);
    const format = formatParam(request);
    const accept = request.headers.accept;
    if (request.routeOptions.config.fhirRawContent) {
      const explicit = explicitFhirFormat(format, accept);
      if (explicit) answerFormat.set(request, explicit);
      else if (format !== undefined) negotiateOrFail(format, undefined);
      else answerFormat.delete(request);
      return;
    }
    answerFormat.set(request, negotiateOrFail(format, accept));
  });

  fhir.addHook('preSerialization', async (_request, _reply, payload) => withoutEmpty(payload) ?? {});

  fhir.addHook('onSend', async (request, reply, payload) => {
    const negotiated = answerFormat.get(request);
    const type = reply.getHeader('content-type');
    // Bytes sent as such (ITI-68, an attachment) pass untouched, whatever their type; everything else the routes
    // send is a resource serialised as FHIR JSON.
    if (!negotiated || typeof payload !== 'string' || (typeof type === 'string' && !type.includes('json'))) {
      return payload;
    }
    reply.type(`${negotiated.mediaType}; charset=utf-8`);
    if (negotiated.format === 'json' || payload === '') return payload;
    return toFhirXml(JSON.parse(payload));
  });
}
