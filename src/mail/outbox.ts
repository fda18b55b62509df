import type { Config } from '../config/index.ts';
import { openField, sealField } from '../record/content/sealed-text.ts';
import { uuidv7 } from '../shared/ids.ts';
import type { Executor } from '../storage/index.ts';

/**
 * What an outbox row says in clear, also once sent: the kind of e-mail, never its content. The codes' kinds are
 * separate so that an operator can tell "activation letters are not leaving" without reading one.
 */
export type EmailKind = 'activation-code' | 'sign-in-code' | 'notice' | 'mss-reply' | 'dsn';

/** An e-mail to a personal address. Never carries health content: only that something awaits in Carnet. */
export interface OutgoingEmail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** Default `notice`. */
  readonly kind?: EmailKind;
  /** The patient it concerns, if any (keeps the row with that patient's data). */
  readonly patientId?: string;
}

/** A complete MIME message (an MSSanté reply, a delivery status notification) and its SMTP envelope. */
export interface RawEmail {
  readonly to: string;
  /** Envelope sender (MAIL FROM); empty for a DSN (RFC 3464 §2: null reverse-path). */
  readonly from: string;
  readonly raw: string;
  readonly patientId?: string;
}

/** The sealed part of a queued row: everything the relay needs, nothing of which stays once sent. */
export type QueuedPayload =
  | { readonly to: string; readonly subject: string; readonly text: string }
  | { readonly to: string; readonly raw: string; readonly from: string };

type Keys = Pick<Config, 'documentKey'>;

const place = (rowId: string) => `outbox:${rowId}`;

export function sealPayload(config: Keys, patientId: string | null, rowId: string, payload: QueuedPayload) {
  return sealField(config, patientId ?? '', place(rowId), JSON.stringify(payload));
}

export function openPayload(
  config: Keys,
  row: { readonly id: string; readonly patient_id: string | null; readonly sealed: string },
): QueuedPayload {
  return JSON.parse(openField(config, row.patient_id ?? '', place(row.id), row.sealed)) as QueuedPayload;
}

/** The part of an address after its last `@`, lower-cased: the only trace of the recipient once sent. */
export function recipientDomain(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0
    ? ''
    : address
        .slice(at + 1)
        .replace(/>\s*$/, '')
        .trim()
        .toLowerCase();
}

/** The Message-ID header of a MIME message (its header section only), with its angle brackets. */
export function mimeMessageId(raw: string): string | null {
  const end = raw.search(/\r?\n\r?\n/);
  const headers = (end < 0 ? raw : raw.slice(0, end)).split(/\r?\n/);
  const line = headers.find((h) => h.toLowerCase().startsWith('message-id:'));
  const value = line?.slice('message-id:'.length).trim();
  return value ? value.slice(0, 998) : null;
}

async function insertOutboxRow(
  config: Keys,
  db: Executor,
  now: Date,
  row: {
    id: string;
    patientId: string | undefined;
    kind: EmailKind;
    messageId: string | null;
    payload: QueuedPayload;
  },
): Promise<string> {
  const patientId = row.patientId ?? null;
  await db
    .insertInto('outbox')
    .values({
      id: row.id,
      patient_id: patientId,
      kind: row.kind,
      recipient_domain: recipientDomain(row.payload.to),
      message_id: row.messageId,
      sealed: sealPayload(config, patientId, row.id, row.payload),
      created_at: now.toISOString(),
      not_before: now.toISOString(),
      sent_at: null,
      attempts: 0,
      last_error: null,
      locked_until: null,
    })
    .execute();
  return row.id;
}

/** `<row id@domain of CARNET_MAIL_FROM>`: the same across retries, so a relay can drop a duplicate. */
export function enqueuedMessageId(config: Pick<Config, 'mailFrom'>, id: string): string {
  return `<${id}@${recipientDomain(config.mailFrom) || 'carnet.localhost'}>`;
}

/**
 * Queues an e-mail in the caller's transaction: it leaves only if that transaction commits, and the mail
 * worker sends it exactly once (design-notes.md "Time and schedules"). Its recipient, subject and text are
 * sealed until sent, then erased.
 */
export function enqueueEmail(
  config: Keys & Pick<Config, 'mailFrom'>,
  db: Executor,
  email: OutgoingEmail,
  now: Date,
): Promise<string> {
  const id = uuidv7(now.getTime());
  return insertOutboxRow(config, db, now, {
    id,
    patientId: email.patientId,
    kind: email.kind ?? 'notice',
    messageId: enqueuedMessageId(config, id),
    payload: { to: email.to, subject: email.subject, text: email.text },
  });
}

/** Queues a ready-made MIME message; the worker sends its bytes unchanged, with this envelope. */
export function enqueueRawEmail(config: Keys, db: Executor, email: RawEmail, now: Date): Promise<string> {
  return insertOutboxRow(config, db, now, {
    id: uuidv7(now.getTime()),
    patientId: email.patientId,
    kind: email.from === '' ? 'dsn' : 'mss-reply',
    messageId: mimeMessageId(email.raw),
    payload: { to: email.to, raw: email.raw, from: email.from },
  });
}
