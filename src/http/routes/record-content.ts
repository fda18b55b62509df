import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../access/index.ts';
import type { AppContext } from '../../app/index.ts';
import type { PatientId } from '../../identity/index.ts';
import {
  parseCda,
  type CdaDocument,
  retrieveDocumentContent,
  type DocumentId,
  type RecordDocument,
} from '../../record/index.ts';
import { CarnetError, invalid } from '../../shared/index.ts';
import { fileNameOf } from './record-views.ts';

export interface Upload {
  readonly fields: Readonly<Record<string, string>>;
  readonly bytes: Buffer;
  readonly mimetype: string;
}

const tooLarge = (maxBytes: number) =>
  new CarnetError(
    'too-large',
    'content-too-large',
    `Le fichier dépasse la taille maximale autorisée (${Math.floor(maxBytes / (1024 * 1024))} Mo).`,
  );

/**
 * Reads a multipart form (text fields and one `file`) into memory, stopping at `maxBytes`: documents are
 * checked by their bytes (format sniffing, hash) before anything is stored, so they are read whole.
 */
export async function readUpload(request: FastifyRequest, maxBytes: number): Promise<Upload> {
  if (!request.isMultipart())
    throw new CarnetError(
      'unsupported-media-type',
      'multipart-required',
      'Le document doit être envoyé comme un formulaire avec fichier.',
    );
  const fields: Record<string, string> = {};
  let file: { bytes: Buffer; mimetype: string } | undefined;
  try {
    for await (const part of request.parts({ limits: { fileSize: maxBytes, files: 1, fields: 10 } })) {
      if (part.type === 'file') file = { bytes: await part.toBuffer(), mimetype: part.mimetype };
      else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(maxBytes);
    throw error;
  }
  if (!file || file.bytes.length === 0)
    throw invalid('file-required', 'Choisissez un fichier à envoyer.', 'file');
  return { fields, bytes: file.bytes, mimetype: file.mimetype };
}

export function requiredField(upload: Upload, name: string, message: string): string {
  const value = upload.fields[name]?.trim();
  if (!value) throw invalid(`${name}-required`, message, name);
  if (value.length > 256)
    throw invalid(`${name}-too-long`, 'Ce champ est trop long (256 caractères au plus).', name);
  return value;
}

/**
 * A document's bytes with their checked type. Uploaded content is shown from our own origin, so it gets its own
 * strict policy: no script ever, and XML/text (which a browser could render as markup) are sandboxed.
 */
export function sendDocumentContent(
  reply: FastifyReply,
  doc: RecordDocument,
  content: Buffer,
  download: boolean,
): FastifyReply {
  const sandbox = doc.contentType === 'text/xml' || doc.contentType === 'text/plain' ? '; sandbox' : '';
  return reply
    .type(doc.contentType.startsWith('text/') ? `${doc.contentType}; charset=utf-8` : doc.contentType)
    .header('content-disposition', `${download ? 'attachment' : 'inline'}; filename="${fileNameOf(doc)}"`)
    .header('cache-control', 'no-store')
    .header(
      'content-security-policy',
      `default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'${sandbox}`,
    )
    .send(content);
}

/** A CDA document of the record, parsed for reading (retrieval goes through the policy and is audited). */
export async function readableCda(
  ctx: AppContext,
  principal: Principal,
  id: DocumentId,
  inRecord: PatientId,
): Promise<CdaDocument> {
  const { document, content } = await retrieveDocumentContent(ctx, principal, id, inRecord);
  if (document.contentType !== 'text/xml')
    throw invalid('not-cda', 'Ce document n’est pas un document structuré (CDA).');
  const cda = parseCda(content.toString('utf8'));
  if (cda instanceof Error)
    throw new CarnetError(
      'unprocessable',
      'cda-unreadable',
      'Ce document structuré ne peut pas être affiché ; téléchargez-le.',
    );
  return cda;
}

/** The file a CDA wraps (a PDF, usually), for the viewer's frame. */
export function sendEmbedded(reply: FastifyReply, cda: CdaDocument, download: boolean): FastifyReply {
  if (!cda.nonXmlBody) throw invalid('cda-no-embedded', 'Ce document ne contient pas de fichier joint.');
  return reply
    .type(cda.nonXmlBody.mediaType)
    .header('content-disposition', `${download ? 'attachment' : 'inline'}; filename="document-joint"`)
    .header('cache-control', 'no-store')
    .header('content-security-policy', "default-src 'none'; frame-ancestors 'self'")
    .send(cda.nonXmlBody.bytes);
}
