import { XMLValidator } from 'fast-xml-parser';
import { MAX_XML_DEPTH, parseXml, type XmlNode } from './xml.ts';

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

export type CdaRootProblem =
  'not-well-formed' | 'doctype' | 'not-clinical-document' | 'wrong-namespace' | 'too-deep' | 'reserved-name';

/**
 * Whether elements nest deeper than `limit` in XML (comments, CDATA, processing instructions and
 * quoted attribute values skipped), in one pass without recursion.
 */
function nestsDeeperThan(text: string, limit: number): boolean {
  const skipTo = (from: number, end: string) => {
    const at = text.indexOf(end, from);
    return at === -1 ? text.length : at + end.length;
  };
  let depth = 0;
  let i = text.indexOf('<');
  while (i !== -1 && i < text.length) {
    if (text.startsWith('<!--', i)) i = skipTo(i + 4, '-->');
    else if (text.startsWith('<![CDATA[', i)) i = skipTo(i + 9, ']]>');
    else if (text.startsWith('<?', i)) i = skipTo(i + 2, '?>');
    else if (text.startsWith('<!', i)) i = skipTo(i + 2, '>');
    else if (text.startsWith('</', i)) {
      depth--;
      i = skipTo(i + 2, '>');
    } else {
      let j = i + 1;
      let quote = '';
      for (; j < text.length; j++) {
        const c = text[j];
        if (quote) {
          if (c === quote) quote = '';
        } else if (c === '"' || c === "'") quote = c;
        else if (c === '>') break;
      }
      if (text[j - 1] !== '/' && ++depth > limit) return true;
      i = j + 1;
    }
    i = text.indexOf('<', i);
  }
  return false;
}

/**
 * Checks that the text is well-formed XML whose root element is `ClinicalDocument` in urn:hl7-org:v3, and that
 * the viewer can read it (nesting within MAX_XML_DEPTH, names the parser accepts); returns its top-level nodes.
 * A DOCTYPE is refused: CDA never uses one, and it is the door to entity-expansion attacks. The same check
 * guards the deposit and the reading, so that nothing is stored that could not be shown.
 */
export function readCdaXml(text: string): XmlNode[] | CdaRootProblem {
  const prolog = /^\uFEFF?\s*(?:<\?[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*)*/.exec(text)![0];
  const rest = text.slice(prolog.length);
  if (/^<!DOCTYPE/i.test(rest)) return 'doctype';
  // Before the validator, which takes seconds on megabytes of nesting.
  if (nestsDeeperThan(text, MAX_XML_DEPTH)) return 'too-deep';
  if (XMLValidator.validate(text) !== true) return 'not-well-formed';
  const tag =
    /^<([A-Za-z_][\w.-]*)(?::([A-Za-z_][\w.-]*))?((?:\s+[^\s=>/]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/.exec(
      rest,
    );
  if (!tag) return 'not-well-formed';
  const [prefix, local] = tag[2] === undefined ? [undefined, tag[1]!] : [tag[1]!, tag[2]];
  if (local !== 'ClinicalDocument') return 'not-clinical-document';
  const xmlnsName = prefix === undefined ? 'xmlns' : `xmlns:${prefix}`;
  const namespace = [...tag[3]!.matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)].find(
    (match) => match[1] === xmlnsName,
  );
  if ((namespace?.[2] ?? namespace?.[3]) !== HL7_V3_NAMESPACE) return 'wrong-namespace';
  try {
    return parseXml(text);
  } catch {
    // The parser refuses names that would reach the object prototype (`constructor`, `__proto__`…).
    return 'reserved-name';
  }
}

/** Why the text is not a CDA R2 document the viewer can read, if it is not. */
export function cdaRootProblem(text: string): CdaRootProblem | undefined {
  const read = readCdaXml(text);
  return typeof read === 'string' ? read : undefined;
}
