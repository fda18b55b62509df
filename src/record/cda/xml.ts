import { XMLParser } from 'fast-xml-parser';

/** fast-xml-parser's `preserveOrder` shape: `{ tag: children, ':@': attributes }` or `{ '#text': text }`. */
export type XmlNode = Record<string, unknown>;

/**
 * The deepest element nesting read. Real CDA documents stay under 20 levels (the ANS examples reach 18);
 * deeper ones are refused at deposit, and the readers below may recurse without bound checks.
 */
export const MAX_XML_DEPTH = 100;

const parser = new XMLParser({
  maxNestedTags: MAX_XML_DEPTH, // the parser counts ancestors: it accepts one level more than the check above
  preserveOrder: true, // the narrative mixes text and elements; their order is the meaning
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false, // "0123" stays a string
  parseAttributeValue: false,
  trimValues: false, // spaces between inline elements are words' separators
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** Parses a document already checked well-formed and within MAX_XML_DEPTH (see detect.ts); may throw. */
export function parseXml(text: string): XmlNode[] {
  return parser.parse(text) as XmlNode[];
}

export function nameOf(node: XmlNode): string | undefined {
  for (const key of Object.keys(node)) if (key !== ':@') return key;
  return undefined;
}

export function isText(node: XmlNode): boolean {
  return nameOf(node) === '#text';
}

export function kids(node: XmlNode | undefined): XmlNode[] {
  if (!node) return [];
  const name = nameOf(node);
  const value = name === undefined || name === '#text' ? undefined : node[name];
  return Array.isArray(value) ? (value as XmlNode[]) : [];
}

export function attr(node: XmlNode | undefined, name: string): string | undefined {
  const attributes = node?.[':@'] as Record<string, unknown> | undefined;
  const value = attributes?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function all(node: XmlNode | undefined, name: string): XmlNode[] {
  return kids(node).filter((k) => nameOf(k) === name);
}

export function first(node: XmlNode | undefined, ...path: string[]): XmlNode | undefined {
  let current = node;
  for (const name of path) {
    current = kids(current).find((k) => nameOf(k) === name);
    if (!current) return undefined;
  }
  return current;
}

/** All the text below a node, whitespace collapsed. */
export function textOf(node: XmlNode | undefined): string {
  return rawText(node).replace(/\s+/g, ' ').trim();
}

function rawText(node: XmlNode | undefined): string {
  if (!node) return '';
  if (isText(node)) return String(node['#text']);
  return kids(node).map(rawText).join('');
}

export function optionalText(node: XmlNode | undefined): string | undefined {
  const text = textOf(node);
  return text === '' ? undefined : text;
}
