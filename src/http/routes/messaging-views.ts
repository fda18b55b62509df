import {
  type AttachmentView,
  type MessageView,
  type ThreadClosure,
  type ThreadSummary,
  type ThreadView,
  filingTitle,
} from '../../messaging/index.ts';
import type { CdaCode } from '../../record/index.ts';
import { findDocumentType } from '../../terminology/index.ts';

/** JSON shapes of the patient's messaging pages: display-ready, with the URLs of each attachment. */

/** The value of an `X-MSS-*` header whatever the case its name was stored in. */
export function mssHeader(message: MessageView, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const found = Object.entries(message.mssHeaders).find(([key]) => key.toLowerCase() === wanted);
  return found?.[1];
}

/** The CDA type a document carries, with the registry's French name when Carnet knows the code. */
export function cdaTypeView(code: CdaCode) {
  return { code: code.code, display: findDocumentType(code.code)?.display ?? code.display ?? code.code };
}
export type CdaTypeView = ReturnType<typeof cdaTypeView>;

export function attachmentView(
  attachment: AttachmentView,
  attachmentBase: string,
  messageId: string,
  cdaType: CdaTypeView | undefined,
  subject = '',
) {
  const url = `${attachmentBase}/${encodeURIComponent(attachment.id)}`;
  return {
    id: attachment.id,
    messageId,
    filename: attachment.filename,
    contentType: attachment.contentType,
    kind: attachment.kind,
    viewable: attachment.viewable,
    size: attachment.size,
    fromXdm: attachment.fromXdm ?? null,
    cdaType: cdaType ?? null,
    filedDocumentId: attachment.filedDocumentId ?? null,
    // The record accepts what a patient may upload: documents, not the XDM's metadata.
    canFile: attachment.kind !== 'xdm-metadata' && attachment.kind !== 'other',
    // The title proposed when filing it (the patient may change it): the message's subject, else the file's name.
    filingTitle: filingTitle({ subject, filename: attachment.filename }),
    contentUrl: `${url}/content`,
    downloadUrl: `${url}/content?download=1`,
    viewUrl: attachment.kind === 'cda' ? `${url}/view` : null,
  };
}

export function messageView(
  message: MessageView,
  attachmentBase: string,
  cdaTypes: ReadonlyMap<string, CdaTypeView>,
) {
  const xdmIns = mssHeader(message, 'X-MSS-INS');
  return {
    id: message.id,
    messageId: message.messageId,
    inReplyTo: message.inReplyTo ?? null,
    direction: message.direction,
    from: { address: message.from.address, name: message.from.name ?? null },
    to: message.to,
    subject: message.subject,
    text: message.text.trimEnd(),
    sentAt: message.sentAt,
    receivedAt: message.receivedAt,
    read: message.direction === 'outbound' || message.readAt !== undefined,
    xdm: message.attachments.some((a) => a.fromXdm)
      ? {
          codeCda: mssHeader(message, 'X-MSS-CODECDA') ?? null,
          // `X-MSS-INS: O`: the sender's software checked the patient's INS against the national service.
          insQualified: xdmIns === undefined ? null : xdmIns.toUpperCase() === 'O',
        }
      : null,
    attachments: message.attachments.map((a) =>
      attachmentView(a, attachmentBase, message.id, cdaTypes.get(a.id), message.subject),
    ),
  };
}

const closureView = (closure: ThreadClosure | undefined) =>
  closure ? { by: { address: closure.by.address, name: closure.by.name ?? null }, at: closure.at } : null;

export function threadView(
  thread: ThreadView,
  attachmentBase: string,
  cdaTypes: ReadonlyMap<string, CdaTypeView>,
) {
  return {
    threadId: thread.threadId,
    subject: thread.subject,
    professional: { address: thread.professional.address, name: thread.professional.name ?? null },
    patientAddress: thread.patientAddress,
    closed: closureView(thread.closed),
    canReply: thread.canReply,
    // In the order Carnet got them: a Date header has whole seconds and the sender's clock.
    messages: [...thread.messages]
      .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt))
      .map((m) => messageView(m, attachmentBase, cdaTypes)),
  };
}

/** A short plain-text preview of a message for the inbox. */
export function excerptOf(text: string, max = 140): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const isClosing = (m: MessageView) =>
  m.direction === 'inbound' &&
  (m.subject.trim() === '[FIN]' || mssHeader(m, 'X-MSS-MES')?.trim().toUpperCase() === 'FIN');

/**
 * One inbox line. `newestFirst` holds the thread's messages known to the page, newest first: its first one is the
 * last message; for a closed thread, the newest closing message (`[FIN]` subject or `X-MSS-MES: FIN`) says who
 * ended it and when.
 */
export function inboxThreadView(summary: ThreadSummary, newestFirst: readonly MessageView[]) {
  const last = newestFirst[0];
  const closing = summary.closed
    ? (newestFirst.find(isClosing) ?? newestFirst.find((m) => m.direction === 'inbound'))
    : undefined;
  return {
    threadId: summary.threadId,
    subject: summary.subject,
    professional: { address: summary.professional.address, name: summary.professional.name ?? null },
    lastMessageAt: summary.lastMessageAt,
    messageCount: summary.messageCount,
    unreadCount: summary.unreadCount,
    lastMessage: last
      ? {
          direction: last.direction,
          from: { address: last.from.address, name: last.from.name ?? null },
          excerpt: excerptOf(last.text),
          attachments: last.attachments.length,
          at: last.receivedAt,
        }
      : null,
    closed: summary.closed
      ? {
          by: closing
            ? { address: closing.from.address, name: closing.from.name ?? null }
            : { address: summary.professional.address, name: summary.professional.name ?? null },
          at: closing?.receivedAt ?? summary.lastMessageAt,
        }
      : null,
  };
}
