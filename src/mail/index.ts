export { readDevMail, readDevMailbox, waitForEmail } from './dev-mailbox.ts';
export type { DevMail, DevMailDetail } from './dev-mailbox.ts';
export { startMailSystem } from './mail-system.ts';
export type { MailSystem } from './mail-system.ts';
export { claimDueEmails } from './outbox-queue.ts';
export { enqueueCoalescedEmail, enqueueEmail, enqueueRawEmail, openPayload } from './outbox.ts';
export { usesEmbeddedRelay } from './relay.ts';
