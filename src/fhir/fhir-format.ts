import { Fhir } from 'fhir';
import { ConvertToJs } from 'fhir/convertToJs.js';
import { CarnetError, invalid } from '../shared/index.ts';

/**
 * FHIR's two formats on the wire (R4 http.html "Content Types and encodings"): which one a client asked for, and
 * the XML side of each resource. The XML is written and read by FHIR.js (the `fhir` package), which walks the R4
 * StructureDefinitions; Carnet never builds XML by hand.
 */
export type FhirFormat = 'json' | 'xml';

export interface Negotiated {
  readonly format: FhirFormat;
  /** The media type answered: the one the client named (FHIR: echo a generic `application/json` as is). */
  readonly mediaType: string;
}

export const FHIR_JSON: Negotiated = { format: 'json', mediaType: 'application/fhir+json' };
export const FHIR_XML: Negotiated = { format: 'xml', mediaType: 'application/fhir+xml' };

/** Every spelling FHIR gives for the two formats, `_format` shorthands included. */
const mediaTypes: Readonly<Record<string, Negotiated>> = {
  json: FHIR_JSON,
  'application/fhir+json': FHIR_JSON,
  'application/json+fhir': FHIR_JSON,
  'application/json': { format: 'json', mediaType: 'application/json' },
  'text/json': { format: 'json', mediaType: 'application/json' },
  xml: FHIR_XML,
  'application/fhir+xml': FHIR_XML,
  'application/xml+fhir': FHIR_XML,
  'application/xml': { format: 'xml', mediaType: 'application/xml' },
  'text/xml': { format: 'xml', mediaType: 'text/xml' },
};

/** The media types a FHIR request body may have: FHIR JSON and XML, JSON Patch, and a form for `POST _search`. */
export const JSON_BODY_TYPES = ['application/fhir+json', 'application/json', 'application/json-patch+json'];
export const XML_BODY_TYPES = ['application/fhir+xml', 'application/xml', 'text/xml'];

const notAcceptable = (expression: string) =>
  new CarnetError(
    'not-acceptable',
    'format-not-supported',
    'Formats pris en charge : JSON (application/fhir+json) et XML (application/fhir+xml).',
    expression,
  );

/** A media type without its parameters, lower-cased; a `+` sent unencoded in a query string arrives as a space. */
function bareType(value: string): string {
  return (value.split(';')[0] ?? '')
    .trim()
    .toLowerCase()
    .replace(/^application\/fhir (json|xml)$/, 'application/fhir+$1');
}

/** Accept's entries, best first (q, then the client's order); `q=0` means "not this one". */
function acceptEntries(header: string): string[] {
  return header
    .split(',')
    .map((part, index) => {
      const [type = '', ...params] = part.split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { type: bareType(type), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.type !== '' && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((entry) => entry.type);
}

function fromAccept(entry: string): Negotiated | undefined {
  if (entry === '*/*' || entry === 'application/*') return FHIR_JSON;
  return mediaTypes[entry];
}

/**
 * The format of the answer: `_format` wins over `Accept` (FHIR), JSON when the client says nothing or accepts
 * anything. `undefined` when the client named only formats Carnet does not speak (FHIR then wants a 406).
 */
export function negotiate(format: string | undefined, accept: string | undefined): Negotiated | undefined {
  if (format !== undefined) return mediaTypes[bareType(format)];
  if (accept === undefined || accept.trim() === '') return FHIR_JSON;
  for (const entry of acceptEntries(accept)) {
    const found = fromAccept(entry);
    if (found) return found;
  }
  return undefined;
}

/** `negotiate`, failing with a 406 OperationOutcome (in JSON, the one format then known to be understood). */
export function negotiateOrFail(format: string | undefined, accept: string | undefined): Negotiated {
  const negotiated = negotiate(format, accept);
  if (!negotiated) throw notAcceptable(format !== undefined ? '_format' : 'Accept');
  return negotiated;
}

/**
 * Whether the client named a FHIR format at all: ITI-68 answers the document's own bytes unless the client asks for
 * the Binary resource by `_format` or by a FHIR/JSON/XML type in `Accept` (wildcards do not count).
 */
export function explicitFhirFormat(
  format: string | undefined,
  accept: string | undefined,
): Negotiated | undefined {
  if (format !== undefined) return negotiate(format, undefined);
  for (const entry of acceptEntries(accept ?? '')) {
    const found = mediaTypes[entry];
    if (found) return found;
  }
  return undefined;
}

/**
 * FHIR JSON has no empty arrays, objects or strings (R4 json.html): a builder's `entry: []` or `{}` is left out of
 * the answer, as the XML form would drop it anyway.
 */
export function withoutEmpty(value: unknown): unknown {
  // Plain loops: this walks every answer, and a search page is a big tree.
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const items: unknown[] = new Array(value.length);
    let kept = false;
    for (let i = 0; i < value.length; i++) {
      const item = withoutEmpty(value[i]);
      if (item !== undefined) kept = true;
      items[i] = item ?? null;
    }
    return kept ? items : undefined;
  }
  if (Buffer.isBuffer(value)) return value;
  let kept: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const item = withoutEmpty((value as Record<string, unknown>)[key]);
    if (item === undefined) continue;
    kept ??= {};
    // As Object.fromEntries would: an own `__proto__` key stays a key.
    Object.defineProperty(kept, key, { value: item, enumerable: true, writable: true, configurable: true });
  }
  return kept;
}

let converter: Fhir | undefined;
/** FHIR.js parses its R4 definitions once (about 60 ms), on first use. */
const fhirJs = (): Fhir => (converter ??= new Fhir());

interface XmlReader {
  convert(xml: string): unknown;
  resourceToJS(element: unknown, decimals: unknown): unknown;
}
let xmlReader: XmlReader | undefined;
/**
 * FHIR.js's XML reader, asked to mark decimals (it returns them as strings otherwise). Its own `xmlToJson`, which
 * does the same, fails on a primitive's extension list holding `null` (`_given: [null, {…}]`), hence this.
 */
function reader(): XmlReader {
  if (xmlReader) return xmlReader;
  const created = new ConvertToJs(fhirJs().parser) as unknown as XmlReader;
  const resourceToJS = created.resourceToJS.bind(created);
  created.resourceToJS = (element, decimals) => resourceToJS(element, decimals ?? {});
  return (xmlReader = created);
}

/** A marked decimal (`{ value: '72.50', toJSON }`) becomes a JSON number, as FHIR JSON writes decimals. */
function withDecimals(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withDecimals);
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  if (typeof record.toJSON === 'function' && typeof record.value === 'string') return Number(record.value);
  return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, withDecimals(item)]));
}

/** A FHIR resource (JSON object) as FHIR XML, with its XML declaration. */
export function toFhirXml(resource: unknown): string {
  return fhirJs().objToXml(resource as object);
}

const xmlInvalid = (message: string) => invalid('xml-invalid', message);

const withoutComments = (xml: string): string => xml.replace(/<!--[\s\S]*?-->/g, '');

/** Start tags in a document, comments left out: what the lossless check below counts. */
const elementCount = (xml: string): number => (withoutComments(xml).match(/<[A-Za-z_]/g) ?? []).length;

/**
 * A FHIR XML request body as the JSON object the interactions read. Refused (400): a document type declaration
 * (no entity of any kind is expanded), a root outside the FHIR namespace, a malformed document, and any element
 * FHIR.js did not carry over (an unknown or misspelt element, which JSON would also refuse, is never dropped
 * silently).
 */
export function fromFhirXml(xml: string): Record<string, unknown> {
  if (/<!DOCTYPE/i.test(xml)) throw xmlInvalid('Les déclarations DOCTYPE ne sont pas acceptées.');
  const root = /<([A-Za-z][\w.-]*)(\s[^>]*)?\/?>/.exec(xml.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, ''));
  if (!root || !/\sxmlns\s*=\s*["']http:\/\/hl7\.org\/fhir["']/.test(root[2] ?? '')) {
    throw xmlInvalid('Le document XML doit être une ressource FHIR (espace de noms http://hl7.org/fhir).');
  }
  let resource: Record<string, unknown>;
  try {
    resource = withDecimals(reader().convert(withoutComments(xml))) as Record<string, unknown>;
  } catch (error) {
    // FHIR.js names the unknown type, the root's or a nested resource's (a Bundle entry's).
    const unknownType = /Unknown resource type: ([\w.-]{1,64})/.exec((error as Error).message)?.[1];
    throw xmlInvalid(
      unknownType
        ? `Le type de ressource « ${unknownType} » est inconnu.`
        : 'Le corps de la requête n’est pas du XML FHIR valide.',
    );
  }
  if (elementCount(toFhirXml(resource)) < elementCount(xml)) {
    throw xmlInvalid('Le document XML contient un élément inconnu de FHIR R4 ou mal placé.');
  }
  return resource;
}
