import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PatientPrincipal } from '../../access/index.ts';
import type { AppContext } from '../../app/index.ts';
import type { PatientId } from '../../identity/index.ts';
import { findInsuredById } from '../../insured/index.ts';
import {
  fileAttachmentIntoRecord,
  listCommunications,
  listInbox,
  patientAddress,
  readAttachment,
  readThread,
  replyInThread,
  type MessageView,
  type ReplyInput,
  type ThreadView,
} from '../../messaging/index.ts';
import { parseCda, type CdaDocument, contentLimits } from '../../record/index.ts';
import { CarnetError, invalid, notFound } from '../../shared/index.ts';
import { cdaTypeView, inboxThreadView, threadView, type CdaTypeView } from './messaging-views.ts';
import { sendEmbedded } from './record-content.ts';
import { cdaView, documentView } from './record-views.ts';
import { actingFor, patientScopes, registerPatientScope } from './patient-acting-for.ts';
import { messagingContracts } from '../contracts/messaging-api.ts';

type MailboxRequest<P = object, Q = object> = FastifyRequest<{
  Params: { patientId: string } & P;
  Querystring: Q;
}>;
type AttachmentRequest<Q = object> = MailboxRequest<{ attachmentId: string }, Q>;

const base = '/api/patient/messages/:patientId';
const attachmentBaseOf = (patientId: string) =>
  `/api/patient/messages/${encodeURIComponent(patientId)}/attachments`;

/** Messages read to build the inbox's previews: a patient's mailbox holds tens of messages, rarely more. */
const INBOX_PREVIEW_MESSAGES = 500;
const MAX_REPLY_FILES = 10;
const MAX_REPLY_TEXT = 20_000;

/** The patient's secure messaging (docs/messaging.md): inbox, thread, attachments, reply, filing into the record. */
export async function registerMessagingApi(app: FastifyInstance, ctx: AppContext): Promise<void> {
  registerPatientScope(app, ctx, patientScopes.mailbox);
  // Encapsulated: only these routes (and the record's) accept multipart bodies.
  await app.register(async (scope) => {
    await scope.register(multipart);
    registerMailbox(scope, ctx);
    registerAttachments(scope, ctx);
  });
}

function registerMailbox(app: FastifyInstance, ctx: AppContext): void {
  app.get(base, { schema: messagingContracts.inbox }, async (request: MailboxRequest) => {
    const { principal, patientId } = actingFor(request);
    const person = await findInsuredById(ctx.db, patientId);
    if (!person) throw notFound('patient-not-found', 'Patient introuvable.');
    const [threads, recent] = await Promise.all([
      listInbox(ctx, principal, patientId),
      listCommunications(ctx, principal, patientId, { offset: 0, count: INBOX_PREVIEW_MESSAGES }),
    ]);
    const byThread = new Map<string, MessageView[]>();
    const newestReceived = [...recent.messages].sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
    for (const message of newestReceived) {
      byThread.set(message.threadId, [...(byThread.get(message.threadId) ?? []), message]);
    }
    const sorted = [...threads].sort((a, b) => b.lastMessageAt.localeCompare(a.lastMessageAt));
    return {
      address: patientAddress(person.ins, ctx.config.patientMailDomain),
      unread: threads.reduce((sum, t) => sum + t.unreadCount, 0),
      threads: sorted.map((t) => inboxThreadView(t, byThread.get(t.threadId) ?? [])),
    };
  });

  app.get(
    `${base}/threads/:threadId`,
    { schema: messagingContracts.thread },
    async (request: MailboxRequest<{ threadId: string }>) => {
      const { principal, patientId } = actingFor(request);
      const thread = await readThread(ctx, principal, patientId, request.params.threadId);
      const types = await cdaTypesOf(ctx, principal, patientId, thread);
      return threadView(thread, attachmentBaseOf(patientId), types);
    },
  );

  app.post(
    `${base}/threads/:threadId/reply`,
    { schema: messagingContracts.reply },
    async (request: MailboxRequest<{ threadId: string }>, reply) => {
      const { principal, patientId } = actingFor(request);
      const input = await readReply(request, contentLimits(ctx.config).patientMaxBytes);
      const sent = await replyInThread(ctx, principal, patientId, request.params.threadId, input);
      return reply.status(201).send({
        id: sent.id,
        messageId: sent.messageId,
        inReplyTo: sent.inReplyTo ?? null,
        threadId: sent.threadId,
        sentAt: sent.sentAt,
        attachments: sent.attachments.map((a) => ({ id: a.id, filename: a.filename, size: a.size })),
      });
    },
  );
}

function registerAttachments(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    `${base}/attachments/:attachmentId/content`,
    { schema: messagingContracts.attachment },
    async (request: AttachmentRequest<{ download?: string }>, reply) => {
      const { principal, patientId } = actingFor(request);
      const file = await readAttachment(ctx, principal, patientId, request.params.attachmentId);
      return sendAttachment(reply, file, request.query.download === '1');
    },
  );

  app.get(
    `${base}/attachments/:attachmentId/view`,
    { schema: messagingContracts.attachmentView },
    async (request: AttachmentRequest) => {
      const cda = await readableAttachment(ctx, request);
      return cdaView(
        cda,
        `${attachmentBaseOf(request.params.patientId)}/${request.params.attachmentId}/embedded`,
      );
    },
  );

  app.get(
    `${base}/attachments/:attachmentId/embedded`,
    { schema: messagingContracts.attachmentEmbedded },
    async (request: AttachmentRequest<{ download?: string }>, reply) =>
      sendEmbedded(reply, await readableAttachment(ctx, request), request.query.download === '1'),
  );

  app.post(
    `${base}/messages/:messageId/attachments/:attachmentId/file`,
    { schema: messagingContracts.file },
    async (request: MailboxRequest<{ messageId: string; attachmentId: string }>, reply) => {
      const { principal, patientId } = actingFor(request);
      const { messageId, attachmentId } = request.params;
      // The title the patient typed (optional: without it, the message's subject).
      const body = request.body as { title?: unknown } | null | undefined;
      const title = body?.title;
      if (title !== undefined && typeof title !== 'string')
        throw invalid('title-invalid', 'Le titre du document doit être un texte.', 'title');
      const doc = await fileAttachmentIntoRecord(ctx, principal, patientId, messageId, attachmentId, {
        title,
      });
      return reply
        .status(201)
        .send(documentView(doc, `/api/patient/record/${encodeURIComponent(patientId)}/documents`));
    },
  );
}

/** The types of the CDA documents of a thread (those of an `IHE_XDM.ZIP` included), read from their header. */
async function cdaTypesOf(
  ctx: AppContext,
  principal: PatientPrincipal,
  patientId: PatientId,
  thread: ThreadView,
): Promise<Map<string, CdaTypeView>> {
  const types = new Map<string, CdaTypeView>();
  const cdas = thread.messages.flatMap((m) => m.attachments.filter((a) => a.kind === 'cda'));
  for (const attachment of cdas) {
    const file = await readAttachment(ctx, principal, patientId, attachment.id);
    const cda = parseCda(file.content.toString('utf8'));
    if (!(cda instanceof Error)) types.set(attachment.id, cdaTypeView(cda.header.type));
  }
  return types;
}

async function readableAttachment(ctx: AppContext, request: AttachmentRequest): Promise<CdaDocument> {
  const { principal, patientId } = actingFor(request);
  const file = await readAttachment(ctx, principal, patientId, request.params.attachmentId);
  const cda = file.contentType === 'text/xml' ? parseCda(file.content.toString('utf8')) : undefined;
  if (!cda) throw invalid('not-cda', 'Cette pièce jointe n’est pas un document structuré (CDA).');
  if (cda instanceof Error)
    throw new CarnetError(
      'unprocessable',
      'cda-unreadable',
      'Ce document structuré ne peut pas être affiché ; téléchargez-le.',
    );
  return cda;
}

/** A header-safe file name: accents dropped, anything unusual replaced. */
function safeFileName(name: string): string {
  const cleaned = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+/, '')
    .slice(0, 100);
  return cleaned || 'piece-jointe';
}

const inlineTypes = new Set(['application/pdf', 'image/jpeg', 'image/png', 'image/gif', 'text/plain']);

/**
 * An attachment's bytes, served from our own origin: the sender chose them, so they never run script. Only the
 * formats the page shows (PDF, images, text) are inline; everything else is a download.
 */
function sendAttachment(
  reply: FastifyReply,
  file: { filename: string; contentType: string; viewable: boolean; content: Buffer },
  download: boolean,
): FastifyReply {
  const inline = !download && file.viewable && inlineTypes.has(file.contentType);
  const type = inline ? file.contentType : 'application/octet-stream';
  const sandbox = file.contentType.startsWith('text/') ? '; sandbox' : '';
  return reply
    .type(type.startsWith('text/') ? `${type}; charset=utf-8` : type)
    .header(
      'content-disposition',
      `${inline ? 'inline' : 'attachment'}; filename="${safeFileName(file.filename)}"`,
    )
    .header('cache-control', 'no-store')
    .header(
      'content-security-policy',
      `default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'${sandbox}`,
    )
    .send(file.content);
}

/** The reply form: `text` and any number of files (each within the patient's upload limit). */
async function readReply(request: FastifyRequest, maxBytes: number): Promise<ReplyInput> {
  if (!request.isMultipart())
    throw new CarnetError(
      'unsupported-media-type',
      'multipart-required',
      'La réponse doit être envoyée comme un formulaire.',
    );
  let text = '';
  const attachments: { filename: string; contentType: string; content: Buffer }[] = [];
  try {
    const limits = { fileSize: maxBytes, files: MAX_REPLY_FILES, fields: 5 };
    for await (const part of request.parts({ limits })) {
      if (part.type === 'file') {
        const content = await part.toBuffer();
        // An empty file input still sends a nameless empty part.
        if (content.length > 0)
          attachments.push({
            filename: part.filename || 'piece-jointe',
            contentType: part.mimetype,
            content,
          });
      } else if (part.fieldname === 'text' && typeof part.value === 'string') text = part.value;
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE')
      throw new CarnetError(
        'too-large',
        'content-too-large',
        `Une pièce jointe dépasse la taille maximale autorisée (${Math.floor(maxBytes / (1024 * 1024))} Mo).`,
      );
    if (code === 'FST_FILES_LIMIT')
      throw invalid('too-many-files', `Joignez au plus ${MAX_REPLY_FILES} fichiers.`, 'files');
    throw error;
  }
  text = text.trim();
  if (!text && attachments.length === 0)
    throw invalid('reply-empty', 'Écrivez votre réponse ou joignez un fichier.', 'text');
  if (text.length > MAX_REPLY_TEXT)
    throw invalid('reply-too-long', 'Votre réponse est trop longue (20 000 caractères au plus).', 'text');
  return { text, attachments };
}
