import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { X_MSS_NIL } from './mss-headers.ts';

export interface ReplyMimeInput {
  readonly from: { readonly name: string; readonly address: string };
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly messageId: string;
  readonly inReplyTo: string;
  readonly references: readonly string[];
  readonly date: Date;
  readonly attachments: ReadonlyArray<{ filename: string; contentType: string; content: Buffer }>;
}

/** The patient's reply as a complete MIME message (threaded, with `X-MSS-NIL`), ready for the outbox. */
export async function buildReplyMime(input: ReplyMimeInput): Promise<string> {
  const composer = new MailComposer({
    from: { name: input.from.name, address: input.from.address },
    to: input.to,
    subject: input.subject,
    text: input.text,
    date: input.date,
    messageId: `<${input.messageId}>`,
    inReplyTo: `<${input.inReplyTo}>`,
    references: input.references.map((id) => `<${id}>`),
    headers: { 'X-MSS-NIL': X_MSS_NIL },
    textEncoding: 'quoted-printable',
    attachments: input.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.content,
    })),
  });
  const built = (await composer.compile().build()).toString('utf8');
  // nodemailer capitalises header names (`X-Mss-Nil`); keep the spelling of the MSSanté rules in the top header.
  const end = built.indexOf('\r\n\r\n');
  return built.slice(0, end).replace(/^X-Mss-Nil:/m, 'X-MSS-NIL:') + built.slice(end);
}
