import { z } from 'zod';
import { contract, multipart, raw } from '../contract.ts';
import { downloadQuery, patientParams } from './common.ts';
import { cdaView, recordDocumentView } from './record-api.ts';

const threadParams = patientParams.extend({ threadId: z.string() });
const attachmentParams = patientParams.extend({ attachmentId: z.string() });

const mailbox = z.object({ address: z.string(), name: z.string().nullable() });
export type Mailbox = z.infer<typeof mailbox>;
const direction = z.enum(['inbound', 'outbound']);
/** Who closed a thread (`[FIN]` or `X-MSS-MES: FIN`) and when. */
const closure = z.object({ by: mailbox, at: z.string() });
export type Closure = z.infer<typeof closure>;

/** One inbox line (`inboxThreadView`, src/http/routes/messaging-views.ts). */
const inboxThread = z.object({
  threadId: z.string(),
  subject: z.string(),
  professional: mailbox,
  lastMessageAt: z.string(),
  messageCount: z.number(),
  unreadCount: z.number(),
  lastMessage: z
    .object({
      direction,
      from: mailbox,
      excerpt: z.string(),
      attachments: z.number(),
      at: z.string(),
    })
    .nullable(),
  closed: closure.nullable(),
});
export type InboxThread = z.infer<typeof inboxThread>;

export const inboxView = z.object({
  address: z.string(),
  unread: z.number(),
  threads: z.array(inboxThread),
});
export type Inbox = z.infer<typeof inboxView>;

/** An attachment with its URLs (`attachmentView`, src/http/routes/messaging-views.ts). */
const attachmentItem = z.object({
  id: z.string(),
  messageId: z.string(),
  filename: z.string(),
  contentType: z.string(),
  kind: z.enum(['pdf', 'image', 'text', 'cda', 'xdm-metadata', 'other']),
  viewable: z.boolean(),
  size: z.number(),
  fromXdm: z.string().nullable(),
  cdaType: z.object({ code: z.string(), display: z.string() }).nullable(),
  filedDocumentId: z.string().nullable(),
  canFile: z.boolean(),
  /** The title proposed when filing it: the message's subject, else the file's name. */
  filingTitle: z.string(),
  contentUrl: z.string(),
  downloadUrl: z.string(),
  viewUrl: z.string().nullable(),
});
export type AttachmentItem = z.infer<typeof attachmentItem>;

const threadMessage = z.object({
  id: z.string(),
  messageId: z.string(),
  inReplyTo: z.string().nullable(),
  direction,
  from: mailbox,
  to: z.array(z.string()),
  subject: z.string(),
  text: z.string(),
  sentAt: z.string(),
  receivedAt: z.string(),
  read: z.boolean(),
  xdm: z.object({ codeCda: z.string().nullable(), insQualified: z.boolean().nullable() }).nullable(),
  attachments: z.array(attachmentItem),
});
export type ThreadMessage = z.infer<typeof threadMessage>;

export const threadView = z.object({
  threadId: z.string(),
  subject: z.string(),
  professional: mailbox,
  patientAddress: z.string(),
  closed: closure.nullable(),
  canReply: z.boolean(),
  messages: z.array(threadMessage),
});
export type Thread = z.infer<typeof threadView>;

const content = raw('application/pdf', 'text/xml', 'image/jpeg', 'image/png', 'application/octet-stream');

/** The patient's MSSanté mailbox under /api/patient/messages/:patientId. */
export const messagingContracts = {
  inbox: contract({ params: patientParams, response: inboxView }),
  thread: contract({ params: threadParams, response: threadView }),
  reply: contract({
    params: threadParams,
    multipart,
    response: z.object({
      id: z.string(),
      messageId: z.string(),
      inReplyTo: z.string().nullable(),
      threadId: z.string(),
      sentAt: z.string(),
      attachments: z.array(z.object({ id: z.string(), filename: z.string(), size: z.number() })),
    }),
    status: 201,
  }),
  attachment: contract({ params: attachmentParams, query: downloadQuery, response: content }),
  attachmentView: contract({ params: attachmentParams, response: cdaView }),
  attachmentEmbedded: contract({ params: attachmentParams, query: downloadQuery, response: content }),
  // The title the patient typed (optional: without it, the message's subject); the route says when it is no text.
  file: contract({
    params: patientParams.extend({ messageId: z.string(), attachmentId: z.string() }),
    body: z.looseObject({ title: z.unknown() }).nullish(),
    response: recordDocumentView,
    status: 201,
  }),
};
