/** The shapes of the patient messaging API (`/api/patient/messages/:patientId…`, src/http/routes/messaging-api.ts). */
import type { Profile } from '../../types.ts';

export interface Mailbox {
  readonly address: string;
  readonly name: string | null;
}

export interface Closure {
  readonly by: Mailbox;
  readonly at: string;
}

export interface InboxThread {
  readonly threadId: string;
  readonly subject: string;
  readonly professional: Mailbox;
  readonly lastMessageAt: string;
  readonly messageCount: number;
  readonly unreadCount: number;
  readonly lastMessage: {
    readonly direction: 'inbound' | 'outbound';
    readonly from: Mailbox;
    readonly excerpt: string;
    readonly attachments: number;
    readonly at: string;
  } | null;
  readonly closed: Closure | null;
}

export interface Inbox {
  readonly address: string;
  readonly unread: number;
  readonly threads: readonly InboxThread[];
}

export interface AttachmentItem {
  readonly id: string;
  readonly messageId: string;
  readonly filename: string;
  readonly contentType: string;
  readonly kind: 'pdf' | 'image' | 'text' | 'cda' | 'xdm-metadata' | 'other';
  readonly viewable: boolean;
  readonly size: number;
  readonly fromXdm: string | null;
  readonly cdaType: { readonly code: string; readonly display: string } | null;
  readonly filedDocumentId: string | null;
  readonly canFile: boolean;
  /** The title proposed when filing it: the message's subject, else the file's name. */
  readonly filingTitle: string;
  readonly contentUrl: string;
  readonly downloadUrl: string;
  readonly viewUrl: string | null;
}

export interface ThreadMessage {
  readonly id: string;
  readonly messageId: string;
  readonly direction: 'inbound' | 'outbound';
  readonly from: Mailbox;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly sentAt: string;
  readonly receivedAt: string;
  readonly read: boolean;
  readonly xdm: { readonly codeCda: string | null; readonly insQualified: boolean | null } | null;
  readonly attachments: readonly AttachmentItem[];
}

export interface Thread {
  readonly threadId: string;
  readonly subject: string;
  readonly professional: Mailbox;
  readonly patientAddress: string;
  readonly closed: Closure | null;
  readonly canReply: boolean;
  readonly messages: readonly ThreadMessage[];
}

/** The messaging API of the profile on screen (one's own, or a child's). */
export const messagesApi = (profile: Profile, rest = ''): string =>
  `/api/patient/messages/${encodeURIComponent(profile.id)}${rest}`;

export const senderName = (mailbox: Mailbox): string => mailbox.name ?? mailbox.address;
