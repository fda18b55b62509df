import { invalid } from '../shared/index.ts';
import {
  categoryLabels,
  contextScopes,
  isCategoryCode,
  isPurposeCode,
  scopesOfPurposes,
  type CategoryCode,
  type PurposeCode,
} from './vocabulary.ts';

/** The OAuth 2.0 client a service connects with (public client, authorization code + PKCE). */
export interface OAuthClient {
  readonly clientId: string;
  readonly redirectUris: readonly string[];
  /** The scopes this client may ever be granted; each consent grants a subset. */
  readonly scopes: readonly string[];
}

export interface ServiceLinks {
  readonly web?: string | undefined;
  readonly appStore?: string | undefined;
  readonly googlePlay?: string | undefined;
  readonly privacyPolicy?: string | undefined;
}

/** What an operator writes to reference a service (the JSON file of `carnet catalogue add`). */
export interface ServiceDefinition {
  readonly id: string;
  readonly name: string;
  readonly editor: { readonly name: string; readonly url?: string | undefined };
  /** One or two sentences for the card. */
  readonly summary: string;
  readonly description: string;
  readonly category: CategoryCode;
  readonly purposes: readonly PurposeCode[];
  /** The data exchanged with Carnet, in words a patient understands. */
  readonly dataExchanged: readonly string[];
  readonly links: ServiceLinks;
  /** Only `online` or `offline` when referencing; suspension and dereferencing are decisions of their own. */
  readonly initialStatus: 'online' | 'offline';
  readonly oauth?: OAuthClient | undefined;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const CLIENT_ID = /^[A-Za-z0-9._~-]{3,100}$/;

const fail = (path: string, message: string) => invalid('catalogue-invalid', message, path);

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function text(obj: Json, key: string, path: string, label: string, max: number): string {
  const value = obj[key];
  if (typeof value !== 'string' || value.trim() === '')
    throw fail(path, `${label} est obligatoire (champ « ${path} »).`);
  const trimmed = value.trim();
  if (trimmed.length > max) throw fail(path, `${label} dépasse ${max} caractères (champ « ${path} »).`);
  return trimmed;
}

function optionalUrl(obj: Json, key: string, path: string, hosts?: readonly string[]): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw fail(path, `L’adresse « ${path} » doit être une URL.`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw fail(path, `L’adresse « ${path} » n’est pas une URL valide.`);
  }
  // Patients follow these links from a health space: never an unencrypted page.
  if (url.protocol !== 'https:') throw fail(path, `L’adresse « ${path} » doit commencer par https://.`);
  if (hosts && !hosts.includes(url.hostname))
    throw fail(path, `L’adresse « ${path} » doit être sur ${hosts.join(' ou ')}.`);
  return url.toString();
}

const isLoopback = (host: string) => host === '127.0.0.1' || host === '[::1]' || host === 'localhost';

/**
 * Redirect URIs follow the OAuth 2.0 security best practice (RFC 9700 §2.1, RFC 8252 §7.3): exact
 * absolute URLs, no fragment, https except on the loopback interface (apps on the patient's own device,
 * and the demo app).
 */
function redirectUri(value: unknown, path: string): string {
  if (typeof value !== 'string') throw fail(path, `L’adresse de retour « ${path} » doit être une URL.`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw fail(path, `L’adresse de retour « ${path} » n’est pas une URL valide.`);
  }
  if (url.hash || value.includes('#'))
    throw fail(path, `L’adresse de retour « ${path} » ne doit pas contenir de fragment (#).`);
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname));
  if (!secure)
    throw fail(path, `L’adresse de retour « ${path} » doit être en https (ou en http sur 127.0.0.1).`);
  return value;
}

function stringList(obj: Json, key: string, path: string, label: string, max: number): string[] {
  const value = obj[key];
  if (!Array.isArray(value) || value.length === 0)
    throw fail(path, `${label} : au moins une valeur est attendue (champ « ${path} »).`);
  return value.map((item, i) => {
    if (typeof item !== 'string' || item.trim() === '')
      throw fail(`${path}[${i}]`, `${label} : valeur vide ou invalide (champ « ${path}[${i}] »).`);
    if (item.trim().length > max)
      throw fail(`${path}[${i}]`, `${label} : valeur trop longue (champ « ${path}[${i}] »).`);
    return item.trim();
  });
}

function parseOAuth(raw: unknown, purposeCodes: readonly PurposeCode[]): OAuthClient | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw)) throw fail('oauth', 'Le champ « oauth » doit être un objet.');
  const clientId = raw.clientId;
  if (typeof clientId !== 'string' || !CLIENT_ID.test(clientId))
    throw fail(
      'oauth.clientId',
      'L’identifiant de client OAuth (« oauth.clientId ») doit faire 3 à 100 caractères parmi lettres, chiffres, « . _ ~ - ».',
    );
  if (!Array.isArray(raw.redirectUris) || raw.redirectUris.length === 0)
    throw fail('oauth.redirectUris', 'Au moins une adresse de retour (« oauth.redirectUris ») est attendue.');
  const redirectUris = [
    ...new Set(raw.redirectUris.map((u, i) => redirectUri(u, `oauth.redirectUris[${i}]`))),
  ];
  // A service is never allowed more than its declared purposes: that is what the patient read.
  const allowed = new Set([...contextScopes, ...scopesOfPurposes(purposeCodes)]);
  let scopes: string[];
  if (raw.scopes === undefined) {
    scopes = ['launch/patient', ...scopesOfPurposes(purposeCodes)];
  } else {
    if (!Array.isArray(raw.scopes))
      throw fail('oauth.scopes', 'Le champ « oauth.scopes » doit être une liste.');
    scopes = [];
    raw.scopes.forEach((s, i) => {
      if (typeof s !== 'string' || !allowed.has(s))
        throw fail(
          `oauth.scopes[${i}]`,
          `La portée « ${String(s)} » ne correspond à aucune finalité déclarée du service.`,
        );
      if (!scopes.includes(s)) scopes.push(s);
    });
  }
  return { clientId, redirectUris, scopes };
}

/** Checks an operator's JSON and returns the service definition, or throws `invalid` with a French message. */
export function parseServiceDefinition(raw: unknown): ServiceDefinition {
  if (!isObject(raw)) throw fail('', 'La description du service doit être un objet JSON.');
  const id = raw.id;
  if (typeof id !== 'string' || id.length > 64 || !SLUG.test(id))
    throw fail(
      'id',
      'L’identifiant (« id ») doit être fait de minuscules, chiffres et tirets, 64 caractères au plus.',
    );
  const name = text(raw, 'name', 'name', 'Le nom', 100);
  if (!isObject(raw.editor)) throw fail('editor', 'L’éditeur (« editor ») est obligatoire.');
  const editor = {
    name: text(raw.editor, 'name', 'editor.name', 'Le nom de l’éditeur', 120),
    url: optionalUrl(raw.editor, 'url', 'editor.url'),
  };
  const summary = text(raw, 'summary', 'summary', 'Le résumé', 300);
  const description = text(raw, 'description', 'description', 'La description', 5000);
  if (!isCategoryCode(raw.category))
    throw fail('category', `Catégorie inconnue ; choisir parmi : ${Object.keys(categoryLabels).join(', ')}.`);
  if (!Array.isArray(raw.purposes) || raw.purposes.length === 0)
    throw fail('purposes', 'Au moins une finalité (« purposes ») est attendue.');
  const purposeList: PurposeCode[] = [];
  raw.purposes.forEach((p, i) => {
    if (!isPurposeCode(p)) throw fail(`purposes[${i}]`, `Finalité inconnue : « ${String(p)} ».`);
    if (!purposeList.includes(p)) purposeList.push(p);
  });
  const dataExchanged = stringList(raw, 'dataExchanged', 'dataExchanged', 'Les données échangées', 300);
  const linksRaw = raw.links ?? {};
  if (!isObject(linksRaw)) throw fail('links', 'Le champ « links » doit être un objet.');
  const links: ServiceLinks = {
    web: optionalUrl(linksRaw, 'web', 'links.web'),
    appStore: optionalUrl(linksRaw, 'appStore', 'links.appStore', ['apps.apple.com']),
    googlePlay: optionalUrl(linksRaw, 'googlePlay', 'links.googlePlay', ['play.google.com']),
    privacyPolicy: optionalUrl(linksRaw, 'privacyPolicy', 'links.privacyPolicy'),
  };
  if (!links.web && !links.appStore && !links.googlePlay)
    throw fail('links', 'Au moins un lien (site web, App Store ou Google Play) est attendu.');
  const status = raw.status ?? 'online';
  if (status !== 'online' && status !== 'offline')
    throw fail(
      'status',
      'Un service est référencé « online » ou « offline » ; la suspension et le déréférencement sont des commandes à part.',
    );
  return {
    id,
    name,
    editor,
    summary,
    description,
    category: raw.category,
    purposes: purposeList,
    dataExchanged,
    links,
    initialStatus: status,
    oauth: parseOAuth(raw.oauth, purposeList),
  };
}
