import { professionLabel, specialties } from '../identity/index.ts';
import { professionalDisplayName } from '../professionals/index.ts';
import type { PscSubject } from './psc-claims.ts';

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const style = `
  body { font-family: system-ui, sans-serif; margin: 0; background: #f5f5fe; color: #161616; }
  main { max-width: 44rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
  h1 { font-size: 1.5rem; color: #000091; }
  .notice { background: #fff4e5; border-left: 4px solid #b34000; padding: .75rem 1rem; }
  ul { list-style: none; padding: 0; }
  li { background: #fff; border: 1px solid #ddd; border-radius: .25rem; margin: .75rem 0; padding: 1rem; }
  .meta { margin: .25rem 0 .75rem; color: #3a3a3a; }
  button { font: inherit; cursor: pointer; border-radius: .25rem; padding: .6rem 1rem; }
  .primary { background: #000091; color: #fff; border: 2px solid #000091; }
  .secondary { background: #fff; color: #000091; border: 2px solid #000091; }
  button:focus-visible { outline: 3px solid #0a76f6; outline-offset: 2px; }
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${style}</style></head>
<body><main>${body}</main></body>
</html>`;
}

function subjectItem(subject: PscSubject, uid: string): string {
  const name = professionalDisplayName(subject);
  const specialty = subject.specialtyCode ? ` — ${specialties[subject.specialtyCode]}` : '';
  const labelId = `pro-${subject.nationalId}`;
  return `<li>
  <h2 id="${labelId}">${escapeHtml(name)}</h2>
  <p class="meta">${escapeHtml(professionLabel(subject.professionCode) + specialty)}<br>
  ${escapeHtml(subject.structure?.name ?? 'Exercice sans structure')}</p>
  <form method="post" action="/idp/interaction/${encodeURIComponent(uid)}/login">
    <input type="hidden" name="sub" value="${escapeHtml(subject.nationalId)}">
    <button class="primary" type="submit">Se connecter avec la carte e-CPS de ${escapeHtml(name)}</button>
  </form>
</li>`;
}

/** The login page of the development provider: pick one of the demo professionals. */
export function renderLoginPage(uid: string, subjects: readonly PscSubject[]): string {
  return page(
    'Connexion e-CPS — fournisseur d’identité de développement',
    `<h1>Connexion avec Pro Santé Connect</h1>
<p class="notice" role="note">Fournisseur d’identité de <strong>développement</strong> : choisissez un professionnel de démonstration. Aucune carte réelle n’est utilisée.</p>
<ul aria-label="Professionnels de démonstration">
${subjects.map((s) => subjectItem(s, uid)).join('\n')}
</ul>
<form method="post" action="/idp/interaction/${encodeURIComponent(uid)}/abort">
  <button class="secondary" type="submit">Annuler et revenir au service</button>
</form>`,
  );
}

export function renderIdpErrorPage(description: string): string {
  return page(
    'Erreur de connexion',
    `<h1>La connexion n’a pas abouti</h1>
<p role="alert">${escapeHtml(description)}</p>
<p><a href="/pro/">Revenir à l’espace professionnel</a></p>`,
  );
}
