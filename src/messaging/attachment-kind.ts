import { sniffFormat } from '../record/index.ts';
import type { AttachmentKind } from './types.ts';

export interface Classified {
  readonly kind: AttachmentKind;
  /** The sniffed format, or the declared type (never trusted for display) for `other`. */
  readonly contentType: string;
  readonly viewable: boolean;
}

/** PDF, images, text and CDA are shown; anything else is kept for download only (recognised by bytes). */
export function classifyAttachment(bytes: Uint8Array, declaredType: string, filename: string): Classified {
  const format = sniffFormat(bytes);
  switch (format) {
    case 'application/pdf':
      return { kind: 'pdf', contentType: format, viewable: true };
    case 'image/jpeg':
    case 'image/png':
    case 'image/tiff':
      return { kind: 'image', contentType: format, viewable: true };
    case 'text/plain':
      return { kind: 'text', contentType: format, viewable: true };
    case 'text/xml':
      return { kind: 'cda', contentType: format, viewable: true };
    case undefined:
      if (/(^|\/)METADATA\.XML$/i.test(filename)) {
        // XDM submission metadata: shown as plain text, never interpreted by a browser.
        return { kind: 'xdm-metadata', contentType: 'application/xml', viewable: true };
      }
      return { kind: 'other', contentType: cleanType(declaredType), viewable: false };
  }
}

function cleanType(declared: string): string {
  const base = declared.split(';')[0]!.trim().toLowerCase();
  return /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(base) ? base : 'application/octet-stream';
}

/** The MSSanté name of the XDM package (IHE ITI TF-3 §3.32.4.1.2.2: `IHE_XDM.ZIP`), case-insensitive. */
export function isXdmPackage(filename: string): boolean {
  return /(^|[\\/])IHE_XDM\.ZIP$/i.test(filename.trim());
}

/** A filename safe to show and to put in a Content-Disposition header. */
export function safeFilename(name: string | undefined, fallback: string): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = [...base]
    .map((c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || '"<>|:*?'.includes(c) ? '_' : c))
    .join('')
    .trim()
    .slice(0, 200);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? fallback : cleaned;
}
