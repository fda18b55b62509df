import { sha256Hex } from '../record/index.ts';
import { CarnetError } from '../shared/index.ts';
import { classifyAttachment, isXdmPackage, safeFilename } from './attachment-kind.ts';
import type { ParsedAttachment } from './parse-inbound.ts';
import type { AttachmentKind } from './types.ts';
import { expansionTooLarge, unpackXdm, type ExpansionBudget } from './xdm.ts';

export interface PreparedAttachment {
  readonly filename: string;
  readonly declaredType: string;
  readonly contentType: string;
  readonly kind: AttachmentKind;
  readonly content: Buffer;
  readonly hash: string;
  readonly fromXdm: string | undefined;
}

/** What one message may unpack and store: `CARNET_SMTP_MAX_EXPANDED_BYTES` and `CARNET_SMTP_MAX_FILES`. */
export interface ExpansionLimits {
  /** Bytes decompressed from all the message's archives together. */
  readonly maxExpandedBytes: number;
  /** Files kept for the message: its attachments and what their archives add. */
  readonly maxFiles: number;
}

function prepare(
  content: Buffer,
  filename: string,
  declaredType: string,
  fromXdm: string | undefined,
): PreparedAttachment {
  const c = classifyAttachment(content, declaredType, filename);
  return {
    filename,
    declaredType,
    contentType: c.contentType,
    kind: c.kind,
    content,
    hash: sha256Hex(content),
    fromXdm,
  };
}

/**
 * The attachments to keep: each one as received, and after an `IHE_XDM.ZIP` its METADATA.XML and the CDA
 * documents it lists. An XDM package that cannot be read is kept as is (the professional's message still arrives).
 * The limits hold for the whole message: past them it throws `message-expansion-too-large` before anything is
 * written (the gateway answers 552), having decompressed no more than the limit.
 */
export async function expandAttachments(
  parsed: readonly ParsedAttachment[],
  limits: ExpansionLimits,
): Promise<PreparedAttachment[]> {
  if (parsed.length > limits.maxFiles) throw expansionTooLarge();
  const budget: ExpansionBudget = {
    bytesLeft: limits.maxExpandedBytes,
    filesLeft: limits.maxFiles - parsed.length,
  };
  const out: PreparedAttachment[] = [];
  for (const [i, a] of parsed.entries()) {
    const filename = safeFilename(a.filename, `piece-jointe-${i + 1}`);
    out.push(prepare(a.content, filename, a.declaredType, undefined));
    if (!isXdmPackage(filename)) continue;
    const documents = await unpackXdm(a.content, budget).catch((error: unknown) => {
      if (error instanceof CarnetError && error.code === 'message-expansion-too-large') throw error;
      return [];
    });
    for (const doc of documents) {
      out.push(
        prepare(doc.content, safeFilename(doc.path, 'document'), 'application/octet-stream', filename),
      );
    }
  }
  return out;
}
