import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { AppContext } from '../../app/index.ts';
import {
  demoSubjects,
  findDevSubject,
  renderIdpErrorPage,
  renderLoginPage,
  loadDevIdentityProvider,
} from '../../idp/index.ts';
import { idpContracts } from '../contracts/idp.ts';

const MOUNT = '/idp';

/** oidc-provider reads its mount path from `originalUrl` (as under Express) and routes on `url`. */
function handOver(provider: Provider, request: FastifyRequest, reply: FastifyReply): void {
  reply.hijack();
  const raw = request.raw as IncomingMessage & { originalUrl?: string };
  raw.originalUrl = raw.url;
  // `/idp?x` leaves `?x`: the provider's router needs a path before the query.
  const rest = raw.url!.slice(MOUNT.length);
  raw.url = rest.startsWith('/') ? rest : `/${rest}`;
  provider.callback()(raw, reply.raw);
}

/** The provider's own endpoints: its body parsing is its own, so Fastify must not consume the body. */
async function providerEndpoints(app: FastifyInstance, provider: Provider): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  const handler = (request: FastifyRequest, reply: FastifyReply) => handOver(provider, request, reply);
  app.all('/', handler);
  app.all('/*', handler);
}

function formField(body: unknown, name: string): string | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** The interaction (login) pages, server-rendered in French. */
async function interactionPages(app: FastifyInstance, provider: Provider, ctx: AppContext): Promise<void> {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_r, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  const failed = (reply: FastifyReply, message: string) =>
    reply.status(400).type('text/html; charset=utf-8').send(renderIdpErrorPage(message));
  const expired = 'Votre demande de connexion a expiré. Recommencez depuis l’espace professionnel.';

  app.get<{ Params: { uid: string } }>(
    '/idp/interaction/:uid',
    { schema: idpContracts.interaction },
    async (request, reply) => {
      const details = await provider.interactionDetails(request.raw, reply.raw).catch(() => undefined);
      if (!details || details.uid !== request.params.uid) return failed(reply, expired);
      if (details.prompt.name === 'login') {
        return reply.type('text/html; charset=utf-8').send(renderLoginPage(details.uid, demoSubjects()));
      }
      // Consent: the first-party grant is given in `loadExistingGrant`; anything else resumes as is.
      reply.hijack();
      await provider.interactionFinished(request.raw, reply.raw, {}, { mergeWithLastSubmission: true });
    },
  );

  app.post<{ Params: { uid: string } }>(
    '/idp/interaction/:uid/login',
    { schema: idpContracts.login },
    async (request, reply) => {
      const details = await provider.interactionDetails(request.raw, reply.raw).catch(() => undefined);
      if (!details || details.uid !== request.params.uid) return failed(reply, expired);
      const sub = formField(request.body, 'sub');
      const subject = sub ? await findDevSubject(ctx.db, sub) : undefined;
      if (!subject) return failed(reply, 'Ce professionnel de démonstration est inconnu.');
      reply.hijack();
      await provider.interactionFinished(
        request.raw,
        reply.raw,
        { login: { accountId: subject.nationalId, acr: 'eidas1', amr: ['mca'] } },
        { mergeWithLastSubmission: false },
      );
    },
  );

  app.post<{ Params: { uid: string } }>(
    '/idp/interaction/:uid/abort',
    { schema: idpContracts.abort },
    async (request, reply) => {
      const details = await provider.interactionDetails(request.raw, reply.raw).catch(() => undefined);
      if (!details || details.uid !== request.params.uid) return failed(reply, expired);
      reply.hijack();
      await provider.interactionFinished(
        request.raw,
        reply.raw,
        { error: 'access_denied', error_description: 'Connexion annulée par l’utilisateur.' },
        { mergeWithLastSubmission: false },
      );
    },
  );
}

/** Mounts the embedded development identity provider at `/idp`, only when it is configured on. */
export async function registerIdentityProvider(app: FastifyInstance, ctx: AppContext): Promise<void> {
  if (!ctx.config.devIdentityProvider) return;
  const { createDevIdentityProvider } = await loadDevIdentityProvider();
  const provider = await createDevIdentityProvider(ctx);
  await app.register(async (scope) => providerEndpoints(scope, provider), { prefix: MOUNT });
  await app.register(async (scope) => interactionPages(scope, provider, ctx));
}
