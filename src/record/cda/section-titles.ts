import { decodeXml } from './detect.ts';
import { CdaError, parseCda } from './parse.ts';
import type { CdaSection } from './types.ts';

function titlesOf(sections: readonly CdaSection[]): string[] {
  return sections.flatMap((s) => [...(s.title ? [s.title] : []), ...titlesOf(s.sections)]);
}

/**
 * The titles of a structured CDA's sections, nested ones included (« Facteurs de risque », « Traitements »), for
 * the record's search; none for any other content (a PDF, an image, a CDA wrapping a PDF, unreadable XML).
 */
export function cdaSectionTitles(bytes: Uint8Array): string[] {
  const xml = decodeXml(bytes);
  if (xml === undefined) return [];
  const cda = parseCda(xml);
  return cda instanceof CdaError ? [] : [...new Set(titlesOf(cda.sections))];
}
