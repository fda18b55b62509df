/** Writing CDA XML: escaped text and attributes, elements with their children as strings. */
export const escapeXml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

/** `<name a="v"/>`, attributes escaped; undefined values left out. */
export function el(name: string, attrs: Record<string, string | undefined>, ...children: string[]): string {
  const attributes = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(v!)}"`)
    .join('');
  const inner = children.join('');
  return inner === '' ? `<${name}${attributes}/>` : `<${name}${attributes}>${inner}</${name}>`;
}

export const textEl = (name: string, text: string, attrs: Record<string, string | undefined> = {}): string =>
  el(name, attrs, escapeXml(text));
