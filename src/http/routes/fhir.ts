import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import type { Principal } from '../../access/index.ts';
import type { AppContext } from '../../app/index.ts';
import { withAuditChannel, type AuditChannel } from '../../audit/index.ts';
import { verifyBearer } from '../../auth/index.ts';
import {
  type FhirCall,
  capabilityStatement,
  searchPairs,
  checkSearchForm,
  fhirRoutes,
  routePaths,
  routedTypes,
  type FhirRequest,
  type FhirResponse,
  type FhirRoute,
  type QueryParams,
  explicitFhirFormat,
  FHIR_JSON,
  fromFhirXml,
  JSON_BODY_TYPES,
  negotiateOrFail,
  toFhirXml,
  withoutEmpty,
  XML_BODY_TYPES,
  type Negotiated,
} from '../../fhir/index.ts';
import { contentLimits } from '../../record/index.ts';
import { sealField } from '../../storage/index.ts';
import { CarnetError, invalid, notFound } from '../../shared/index.ts';
import { MAX_BODY_DEPTH } from '../input-guard.ts';

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
const negotiatedFormat = (request: FastifyRequest): Negotiated | undefined => answerFormat.get(request);

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
function registerFhirFormats(fhir: FastifyInstance): void {
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

function softwareVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** RFC 6750 §3: a 401 names the scheme; `invalid_token` only when a token was presented. */
function wwwAuthenticate(request: FastifyRequest): string {
  return request.headers.authorization
    ? 'Bearer realm="Carnet", error="invalid_token"'
    : 'Bearer realm="Carnet"';
}

/** Base64 grows content by 4/3; a bundle carries its metadata beside it. */
function contentBodyLimit(ctx: AppContext): number {
  const limits = contentLimits(ctx.config);
  return Math.ceil((Math.max(limits.professionalMaxBytes, limits.patientMaxBytes) * 4) / 3) + 1024 * 1024;
}

/**
 * The OAuth client of the call: a connected service is its own client; a professional's software is named by the
 * `client_id` (RFC 9068) or `azp` of its access token, already verified by `verifyBearer`.
 */
function clientIdOf(request: FastifyRequest, principal: Principal): string | undefined {
  if (principal.kind === 'app') return principal.serviceId;
  const token = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  if (!token || !token.includes('.')) return undefined;
  try {
    const claims = decodeJwt(token);
    const id = claims.client_id ?? claims.azp;
    return typeof id === 'string' && id.length <= 200 ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The search as sent, relative to the FHIR base (`DocumentReference?patient.identifier=…`), for ITI-66 / ITI-67.
 * A `POST <type>/_search` is recorded as the equivalent GET: its form body joins the URL's parameters.
 */
export function searchQueryOf(request: Pick<FastifyRequest, 'url' | 'method' | 'body'>): string {
  const relative = request.url.replace(/^\/fhir\//, '');
  const search = /^([A-Za-z]+)\/_search(?:\?(.*))?$/.exec(relative);
  if (request.method !== 'POST' || !search) return relative;
  const params = new URLSearchParams(search[2] ?? '');
  for (const [name, value] of formPairs(request.body)) params.append(name, value);
  return `${search[1]}?${params.toString()}`;
}

/** The form body's parameters: as sent, or as a form parser grouped them (each name's values in order). */
function formPairs(body: unknown): [string, string][] {
  if (typeof body === 'string') return [...new URLSearchParams(body)];
  return body !== null && typeof body === 'object' ? searchPairs(body as QueryParams) : [];
}

/** The URL's parameters in the order sent (a repeated one keeps its place, for the `self` link). */
function urlPairs(request: FastifyRequest): [string, string][] {
  const query = request.url.indexOf('?');
  return query === -1 ? [] : [...new URLSearchParams(request.url.slice(query + 1))];
}

/** Pairs grouped by name, as a query parser gives them. */
function grouped(pairs: readonly (readonly [string, string])[]): QueryParams {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of pairs) {
    const previous = query[name];
    query[name] = previous === undefined ? value : [previous, value].flat();
  }
  return query;
}

/**
 * The FHIR R4 base at /fhir: metadata, and every route of the table in src/fhir/router.ts. This adapter
 * authenticates the bearer token, opens the interaction's audit channel, hands the handler the request, and
 * serialises its answer; formats and errors (OperationOutcome) are negotiated by `registerFhirFormats` above.
 */
export async function registerFhir(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const fhirBase = `${ctx.config.baseUrl}/fhir`;
  const metadata = capabilityStatement({
    fhirBase,
    tokenIssuer: ctx.config.oidc?.issuer ?? `${ctx.config.baseUrl}/idp`,
    date: ctx.clock.now().toISOString(),
    softwareVersion: softwareVersion(),
    patientAuthorization: {
      authorize: `${ctx.config.baseUrl}/oauth/authorize`,
      token: `${ctx.config.baseUrl}/oauth/token`,
      revoke: `${ctx.config.baseUrl}/oauth/revoke`,
    },
  });
  const supportedTypes = new Set(['metadata', ...routedTypes()]);
  const bodyLimit = contentBodyLimit(ctx);

  /** Runs one route: the bearer token authenticated, then the handler within its audit channel. */
  async function run(route: FhirRoute, request: FastifyRequest, reply: FastifyReply, viaPost: boolean) {
    // A body that is no form is refused before the token is looked at, as it always was.
    if (viaPost) checkSearchForm(request.headers['content-type'], request.body);
    const principal = await verifyBearer(ctx, request.headers.authorization);
    const call: FhirCall = { ctx, principal, fhirBase };
    const pairs = viaPost ? [...urlPairs(request), ...formPairs(request.body)] : urlPairs(request);
    const params = request.params as Record<string, string>;
    const fhirRequest: FhirRequest = {
      id: params.id ?? '',
      path: params,
      query: viaPost ? grouped(pairs) : (request.query as QueryParams),
      pairs,
      body: request.body,
      prefer: request.headers.prefer,
      fhirFormatNamed: negotiatedFormat(request) !== undefined,
    };
    const handle = () => route.handler(call, fhirRequest);
    const response = route.audit
      ? await withAuditChannel(
          {
            transaction: route.audit.transaction,
            clientAddress: request.ip,
            clientId: clientIdOf(request, principal),
            query: route.audit.query ? searchQueryOf(request) : undefined,
            seal: (chain, place, text) => sealField(ctx.config, chain, place, text),
          } satisfies AuditChannel,
          handle,
        )
      : await handle();
    return send(reply, response);
  }

  function send(reply: FastifyReply, response: FhirResponse) {
    for (const [name, value] of Object.entries(response.headers ?? {})) reply.header(name, value);
    if (response.kind === 'bytes') return reply.type(response.contentType).send(response.bytes);
    if (response.location) reply.header('location', response.location);
    return reply.status(response.status ?? 200).send(response.resource);
  }

  // An encapsulated plugin, so that its hooks and body parsers apply to the FHIR routes only.
  await app.register(async (fhir) => {
    registerFhirFormats(fhir);
    fhir.addHook('onSend', async (request, reply) => {
      if (reply.statusCode === 401) reply.header('www-authenticate', wwwAuthenticate(request));
    });

    // Served without a token, as FHIR servers do: clients discover how to authenticate from it.
    fhir.get('/fhir/metadata', async () => metadata);

    for (const route of fhirRoutes) {
      for (const { method, path } of routePaths(route)) {
        const viaPost = route.interaction === 'search-type' && method === 'POST';
        fhir.route({
          method,
          url: `/fhir${path}`,
          ...(route.carriesContent ? { bodyLimit } : {}),
          ...(route.rawContent ? { config: { fhirRawContent: true } } : {}),
          handler: (request, reply) => run(route, request, reply, viaPost),
        });
      }
    }

    fhir.all<{ Params: { '*': string } }>('/fhir/*', async (request) => {
      const type = request.params['*'].split(/[/?]/)[0] ?? '';
      if (supportedTypes.has(type)) {
        throw notFound('interaction-not-supported', 'Cette opération FHIR n’est pas prise en charge.');
      }
      throw notFound(
        'resource-type-not-supported',
        `Le type de ressource « ${type.slice(0, 64)} » n’est pas pris en charge.`,
      );
    });
  });
}
