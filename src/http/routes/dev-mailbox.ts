import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../app/index.ts';
import { notFound } from '../../shared/index.ts';
import {
  readDevMail,
  readDevMailbox,
  type DevMail,
  type DevMailDetail,
  usesEmbeddedRelay,
} from '../../mail/index.ts';
import { devMailboxContracts } from '../contracts/dev-mailbox.ts';

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const parisTime = new Intl.DateTimeFormat('fr-FR', {
  dateStyle: 'short',
  timeStyle: 'medium',
  timeZone: 'Europe/Paris',
});

function timeHtml(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(parisTime.format(date))}</time>`;
}

// Dark text on light backgrounds (contrast above 7:1), a visible focus ring, readable on a phone.
const STYLE = `
body{margin:0;font:1rem/1.5 system-ui,sans-serif;color:#161616;background:#fff}
main{max-width:60rem;margin:0 auto;padding:1rem}
a{color:#000091}a:focus-visible{outline:3px solid #000091;outline-offset:2px}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%}
caption{text-align:left;font-weight:600;padding:.5rem 0}
th,td{text-align:left;vertical-align:top;padding:.5rem;border-bottom:1px solid #666;overflow-wrap:anywhere}
thead th{background:#eee}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f6f6;border:1px solid #666;padding:.75rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Carnet (développement)</title><style>${STYLE}</style></head>
<body><main>${body}</main></body>
</html>`;
}

function listPage(mails: readonly DevMail[]): string {
  const rows = mails
    .map(
      (m) => `<tr><td>${timeHtml(m.date)}</td><td>${escapeHtml(m.to)}</td>
<td><a href="/dev/mailbox/${encodeURIComponent(m.id)}">${escapeHtml(m.subject || '(sans objet)')}</a></td></tr>`,
    )
    .join('\n');
  const count = mails.length === 1 ? '1 e-mail' : `${mails.length} e-mails`;
  const table = mails.length
    ? `<div class="scroll"><table><caption>${count}, du plus récent au plus ancien</caption>
<thead><tr><th scope="col">Date</th><th scope="col">Destinataire</th><th scope="col">Objet</th></tr></thead>
<tbody>${rows}</tbody></table></div>`
    : '<p>Aucun e-mail pour l’instant.</p>';
  return page(
    'Boîte de réception de développement',
    `<h1>Boîte de réception de développement</h1>
<p>Les e-mails envoyés par Carnet (codes provisoires, codes à usage unique) sont conservés ici au lieu d’être
remis : le relais SMTP intégré n’est utilisé qu’en développement.</p>
<p><a href="/dev/mailbox">Actualiser</a></p>
${table}`,
  );
}

function mailPage(mail: DevMailDetail): string {
  return page(
    mail.subject || '(sans objet)',
    `<p><a href="/dev/mailbox">Retour à la boîte de réception</a></p>
<h1>${escapeHtml(mail.subject || '(sans objet)')}</h1>
<dl><dt>De</dt><dd>${escapeHtml(mail.from)}</dd><dt>À</dt><dd>${escapeHtml(mail.to)}</dd>
<dt>Date</dt><dd>${timeHtml(mail.date)}</dd></dl>
<h2>Message</h2>
<pre>${escapeHtml(mail.text)}</pre>
<h2>En-têtes</h2>
<pre>${escapeHtml(mail.headerLines.join('\n'))}</pre>`,
  );
}

function html(reply: FastifyReply, body: string): FastifyReply {
  // The mailbox holds sign-in codes: never keep it in a cache.
  return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
}

/** The development mailbox (README "API"): only while the embedded relay is in use, never in production. */
export async function registerDevMailbox(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const enabled = usesEmbeddedRelay(ctx.config);
  const { dataDir } = ctx.config;
  const guard = async () => {
    if (!enabled) throw notFound();
  };

  app.get(
    '/dev/mailbox.json',
    { onRequest: guard, schema: devMailboxContracts.list },
    async (_request, reply) => reply.header('cache-control', 'no-store').send(await readDevMailbox(dataDir)),
  );
  app.get('/dev/mailbox', { onRequest: guard, schema: devMailboxContracts.page }, async (_request, reply) =>
    html(reply, listPage(await readDevMailbox(dataDir))),
  );
  app.get<{ Params: { id: string } }>(
    '/dev/mailbox/:id',
    { onRequest: guard, schema: devMailboxContracts.mail },
    async (request, reply) => {
      const mail = await readDevMail(dataDir, request.params.id);
      if (!mail) throw notFound('mail-not-found', 'Cet e-mail est introuvable.');
      return html(reply, mailPage(mail));
    },
  );
}
