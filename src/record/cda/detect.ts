import { XMLValidator } from 'fast-xml-parser';

export const HL7_V3_NAMESPACE = 'urn:hl7-org:v3';

/** Decodes XML bytes: UTF-8 (strict) unless the declaration names ISO-8859-1 / Windows-1252. */
export function decodeXml(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  const declared = /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase();
  if (declared === 'iso-8859-1' || declared === 'latin1' || declared === 'windows-1252') {
    return new TextDecoder('windows-1252').decode(bytes);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** True when the text starts like an XML document (declaration, comment or element), BOM and blanks aside. */
export function looksLikeXml(text: string): boolean {
  return /^\uFEFF?\s*<(\?xml|!--|[A-Za-z_])/.test(text);
}

export type CdaRootProblem = 'not-well-formed' | 'doctype' | 'not-clinical-document' | 'wrong-namespace';

/**
 * Checks that the text is well-formed XML whose root element is `ClinicalDocument` in urn:hl7-org:v3.
 * A DOCTYPE is refused: CDA never uses one, and it is the door to entity-expansion attacks.
 */
export function cdaRootProblem(text: string): CdaRootProblem | undefined {
  const prolog = /^\uFEFF?\s*(?:<\?[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*)*/.exec(text)![0];
  const rest = text.slice(prolog.length);
  if (/^<!DOCTYPE/i.test(rest)) return 'doctype';
  if (XMLValidator.validate(text) !== true) return 'not-well-formed';
  const tag =
    /^<([A-Za-z_][\w.-]*)(?::([A-Za-z_][\w.-]*))?((?:\s+[^\s=>/]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/.exec(
      rest,
    );
  if (!tag) return 'not-well-formed';
  const [prefix, local] = tag[2] === undefined ? [undefined, tag[1]!] : [tag[1]!, tag[2]];
  if (local !== 'ClinicalDocument') return 'not-clinical-document';
  const xmlnsName = prefix === undefined ? 'xmlns' : `xmlns:${prefix}`;
  for (const match of tag[3]!.matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    if (match[1] === xmlnsName)
      return (match[2] ?? match[3]) === HL7_V3_NAMESPACE ? undefined : 'wrong-namespace';
  }
  return 'wrong-namespace';
}
