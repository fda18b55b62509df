import { isProfessionalType } from '../access/index.ts';
import { invalid } from '../shared/index.ts';
import { findDocumentType } from '../terminology/index.ts';
import { DOCUMENT_TITLE_MAX_LENGTH as TITLE_MAX_LENGTH, titleTooLong } from '../record/index.ts';

/** When neither the CDA nor the sender names a known type, a letter is filed as a consultation report. */
export const FALLBACK_TYPE_CODE = '11488-4';

/**
 * The record type of a filed attachment: the CDA's own header code, then the sender's `X-MSS-CODECDA`, then the
 * fallback; only types a professional may file count (unknown, deprecated, patient or insurer types are skipped).
 */
export function filingTypeCode(cdaHeaderCode: string | undefined, mssCodeCda: string | undefined): string {
  for (const code of [cdaHeaderCode, mssCodeCda?.trim()]) {
    const type = code ? findDocumentType(code) : undefined;
    if (type && isProfessionalType(type)) return type.code;
  }
  return FALLBACK_TYPE_CODE;
}

/** Reply and forward marks a mail client puts before a subject (« RE : », « TR: », « Fwd: »), and MSSanté's `[FIN]`. */
const subjectMarks = /^\s*(?:(?:re|tr|fw|fwd|réf)\s*:\s*|\[fin\]\s*)+/i;

/** A message's subject as a document title: without reply or forward marks; empty when nothing is left. */
export function subjectAsTitle(subject: string | undefined): string {
  return (subject ?? '').replace(subjectMarks, '').replace(/\s+/g, ' ').trim();
}

/**
 * The title of a filed attachment: the one the patient typed (they see the proposal and may change it), else the
 * message's subject (what the professional called it), else the CDA's title, else the filename without its
 * extension. A given title must not be blank.
 */
export function filingTitle(options: {
  readonly given?: string | undefined;
  readonly subject?: string | undefined;
  readonly cdaTitle?: string | undefined;
  readonly filename: string;
}): string {
  if (options.given !== undefined) {
    const given = options.given.replace(/\s+/g, ' ').trim();
    if (given === '') throw invalid('title-required', 'Indiquez un titre pour le document.', 'title');
    if (given.length > TITLE_MAX_LENGTH) throw titleTooLong();
    return given;
  }
  const fromSubject = subjectAsTitle(options.subject);
  if (fromSubject) return fromSubject.slice(0, TITLE_MAX_LENGTH);
  const fromCda = options.cdaTitle?.trim();
  if (fromCda) return fromCda.slice(0, TITLE_MAX_LENGTH);
  const base = options.filename.replace(/\.[A-Za-z0-9]{1,5}$/, '').trim();
  return (base === '' ? 'Document reçu par messagerie' : base).slice(0, TITLE_MAX_LENGTH);
}
