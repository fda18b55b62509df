import { z } from 'zod';
import { contract, multipart, raw } from '../contract.ts';
import { downloadQuery, patientParams } from './common.ts';
import { cdaView, recordDocumentView } from './record-api.ts';

const threadParams = patientParams.extend({ threadId: z.string() });
const attachmentParams = patientParams.extend({ attachmentId: z.string() });

export const inboxView = z.object({
  address: z.string(),
  unread: z.number(),
  threads: z.array(z.looseObject({ threadId: z.string() })),
});
export const threadView = z.looseObject({
  threadId: z.string(),
  messages: z.array(z.looseObject({ id: z.string() })),
});

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
