/** MSSanté patient mailboxes: routing, durable receive, conversations, replies, filing. */
export type {
  AttachmentKind,
  AttachmentView,
  InboundMessage,
  MessageDirection,
  MessageView,
  RcptDecision,
  ReplyInput,
  StoreResult,
  ThreadClosure,
  ThreadSummary,
  ThreadView,
} from './types.ts';
export { checkRecipient } from './recipient.ts';
export { receiveInbound } from './receive.ts';
export { listInbox, readThread, listCommunications, readAttachment } from './mailbox.ts';
export { replyInThread } from './reply.ts';
export { fileAttachmentIntoRecord } from './file-into-record.ts';
export { filingTitle } from './filing.ts';
export { patientAddress } from './routing.ts';
export { sealSubject, unreadCount } from './repository.ts';
export { searchMessages, type MessageHit } from './search.ts';
export { notifyNewMessage } from './notices.ts';
