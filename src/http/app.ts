import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import cookie from '@fastify/cookie';
import helmet from 'helmet';
import { sql } from 'kysely';
import type { AppContext } from '../app/index.ts';
import { deriveKey } from '../config/index.ts';
import { uuidv7, forbidden } from '../shared/index.ts';
import { contractOf, type ContractShape } from './contract.ts';
import { answerFrameworkError, registerErrorHandling } from './errors.ts';
import { registerInputGuard } from './input-guard.ts';
import { registerPatientApi } from './routes/patient-api.ts';
import { registerRecordApi } from './routes/record-api.ts';
import { registerMessagingApi } from './routes/messaging-api.ts';
import { registerIndicatorsApi } from './routes/indicators-api.ts';
import { registerProfessionalAuth } from './routes/pro-auth.ts';
import { registerIdentityProvider } from './routes/idp.ts';
import { registerFhir } from './routes/fhir.ts';
import { registerDevMailbox } from './routes/dev-mailbox.ts';
import { registerWebApps } from './routes/web.ts';
import { registerProfileApi } from './routes/profile-api.ts';
import { registerInsurerApi } from './routes/insurer-api.ts';
import { registerVsmApi } from './routes/vsm-api.ts';
import { registerTerminologyApi } from './routes/terminology-api.ts';
import { registerIpsApi } from './routes/ips-api.ts';
import { registerPortabilityApi } from './routes/portability-api.ts';
import { registerOAuth } from './routes/oauth.ts';
import { registerCatalogueApi } from './routes/catalogue-api.ts';
import { registerAgendaApi } from './routes/agenda-api.ts';
import { registerOverviewApi } from './routes/overview-api.ts';
import { healthContracts } from './contracts/health.ts';

export interface AppOptions {
  /** `false` silences logs (tests); a stream receives the JSON log lines instead of stdout. */
  readonly logger?: false | { readonly stream: NodeJS.WritableStream };
  /** Whether JSON answers are checked against their route's contract (default: outside production). */
  readonly checkResponses?: boolean;
}

/**
 * Logs carry no health data and no secrets: a request is logged by method, path (without the query string,
 * which may hold an INS) and id; no headers, no bodies.
 */
/**
 * Paths that carry a secret (the iCalendar feed's address, an opposition proof's token) are logged without it,
 * however the client spelled them (percent-encoding, case, extra slashes reach the same routes).
 */
export function loggedPath(url: string): string {
  const raw = url.split('?')[0] ?? '';
  let path = raw;
  try {
    path = decodeURIComponent(raw);
  } catch {
    // A malformed escape is logged as sent: it matches no route, so it carries no valid secret.
  }
  if (/^\/+agenda\//i.test(path)) return '/agenda/<secret>';
  if (/^\/+api\/+patient\/+opposition\/+[^/]+\/+proof/i.test(path))
    return '/api/patient/opposition/<secret>/proof.pdf';
  return raw;
}

const logSerializers = {
  req: (request: { method: string; url: string; id: string }) => ({
    id: request.id,
    method: request.method,
    path: loggedPath(request.url),
  }),
  res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
};

/**
 * One log line a request, written when it is answered, with its id, method, path, status and time: Fastify's
 * default adds a line on arrival, which doubled what a flood of refused requests cost in logging and told nothing
 * the answer's line does not.
 */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

/**
 * Whether a browser says the request comes from this origin: `Sec-Fetch-Site` when sent (every current
 * browser), else `Origin` against the Host; clients that send neither (not browsers) are not cross-site forms.
 */
export function isSameOrigin(headers: Record<string, string | string[] | undefined>): boolean {
  const site = headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin' || site === 'none';
  const origin = headers.origin;
  if (typeof origin !== 'string') return true;
  try {
    return new URL(origin).host === headers.host;
  } catch {
    return false;
  }
}

export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
  /** What the route declared with `contract()` (src/http/contract.ts), if anything. */
  readonly contract: ContractShape | undefined;
}

const routeTables = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Every route the app registered (method and URL pattern): what the enumerated-route isolation test walks. */
export const registeredRoutes = (app: FastifyInstance): readonly RegisteredRoute[] =>
  routeTables.get(app) ?? [];

/** The composition root: outside plugins, then cross-cutting concerns, then each adapter's routes. */
export async function buildApp(ctx: AppContext, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : { level: ctx.config.logLevel, serializers: logSerializers, ...(options.logger ?? {}) },
    logController: new OneLinePerRequest(),
    genReqId: () => uuidv7(),
    requestIdHeader: false,
    // The client's address feeds per-address limits: `X-Forwarded-For` counts only from the named proxies.
    trustProxy: ctx.config.trustProxy.length > 0 ? [...ctx.config.trustProxy] : false,
    bodyLimit: 1024 * 1024,
    frameworkErrors: answerFrameworkError,
  });

  const routes: RegisteredRoute[] = [];
  routeTables.set(app, routes);
  app.addHook('onRoute', ({ method, url, schema }) => {
    for (const m of [method].flat()) routes.push({ method: m, url, contract: contractOf(schema) });
  });

  // Request ids travel back to the caller so that a support call can find the log line.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });

  // Security headers on every answer (JSON and refusals included: `nosniff`, no framing), the web apps same-origin
  // only. The headers are worked out once here: @fastify/helmet rebuilt them, CSP parsing included, for every
  // request, which a flood of refused sign-ins turned into a good part of the server's time.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'", ...(ctx.config.oidc ? [new URL(ctx.config.oidc.issuer).origin] : [])],
        frameSrc: ["'self'"],
        frameAncestors: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', (request, reply, done) =>
    securityHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined)),
  );
  // Defaults of every cookie set or cleared, whichever route sets it: `Secure` follows the https base URL
  // (production requires one), so no route can forget it.
  await app.register(cookie, {
    secret: deriveKey(ctx.config, 'cookie'),
    parseOptions: { httpOnly: true, sameSite: 'lax', secure: ctx.config.secureCookies },
  });

  registerErrorHandling(app, {
    checkResponses: options.checkResponses ?? ctx.config.environment !== 'production',
  });
  registerInputGuard(app);

  // Cookie sessions (patient space, portal) change state only from their own pages: SameSite=Lax keeps other
  // sites' forms out, this keeps out a sibling origin of the same site (another port, a sub-domain).
  app.addHook('onRequest', async (request) => {
    if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(request.method) || !request.headers.cookie) return;
    if (!isSameOrigin(request.headers)) {
      throw forbidden('cross-origin', 'Cette action doit être faite depuis Mon espace santé lui-même.');
    }
  });

  // Liveness says the process answers; readiness says it can reach its database.
  app.get('/health/live', { schema: healthContracts.live }, async () => ({ status: 'ok' }));
  app.get('/health/ready', { schema: healthContracts.ready }, async () => {
    await sql`select 1`.execute(ctx.db);
    return { status: 'ready' };
  });

  await registerPatientApi(app, ctx);
  await registerRecordApi(app, ctx);
  await registerMessagingApi(app, ctx);
  await registerIndicatorsApi(app, ctx);
  await registerProfileApi(app, ctx);
  await registerInsurerApi(app, ctx);
  await registerVsmApi(app, ctx);
  await registerTerminologyApi(app, ctx);
  await registerIpsApi(app, ctx);
  await registerPortabilityApi(app, ctx);
  await registerOAuth(app, ctx);
  await registerCatalogueApi(app, ctx);
  await registerAgendaApi(app, ctx);
  await registerOverviewApi(app, ctx);
  await registerProfessionalAuth(app, ctx);
  await registerIdentityProvider(app, ctx);
  await registerFhir(app, ctx);
  await registerDevMailbox(app, ctx);
  await registerWebApps(app, ctx);
  return app;
}
