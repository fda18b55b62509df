import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { invalid } from '../shared/index.ts';
import { isFhirRequest } from './errors.ts';

/**
 * Text that reaches the domain is valid UTF-8 without NUL, whatever the route: the JSON parsers and
 * `URLSearchParams` silently turn bad bytes into U+FFFD (the stored text is then not what was sent) and a NUL
 * makes PostgreSQL refuse the row (a 500 after half the work). Checked once here, for every route, before any
 * handler runs; the refusal names the field so that the form or FHIR client can point at it.
 */

/**
 * Deeper bodies are refused: no form or FHIR resource comes near (a Bundle's attachment sits at depth 6), and
 * recursive code downstream must not overflow.
 */
export const MAX_BODY_DEPTH = 64;

/** Bodies read as text by a parser (multipart is read by its routes, its file parts are binary). */
const TEXT_BODY =
  /^\s*(?:application\/(?:json|[\w.-]+\+json|xml|[\w.-]+\+xml|x-www-form-urlencoded)|text\/)/i;
const FORM_BODY = /^\s*application\/x-www-form-urlencoded/i;

interface RawBody {
  /** The body had bytes that are not UTF-8. */
  invalidUtf8: boolean;
  /** A url-encoded body as sent, to check its escapes (its bytes are ASCII even when its escapes are not UTF-8). */
  form?: string;
}

const rawBodies = new WeakMap<FastifyRequest, RawBody>();

const encodingRefused = (field: string) =>
  invalid(
    'text-encoding-invalid',
    `Le champ « ${field} » contient des caractères mal encodés (UTF-8 attendu).`,
    field,
  );
const nulRefused = (field: string) =>
  invalid('text-nul', `Le champ « ${field} » contient un caractère nul, qui n’est pas accepté.`, field);
const tooDeep = () => invalid('body-too-deep', 'Le contenu envoyé est trop imbriqué pour être lu.', 'body');

/** Field names are echoed back in the refusal: never their control characters. */
const printable = (name: string) =>
  [...name].map((c) => (c < ' ' || c === '\u007f' || c === '\ufffd' ? '?' : c)).join('');

/**
 * Passes the body through unchanged while checking it is UTF-8. Lazy: nothing is read from the socket until a
 * parser reads this stream (some routes hand the untouched request to a library that reads it itself).
 */
function checkedStream(payload: AsyncIterable<Buffer | string>, raw: RawBody, keepText: boolean): Readable {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let text = '';
  const decode = (chunk?: Buffer) => {
    try {
      const part = chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
      if (keepText) text += part;
    } catch {
      raw.invalidUtf8 = true;
    }
  };
  return Readable.from(
    (async function* () {
      for await (const chunk of payload) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        if (!raw.invalidUtf8) decode(bytes);
        yield bytes;
      }
      if (!raw.invalidUtf8) decode();
      if (keepText && !raw.invalidUtf8) raw.form = text;
    })(),
    { objectMode: false },
  );
}

/**
 * `a=1&b=%C3%A9` strictly: a malformed or non-UTF-8 escape, or a NUL, is refused with the parameter's name.
 * Returns the names in order.
 */
function checkUrlEncoded(encoded: string): string[] {
  const names: string[] = [];
  for (const pair of encoded.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const [rawName, rawValue] = at === -1 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
    const name = lenientDecode(rawName);
    for (const part of [rawName, rawValue]) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(part.replace(/\+/g, ' '));
      } catch {
        throw encodingRefused(printable(name));
      }
      if (decoded.includes('\u0000')) throw nulRefused(printable(name));
    }
    names.push(name);
  }
  return names;
}

function lenientDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * The first text (value or key) in a parsed body that `predicate` flags, with its field path
 * (`entry[0].resource`), walked without recursion; refuses bodies nested deeper than MAX_BODY_DEPTH on the way.
 */
function findField(
  body: unknown,
  predicate: (text: string) => boolean,
): { path: string; text: string } | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: body, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (predicate(value)) return { path: path || 'body', text: value };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_BODY_DEPTH) throw tooDeep();
    // Pushed in reverse so that the first offending field in document order is the one named.
    const children: { value: unknown; path: string; depth: number }[] = [];
    if (Array.isArray(value)) {
      value.forEach((item, i) => children.push({ value: item, path: `${path}[${i}]`, depth: depth + 1 }));
    } else {
      for (const [key, item] of Object.entries(value)) {
        const childPath = path ? `${path}.${printable(key)}` : printable(key);
        if (predicate(key)) return { path: childPath, text: key };
        children.push({ value: item, path: childPath, depth: depth + 1 });
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return undefined;
}

const hasNul = (text: string) => text.includes('\u0000');
/** A lone surrogate (`"\ud800"` in JSON) is the escaped twin of bad bytes: it has no UTF-8 form. */
const hasLoneSurrogate = (text: string) => /\p{Cs}/u.test(text);
const hasReplacement = (text: string) => text.includes('\ufffd');
const isRefused = (text: string) => hasNul(text) || hasLoneSurrogate(text);
const refusalOf = (text: string, field: string) =>
  hasNul(text) ? nulRefused(field) : encodingRefused(field);

/** Refuses the first text (key or value) of a parsed value that holds a NUL or a lone surrogate. */
function checkTexts(value: unknown): void {
  const found = findField(value, isRefused);
  if (found) throw refusalOf(found.text, found.path);
}

interface GuardedPart {
  type: 'field' | 'file';
  fieldname: string;
  filename?: string;
  value?: unknown;
}

/**
 * Multipart text fields, checked as the route reads them: the form parser has already replaced bad bytes with
 * U+FFFD, which a browser's form never sends, so that character stands for them. File contents are binary.
 */
async function* guardedParts(parts: AsyncIterable<GuardedPart>): AsyncGenerator<GuardedPart> {
  for await (const part of parts) {
    const name = printable(part.fieldname);
    const texts = [part.fieldname, part.type === 'file' ? (part.filename ?? '') : String(part.value ?? '')];
    for (const text of texts) {
      if (isRefused(text)) throw refusalOf(text, name);
      if (hasReplacement(text)) throw encodingRefused(name);
    }
    yield part;
  }
}

function guardMultipart(request: FastifyRequest): void {
  const target = request as unknown as { parts?: (...args: unknown[]) => AsyncIterable<GuardedPart> };
  const parts = target.parts;
  if (typeof parts !== 'function') return;
  target.parts = (...args: unknown[]) => guardedParts(parts.apply(request, args));
}

/**
 * Carnet's own routes read each query parameter as one string, and a repeated one arrives as an array (a 500 or
 * a confusion): refused. FHIR searches decide per parameter (src/fhir/search-params.ts), the OpenID provider
 * parses its own requests, and the web apps' pages (the `/*` route) read no query.
 */
function readsQueryAsStrings(request: FastifyRequest): boolean {
  const route = request.routeOptions.url ?? '';
  return !isFhirRequest(request) && route !== '/*' && route !== '/idp' && !route.startsWith('/idp/');
}

function firstRepeated(names: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}

/** Registers the checks on the root instance, before the routes, so that every route inherits them. */
export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preParsing', async (request, _reply, payload) => {
    const type = request.headers['content-type'] ?? '';
    if (!TEXT_BODY.test(type)) return payload;
    const raw: RawBody = { invalidUtf8: false };
    rawBodies.set(request, raw);
    return checkedStream(payload, raw, FORM_BODY.test(type));
  });

  app.addHook('preValidation', async (request) => {
    const url = request.raw.url ?? request.url;
    const queryAt = url.indexOf('?');
    const names = queryAt === -1 ? [] : checkUrlEncoded(url.slice(queryAt + 1));
    if (readsQueryAsStrings(request)) {
      const repeated = firstRepeated(names);
      if (repeated !== undefined)
        throw invalid(
          'query-parameter-repeated',
          `Le paramètre « ${printable(repeated)} » ne peut être donné qu’une fois.`,
          printable(repeated),
        );
    }
    // Path segments were percent-decoded by the router (which refuses malformed escapes itself).
    checkTexts(request.params);

    const raw = rawBodies.get(request);
    if (raw?.invalidUtf8) throw encodingRefused(findField(request.body, hasReplacement)?.path ?? 'body');
    if (raw?.form !== undefined) checkUrlEncoded(raw.form);
    checkTexts(request.body);

    if (/^\s*multipart\//i.test(request.headers['content-type'] ?? '')) guardMultipart(request);
  });
}
