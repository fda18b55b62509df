import { cdaRootProblem, decodeXml, looksLikeXml } from '../cda/detect.ts';
import type { ContentFormat } from '../../guard/index.ts';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b);
}

/** `%PDF-` followed by a version `d.d`. */
function isPdf(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 8)).toString('latin1');
  return /^%PDF-\d\.\d/.test(head);
}

/** Valid UTF-8 without NUL, and at most 1 % of control characters other than tab, line breaks and form feed. */
function isPlainText(text: string): boolean {
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return false;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0x7f) controls++;
  }
  return controls * 100 <= text.length;
}

function utf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Recognises an accepted format by its bytes, never by the declared type; anything else is undefined.
 * XML is accepted only as a CDA R2 document (root `ClinicalDocument` in urn:hl7-org:v3): other XML is refused,
 * not passed off as text.
 */
export function sniffFormat(bytes: Uint8Array): ContentFormat | undefined {
  if (bytes.length === 0) return undefined;
  if (isPdf(bytes)) return 'application/pdf';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]))
    return 'image/tiff';
  const head = Buffer.from(bytes.subarray(0, 64)).toString('latin1');
  if (looksLikeXml(head.replace(/^\xef\xbb\xbf/, ''))) {
    const text = decodeXml(bytes);
    return text !== undefined && cdaRootProblem(text) === undefined ? 'text/xml' : undefined;
  }
  const text = utf8(bytes);
  return text !== undefined && isPlainText(text) ? 'text/plain' : undefined;
}
