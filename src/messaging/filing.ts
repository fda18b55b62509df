import { findDocumentType } from '../record/document-types.ts';

/** When neither the CDA nor the sender names a known type, a letter is filed as a consultation report. */
export const FALLBACK_TYPE_CODE = '11488-4';

/**
 * The record type of a filed attachment: the CDA's own header code, then the sender's `X-MSS-CODECDA`, then the
 * fallback; only types a professional may file count (unknown, deprecated, patient or insurer types are skipped).
 */
export function filingTypeCode(cdaHeaderCode: string | undefined, mssCodeCda: string | undefined): string {
  for (const code of [cdaHeaderCode, mssCodeCda?.trim()]) {
    const type = code ? findDocumentType(code) : undefined;
    if (type && !type.deprecated && type.producer === 'professional') return type.code;
  }
  return FALLBACK_TYPE_CODE;
}

/** A title from the CDA, else the filename without its extension. */
export function filingTitle(cdaTitle: string | undefined, filename: string): string {
  const fromCda = cdaTitle?.trim();
  if (fromCda) return fromCda.slice(0, 500);
  const base = filename.replace(/\.[A-Za-z0-9]{1,5}$/, '').trim();
  return (base === '' ? 'Document reçu par messagerie' : base).slice(0, 500);
}
