import type { Executor } from '../storage/index.ts';
import { uuidv7 } from '../shared/ids.ts';

/** An e-mail to a personal address. Never carries health content: only that something awaits in Carnet. */
export interface OutgoingEmail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** The patient it concerns, if any (keeps the row with that patient's data). */
  readonly patientId?: string;
}

/** One outbox row; both kinds of e-mail share the queue, its worker and its exactly-once sending. */
async function insertOutboxRow(
  db: Executor,
  now: Date,
  row: {
    patientId: string | undefined;
    recipient: string;
    subject: string;
    bodyText: string;
    rawMime: string | null;
    envelopeFrom: string | null;
  },
): Promise<string> {
  const id = uuidv7(now.getTime());
  await db
    .insertInto('outbox')
    .values({
      id,
      patient_id: row.patientId ?? null,
      recipient: row.recipient,
      subject: row.subject,
      body_text: row.bodyText,
      created_at: now.toISOString(),
      not_before: now.toISOString(),
      sent_at: null,
      attempts: 0,
      last_error: null,
      locked_until: null,
      raw_mime: row.rawMime,
      envelope_from: row.envelopeFrom,
    })
    .execute();
  return id;
}

/**
 * Queues an e-mail in the caller's transaction: it leaves only if that transaction commits, and the mail
 * worker sends it exactly once (design-notes.md "Time and schedules").
 */
export function enqueueEmail(db: Executor, email: OutgoingEmail, now: Date): Promise<string> {
  return insertOutboxRow(db, now, {
    patientId: email.patientId,
    recipient: email.to,
    subject: email.subject,
    bodyText: email.text,
    rawMime: null,
    envelopeFrom: null,
  });
}

/** A complete MIME message (an MSSanté reply, a delivery status notification) and its SMTP envelope. */
export interface RawEmail {
  readonly to: string;
  /** Envelope sender (MAIL FROM); empty for a DSN (RFC 3464 §2: null reverse-path). */
  readonly from: string;
  readonly raw: string;
  readonly patientId?: string;
}

/** Queues a ready-made MIME message; the worker sends its bytes unchanged, with this envelope. */
export function enqueueRawEmail(db: Executor, email: RawEmail, now: Date): Promise<string> {
  return insertOutboxRow(db, now, {
    patientId: email.patientId,
    recipient: email.to,
    subject: '',
    bodyText: '',
    rawMime: email.raw,
    envelopeFrom: email.from,
  });
}
