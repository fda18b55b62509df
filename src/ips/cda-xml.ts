/**
 * XML writing for the IPS-FR CDA: the VSM's writer, with every attribute and text normalised to one XML-safe line
 * first (the summary's values come from many sources: profile, VSM, vaccinations).
 */
import { cdaXml, normalizeLine as line } from '../vsm/index.ts';

export { line };

export const el = (name: string, attrs: Record<string, string | undefined>, ...children: string[]): string =>
  cdaXml.el(
    name,
    Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, v === undefined ? v : line(v)])),
    ...children,
  );

export const textEl = (name: string, text: string, attrs: Record<string, string | undefined> = {}) =>
  el(name, attrs, cdaXml.escapeXml(line(text)));
