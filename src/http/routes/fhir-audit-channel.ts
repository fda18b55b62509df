import type { FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import type { Principal } from '../../access/principal.ts';
import type { AppContext } from '../../app/context.ts';
import type { DocumentCall } from '../../fhir/document-call.ts';
import { withAuditChannel, type AuditChannel, type AuditTransaction } from '../../audit/index.ts';
import { sealField } from '../../storage/sealed-text.ts';

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
  const body = request.body;
  const form =
    typeof body === 'string'
      ? new URLSearchParams(body)
      : body && typeof body === 'object'
        ? Object.entries(body as Record<string, unknown>).flatMap(([name, value]) =>
            (Array.isArray(value) ? value : [value]).map((v) => [name, String(v)] as [string, string]),
          )
        : [];
  for (const [name, value] of form) params.append(name, value);
  return `${search[1]}?${params.toString()}`;
}

/**
 * Runs one FHIR interaction with its audit channel (IHE BALP): the traces it appends name the transaction, the
 * client's address and OAuth client, and for a search the query, sealed under the document key.
 */
export function audited<T>(
  ctx: AppContext,
  request: FastifyRequest,
  principal: Principal,
  transaction: AuditTransaction | undefined,
  work: () => Promise<T>,
  query?: string,
): Promise<T> {
  const channel: AuditChannel = {
    transaction,
    clientAddress: request.ip,
    clientId: clientIdOf(request, principal),
    query,
    seal: (chain, place, text) => sealField(ctx.config, chain, place, text),
  };
  return withAuditChannel(channel, work);
}

/**
 * How a FHIR route runs an interaction: `call` authenticates the request into a DocumentCall; `within` also runs
 * the interaction inside its audit channel (the transaction code, and for a search the query).
 */
export function fhirInteractions(
  ctx: AppContext,
  authenticate: (request: FastifyRequest) => Promise<Principal>,
) {
  const fhirBase = `${ctx.config.baseUrl}/fhir`;
  const call = async (request: FastifyRequest): Promise<DocumentCall> => ({
    ctx,
    principal: await authenticate(request),
    fhirBase,
  });
  const within = async <T>(
    request: FastifyRequest,
    transaction: AuditTransaction | undefined,
    work: (documentCall: DocumentCall) => Promise<T>,
    query?: string,
  ): Promise<T> => {
    const documentCall = await call(request);
    return audited(ctx, request, documentCall.principal, transaction, () => work(documentCall), query);
  };
  return { call, within };
}
