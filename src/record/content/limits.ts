import type { Config } from '../../config/index.ts';
import { CarnetError } from '../../shared/index.ts';
import type { ContentFormat } from '../../guard/index.ts';
import { sniffFormat } from './sniff.ts';
import { sha256Hex, type StoredContent } from './store.ts';

export interface ContentLimits {
  professionalMaxBytes: number;
  patientMaxBytes: number;
  patientTypes: ContentFormat[];
  professionalTypes: ContentFormat[];
}

export type Uploader = 'professional' | 'patient';

/** Professionals, establishments and the insurer may deposit every accepted format. */
const allFormats: readonly ContentFormat[] = [
  'application/pdf',
  'text/xml',
  'text/plain',
  'image/jpeg',
  'image/png',
  'image/tiff',
];

export function contentLimits(config: Config): ContentLimits {
  return {
    professionalMaxBytes: config.maxDocumentBytes,
    patientMaxBytes: config.maxPatientUploadBytes,
    patientTypes: [...config.patientUploadTypes],
    professionalTypes: [...allFormats],
  };
}

const formatLabels: Record<ContentFormat, string> = {
  'application/pdf': 'PDF',
  'text/xml': 'CDA R2 (XML)',
  'text/plain': 'texte',
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/tiff': 'TIFF',
};

/** Declared types a client may send for each format (charset parameters and aliases aside). */
function declaredFormat(declared: string): string {
  const base = declared.split(';')[0]!.trim().toLowerCase();
  if (base === 'application/xml' || base === 'application/hl7-v3+xml' || base === 'application/cda+xml')
    return 'text/xml';
  if (base === 'image/jpg') return 'image/jpeg';
  return base;
}

function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} Mo`;
}

/**
 * Checks size, format (by content), the uploader's accepted types and, when given, that the declared type is what
 * the bytes are; returns the metadata to store. Throws CarnetError 413 / 415.
 */
export function checkContent(
  limits: ContentLimits,
  uploader: Uploader,
  bytes: Uint8Array,
  declaredContentType?: string,
): StoredContent {
  const max = uploader === 'patient' ? limits.patientMaxBytes : limits.professionalMaxBytes;
  if (bytes.length > max) {
    throw new CarnetError(
      'too-large',
      'content-too-large',
      `Le fichier dépasse la taille maximale de ${megabytes(max)}.`,
    );
  }
  if (bytes.length === 0) throw new CarnetError('invalid', 'content-empty', 'Le fichier est vide.');
  const format = sniffFormat(bytes);
  const accepted = uploader === 'patient' ? limits.patientTypes : limits.professionalTypes;
  const list = accepted.map((f) => formatLabels[f]).join(', ');
  if (!format || !accepted.includes(format)) {
    throw new CarnetError(
      'unsupported-media-type',
      'content-type-unsupported',
      `Ce format de fichier n’est pas accepté. Formats acceptés : ${list}.`,
    );
  }
  const declared = declaredContentType ? declaredFormat(declaredContentType) : undefined;
  // `application/octet-stream` claims nothing; any other declared type must be what the bytes are.
  if (declared && declared !== 'application/octet-stream' && declared !== format) {
    throw new CarnetError(
      'unsupported-media-type',
      'content-type-mismatch',
      `Le contenu ne correspond pas au type déclaré (${declaredContentType}) : c’est un fichier ${formatLabels[format]}.`,
    );
  }
  return { hash: sha256Hex(bytes), size: bytes.length, contentType: format };
}
