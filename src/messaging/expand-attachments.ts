import { sha256Hex } from '../record/content/index.ts';
import { classifyAttachment, isXdmPackage, safeFilename } from './attachment-kind.ts';
import type { ParsedAttachment } from './parse-inbound.ts';
import type { AttachmentKind } from './types.ts';
import { unpackXdm } from './xdm.ts';

export interface PreparedAttachment {
  readonly filename: string;
  readonly declaredType: string;
  readonly contentType: string;
  readonly kind: AttachmentKind;
  readonly content: Buffer;
  readonly hash: string;
  readonly fromXdm: string | undefined;
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
 */
export async function expandAttachments(parsed: readonly ParsedAttachment[]): Promise<PreparedAttachment[]> {
  const out: PreparedAttachment[] = [];
  for (const [i, a] of parsed.entries()) {
    const filename = safeFilename(a.filename, `piece-jointe-${i + 1}`);
    out.push(prepare(a.content, filename, a.declaredType, undefined));
    if (!isXdmPackage(filename)) continue;
    const documents = await unpackXdm(a.content).catch(() => []);
    for (const doc of documents) {
      out.push(
        prepare(doc.content, safeFilename(doc.path, 'document'), 'application/octet-stream', filename),
      );
    }
  }
  return out;
}
