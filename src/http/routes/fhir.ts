import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import type { Principal } from '../../access/index.ts';
import type { AppContext } from '../../app/context.ts';
import { withAuditChannel, type AuditChannel } from '../../audit/index.ts';
import { verifyBearer } from '../../auth/bearer.ts';
import type { FhirCall } from '../../fhir/call.ts';
import { capabilityStatement } from '../../fhir/capability-statement.ts';
import { searchPairs } from '../../fhir/document-search-params.ts';
import {
  checkSearchForm,
  fhirRoutes,
  routePaths,
  routedTypes,
  type FhirRequest,
  type FhirResponse,
  type FhirRoute,
} from '../../fhir/router.ts';
import type { QueryParams } from '../../fhir/search-params.ts';
import { contentLimits } from '../../record/content/index.ts';
import { sealField } from '../../storage/sealed-text.ts';
import { notFound } from '../../shared/errors.ts';
import { negotiatedFormat, registerFhirFormats } from '../fhir-formats.ts';

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
 * serialises its answer; formats and errors (OperationOutcome) are negotiated by src/http/fhir-formats.ts.
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
