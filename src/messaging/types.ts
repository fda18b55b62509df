import type { PatientId } from '../identity/index.ts';

/** What the SMTP gateway does with one RCPT TO. */
export type RcptDecision =
  | { readonly accept: true; readonly patientId: PatientId; readonly state: 'created' | 'activated' }
  | {
      readonly accept: false;
      readonly smtpCode: 550 | 553;
      readonly enhanced: string;
      readonly message: string;
    }
  | { readonly accept: 'defer-dsn'; readonly reason: 'opposed' | 'closed' | 'unknown' };

/** One message as received by the gateway: the envelope and the exact bytes of DATA. */
export interface InboundMessage {
  readonly envelopeFrom: string;
  readonly recipients: readonly string[];
  readonly raw: Buffer;
}

export interface StoreResult {
  readonly stored: ReadonlyArray<{
    readonly patientId: PatientId;
    readonly messageId: string;
    readonly duplicate: boolean;
  }>;
  /** Recipients for whom a delivery status notification was queued to the envelope sender. */
  readonly dsnSent: readonly string[];
}

export type MessageDirection = 'inbound' | 'outbound';

/** Who may view an attachment in the browser (others are kept and downloadable only). */
export type AttachmentKind = 'pdf' | 'image' | 'text' | 'cda' | 'xdm-metadata' | 'other';

export interface AttachmentView {
  readonly id: string;
  readonly filename: string;
  /** Format recognised by its bytes (`application/pdf`, `text/xml`…) or the declared type for `other`. */
  readonly contentType: string;
  readonly kind: AttachmentKind;
  readonly viewable: boolean;
  readonly size: number;
  /** Set for the documents unpacked from an `IHE_XDM.ZIP`: that zip's filename. */
  readonly fromXdm: string | undefined;
  /** Document id in the record once filed. */
  readonly filedDocumentId: string | undefined;
}

export interface MessageView {
  readonly id: string;
  readonly patientId: PatientId;
  readonly threadId: string;
  readonly messageId: string;
  readonly inReplyTo: string | undefined;
  readonly direction: MessageDirection;
  readonly from: { readonly address: string; readonly name: string | undefined };
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly subject: string;
  /** Plain text for display (HTML bodies are turned into text; raw HTML is never rendered). */
  readonly text: string;
  /** Date header, ISO. */
  readonly sentAt: string;
  readonly receivedAt: string;
  readonly readAt: string | undefined;
  /** `X-MSS-CODECDA`, `X-MSS-INS` (`O`/`N`) and the other `X-MSS-*` headers. */
  readonly mssHeaders: Readonly<Record<string, string>>;
  readonly attachments: readonly AttachmentView[];
}

export interface ThreadSummary {
  readonly threadId: string;
  readonly subject: string;
  /** The professional or establishment who opened the conversation. */
  readonly professional: { readonly address: string; readonly name: string | undefined };
  readonly lastMessageAt: string;
  readonly messageCount: number;
  readonly unreadCount: number;
  readonly closed: boolean;
}

export interface ThreadClosure {
  readonly by: { readonly address: string; readonly name: string | undefined };
  readonly at: string;
}

export interface ThreadView {
  readonly threadId: string;
  readonly patientId: PatientId;
  readonly subject: string;
  readonly professional: { readonly address: string; readonly name: string | undefined };
  /** The patient's own address `<INS>@domain`. */
  readonly patientAddress: string;
  readonly closed: ThreadClosure | undefined;
  readonly canReply: boolean;
  readonly messages: readonly MessageView[];
}

export interface ReplyInput {
  readonly text: string;
  readonly attachments: ReadonlyArray<{
    readonly filename: string;
    readonly contentType: string;
    readonly content: Buffer;
  }>;
}
