import { existsSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../app/index.ts';

/** Where `npm run build:web` (web/vite.config.ts) writes the two apps. */
export const defaultWebDistDir = fileURLToPath(new URL('../../../dist/web/', import.meta.url));

/** Paths owned by the server itself: never answered with an app's page, so their 404s stay JSON/FHIR. */
const serverPrefixes = ['/api', '/fhir', '/idp', '/auth', '/dev', '/health', '/.well-known'];

const isUnder = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

const notBuiltPage = `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Application web non construite – Carnet</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #1e1e1e">
<h1>L’application web n’est pas encore construite</h1>
<p>Le serveur Carnet fonctionne, mais les pages de Mon espace santé et du portail professionnel n’ont pas été générées.</p>
<p>Lancez <code>npm run build:web</code> à la racine du dépôt, puis rechargez cette page.</p>
</body></html>`;

export async function registerWebApps(app: FastifyInstance, _ctx: AppContext): Promise<void> {
  await serveWebApps(app, defaultWebDistDir);
}

/**
 * The patient space at `/` and the professional portal at `/pro/`: built files as they are, and every other
 * page address answered with the app's index.html so that the client-side router takes over (reloads, links).
 */
export async function serveWebApps(app: FastifyInstance, distDir: string): Promise<void> {
  // The build writes brotli and gzip copies beside the text files (web/precompress.ts): the copy the browser
  // accepts is sent as it is, with `Vary: Accept-Encoding`; the original file otherwise.
  await app.register(fastifyStatic, { root: distDir, serve: false, preCompressed: true });

  app.get('/*', async (request, reply) => {
    const path = decodeURIComponent(new URL(request.url, 'http://carnet').pathname);
    if (serverPrefixes.some((prefix) => isUnder(path, prefix))) return notFound(reply);
    if (!existsSync(join(distDir, 'patient', 'index.html')))
      return reply
        .status(503)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(notBuiltPage);
    if (extname(path)) return sendAsset(reply, distDir, path);
    return sendIndex(reply, isUnder(path, '/pro') ? 'pro' : 'patient');
  });
}

/** The server's own not-found answer (JSON, or OperationOutcome under /fhir). */
function notFound(reply: FastifyReply): FastifyReply {
  reply.callNotFound();
  return reply;
}

function sendAsset(reply: FastifyReply, distDir: string, path: string): FastifyReply {
  const file = resolve(distDir, `.${path}`);
  if (!file.startsWith(resolve(distDir) + sep) || !existsSync(file)) return notFound(reply);
  // Vite puts a content hash in every file name under /assets/: those never change.
  const hashed = path.startsWith('/assets/');
  return reply.sendFile(path, { maxAge: hashed ? '365d' : '1h', immutable: hashed, dotfiles: 'deny' });
}

function sendIndex(reply: FastifyReply, app: 'patient' | 'pro'): FastifyReply {
  // The page names the current asset files, so it is revalidated on each visit.
  return reply.header('cache-control', 'no-cache').sendFile(`${app}/index.html`, { cacheControl: false });
}
