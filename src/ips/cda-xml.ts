/**
 * Minimal XML writing for the IPS-FR CDA (copied from src/vsm/cda-builder.ts, whose helpers are private): elements
 * with escaped attributes, text elements.
 */
const escapeXml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

// XML 1.0 refuses these characters outright (controls, lone surrogates, U+FFFE/U+FFFF).
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** One line as a narrative keeps it: blanks collapsed, no character XML refuses. */
export const line = (text: string): string => text.replace(NOT_XML, '').replace(/\s+/g, ' ').trim();

/** `<name a="v">children</name>`; undefined attributes left out, empty elements closed. */
export function el(name: string, attrs: Record<string, string | undefined>, ...children: string[]): string {
  const attributes = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(line(v!))}"`)
    .join('');
  const inner = children.join('');
  return inner === '' ? `<${name}${attributes}/>` : `<${name}${attributes}>${inner}</${name}>`;
}

export const textEl = (name: string, text: string, attrs: Record<string, string | undefined> = {}) =>
  el(name, attrs, escapeXml(line(text)));
