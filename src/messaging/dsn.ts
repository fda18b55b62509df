import { X_MSS_NIL } from './mss-headers.ts';

export interface FailedRecipient {
  readonly address: string;
  readonly status: string;
  /** ASCII SMTP-style diagnostic, e.g. `550 5.1.1 mailbox closed`. */
  readonly diagnostic: string;
}

export interface DsnInput {
  readonly reportingDomain: string;
  readonly to: string;
  readonly messageId: string;
  readonly date: Date;
  readonly arrivalDate: Date;
  readonly recipients: readonly FailedRecipient[];
  /** The original message's header section, as received. */
  readonly originalHeaders: string;
  readonly originalMessageId: string | undefined;
  readonly boundary: string;
}

const CRLF = '\r\n';

function base64Lines(text: string): string {
  return (
    Buffer.from(text, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join(CRLF);
}

/** RFC 2047 encoded word for a non-ASCII header value. */
function encodedWord(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

const ascii = (text: string) => text.replace(/[^\x20-\x7e]/g, '?');

function humanPart(input: DsnInput): string {
  const list = input.recipients.map((r) => `  - ${r.address}`).join('\n');
  return (
    'Bonjour,\n\n' +
    'Votre message n’a pas pu être distribué au(x) destinataire(s) suivant(s) de la messagerie Mon espace santé :\n' +
    `${list}\n\n` +
    'Le patient s’est opposé à la création de Mon espace santé, a fermé son profil, ou l’adresse est inconnue. ' +
    'Le message n’a pas été conservé.\n\n' +
    '---\n' +
    'Your message could not be delivered to the recipient(s) above (Mon espace santé patient mailbox).\n'
  );
}

function statusPart(input: DsnInput): string {
  const perMessage = [
    `Reporting-MTA: dns; ${input.reportingDomain}`,
    ...(input.originalMessageId ? [`X-Original-Message-ID: <${ascii(input.originalMessageId)}>`] : []),
    `Arrival-Date: ${input.arrivalDate.toUTCString()}`,
  ];
  const perRecipient = input.recipients.map((r) =>
    [
      `Final-Recipient: rfc822; ${ascii(r.address)}`,
      'Action: failed',
      `Status: ${r.status}`,
      `Diagnostic-Code: smtp; ${ascii(r.diagnostic)}`,
    ].join(CRLF),
  );
  return [perMessage.join(CRLF), ...perRecipient].join(CRLF + CRLF) + CRLF;
}

/** A delivery status notification (RFC 3464) to the envelope sender: `multipart/report` in three parts. */
export function buildDsn(input: DsnInput): string {
  const b = input.boundary;
  const headers = [
    `From: ${encodedWord('Mon espace santé')} <mailer-daemon@${input.reportingDomain}>`,
    `To: <${input.to}>`,
    `Subject: ${encodedWord('Message non distribué / Undelivered message')}`,
    `Date: ${input.date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${input.messageId}>`,
    ...(input.originalMessageId ? [`In-Reply-To: <${input.originalMessageId}>`] : []),
    'Auto-Submitted: auto-replied',
    `X-MSS-NIL: ${X_MSS_NIL}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${b}"`,
  ];
  const original = input.originalHeaders.replace(/\r?\n/g, CRLF).replace(/(\r\n)+$/, '');
  return [
    headers.join(CRLF),
    '',
    `--${b}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(humanPart(input)),
    `--${b}`,
    'Content-Type: message/delivery-status',
    '',
    statusPart(input),
    `--${b}`,
    'Content-Type: text/rfc822-headers',
    '',
    original,
    '',
    `--${b}--`,
    '',
  ].join(CRLF);
}

/** The header section of a raw message (up to the first empty line). */
export function headerSection(raw: Buffer): string {
  const text = raw.subarray(0, Math.min(raw.length, 256 * 1024)).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  return end === -1 ? text : text.slice(0, end);
}
