/**
 * The patient messaging API (`/api/patient/messages/:patientId…`): its shapes, inferred from the routes' contracts
 * (src/http/contracts/messaging-api.ts).
 */
import type { Mailbox } from '../../../../src/http/contracts/messaging-api.ts';
import type { Profile } from '../../types.ts';

export type {
  AttachmentItem,
  Closure,
  Inbox,
  InboxThread,
  Mailbox,
  Thread,
  ThreadMessage,
} from '../../../../src/http/contracts/messaging-api.ts';

/** The messaging API of the profile on screen (one's own, or a child's). */
export const messagesApi = (profile: Profile, rest = ''): string =>
  `/api/patient/messages/${encodeURIComponent(profile.id)}${rest}`;

export const senderName = (mailbox: Mailbox): string => mailbox.name ?? mailbox.address;
