/**
 * GlucoSuivi, a demo glucose-meter companion: a separate process that connects to a patient's Mon espace santé
 * the way a real referenced app would (SMART App Launch, authorization code + PKCE, public client), then
 * pushes glucose readings as FHIR Observations. It knows Carnet only by its URL; it imports nothing from it.
 *
 *   CARNET_URL=http://127.0.0.1:3000 GLUCOSUIVI_PORT=8090 node --import tsx demo-apps/glucosuivi/main.ts
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface GlucoSuiviOptions {
  readonly carnetUrl: string;
  readonly port: number;
  readonly host?: string;
  readonly clientId?: string;
}

/** The one patient connected to this demo instance (a real app keeps one connection per user account). */
interface Connection {
  accessToken: string;
  refreshToken: string | undefined;
  patient: string;
  scope: string;
}

interface PendingAuthorization {
  readonly verifier: string;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8').slice(0, 10_000));
}

/** What the app tells its user about Carnet's answer to a call. */
function outcomeOf(status: number, success: string): string {
  if (status >= 200 && status < 300) return success;
  if (status === 401)
    return `Mon espace santé a refusé l’accès (401) : la connexion a été révoquée ou a expiré.`;
  if (status === 403)
    return `Mon espace santé a refusé l’accès (403) : vous n’avez pas autorisé cette action.`;
  return `Mon espace santé a répondu ${status}.`;
}

export function startGlucoSuivi(options: GlucoSuiviOptions) {
  const host = options.host ?? '127.0.0.1';
  const clientId = options.clientId ?? 'glucosuivi-demo';
  const base = `http://${host}:${options.port}`;
  const redirectUri = `${base}/callback`;
  const pending = new Map<string, PendingAuthorization>();
  let connection: Connection | undefined;
  let lastMessage = '';

  const page = (response: ServerResponse) => {
    const body = connection
      ? `<p>Connecté à Mon espace santé (autorisations : <code>${escapeHtml(connection.scope)}</code>).</p>
         <form method="post" action="/mesures">
           <label for="glycemie">Glycémie (g/L)</label>
           <input id="glycemie" name="glycemie" inputmode="decimal" required>
           <button type="submit">Envoyer la mesure</button>
         </form>
         <form method="post" action="/documents"><button type="submit">Lire mes documents</button></form>`
      : `<p><a href="/connecter">Connecter à Mon espace santé</a></p>`;
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>GlucoSuivi</title></head><body><main><h1>GlucoSuivi</h1>
${lastMessage ? `<p role="status" id="resultat">${escapeHtml(lastMessage)}</p>` : ''}${body}</main></body></html>`);
  };
  const back = (response: ServerResponse) => response.writeHead(303, { location: '/' }).end();

  const fhir = (path: string, init: RequestInit = {}) =>
    fetch(`${options.carnetUrl}/fhir/${path}`, {
      ...init,
      headers: {
        accept: 'application/fhir+json',
        authorization: `Bearer ${connection?.accessToken ?? ''}`,
        ...(init.body ? { 'content-type': 'application/fhir+json' } : {}),
      },
    });

  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', base);
      if (request.method === 'GET' && url.pathname === '/') return page(response);
      if (request.method === 'GET' && url.pathname === '/connecter') {
        const state = randomBytes(16).toString('base64url');
        const verifier = randomBytes(32).toString('base64url');
        pending.set(state, { verifier });
        const authorize = new URL('/oauth/authorize', options.carnetUrl);
        authorize.search = new URLSearchParams({
          response_type: 'code',
          client_id: clientId,
          redirect_uri: redirectUri,
          // SMART v2, least privilege: it creates measurements and reads them back, never changes or deletes one.
          scope: 'launch/patient patient/Observation.c patient/Observation.rs',
          state,
          aud: `${options.carnetUrl}/fhir`,
          code_challenge: createHash('sha256').update(verifier).digest('base64url'),
          code_challenge_method: 'S256',
        }).toString();
        return response.writeHead(302, { location: authorize.toString() }).end();
      }
      if (request.method === 'GET' && url.pathname === '/callback') {
        const state = url.searchParams.get('state') ?? '';
        const authorization = pending.get(state);
        pending.delete(state);
        const code = url.searchParams.get('code');
        if (!authorization || !code) {
          lastMessage = `Connexion refusée (${url.searchParams.get('error') ?? 'réponse invalide'}).`;
          return back(response);
        }
        const token = await fetch(`${options.carnetUrl}/oauth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            code,
            redirect_uri: redirectUri,
            client_id: clientId,
            code_verifier: authorization.verifier,
          }),
        });
        const answer = (await token.json()) as Record<string, string>;
        if (!token.ok) {
          lastMessage = `Connexion impossible (${answer.error ?? token.status}).`;
          return back(response);
        }
        connection = {
          accessToken: answer.access_token!,
          refreshToken: answer.refresh_token,
          patient: answer.patient!,
          scope: answer.scope!,
        };
        lastMessage = 'GlucoSuivi est connecté à votre espace santé.';
        return back(response);
      }
      if (request.method === 'POST' && url.pathname === '/mesures' && connection) {
        const value = Number((await readForm(request)).get('glycemie')?.replace(',', '.'));
        const observation = {
          resourceType: 'Observation',
          status: 'final',
          category: [
            {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/observation-category',
                  code: 'laboratory',
                },
              ],
            },
          ],
          code: {
            coding: [
              { system: 'http://loinc.org', code: '2339-0', display: 'Glucose [Mass/volume] in Blood' },
            ],
            text: 'Glycémie',
          },
          subject: { reference: `Patient/${connection.patient}` },
          effectiveDateTime: new Date().toISOString(),
          valueQuantity: { value, unit: 'g/L', system: 'http://unitsofmeasure.org', code: 'g/L' },
        };
        const result = await fhir('Observation', { method: 'POST', body: JSON.stringify(observation) });
        lastMessage = outcomeOf(result.status, `Mesure envoyée à Mon espace santé (${result.status}).`);
        return back(response);
      }
      if (request.method === 'POST' && url.pathname === '/documents' && connection) {
        const result = await fhir(`DocumentReference?patient=${encodeURIComponent(connection.patient)}`);
        lastMessage = outcomeOf(result.status, `Documents lus (${result.status}).`);
        return back(response);
      }
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Page introuvable');
    })().catch(() => {
      if (!response.headersSent) response.writeHead(502).end('Mon espace santé ne répond pas.');
    });
  });
  return {
    url: base,
    listening: new Promise<void>((resolve) => server.listen(options.port, host, resolve)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // Started by `carnet serve --demo`: leave with it.
  if (process.send) process.on('disconnect', () => process.exit(0));
  const app = startGlucoSuivi({
    carnetUrl: process.env.CARNET_URL ?? 'http://127.0.0.1:3000',
    port: Number(process.env.GLUCOSUIVI_PORT ?? 8090),
  });
  await app.listening;
  console.log(`GlucoSuivi (application de démonstration) : ${app.url}`);
}
