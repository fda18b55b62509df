import type { Config } from '../config/index.ts';
import { openField, sealField, type Executor } from '../storage/index.ts';
import { uuidv7 } from '../shared/index.ts';

/**
 * What an outbox row says in clear, also once sent: the kind of e-mail, never its content. The codes' kinds are
 * separate so that an operator can tell "activation letters are not leaving" without reading one.
 */
export type EmailKind =
  'activation-code' | 'sign-in-code' | 'password-reset-code' | 'notice' | 'mss-reply' | 'dsn';

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
  | {
      readonly to: string;
      readonly subject: string;
      readonly text: string;
      /** A coalesced e-mail's tally, from which it is rewritten when another notice joins it. */
      readonly state?: unknown;
    }
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
    notBefore?: Date;
    coalesceKey?: string;
  },
): Promise<boolean> {
  const patientId = row.patientId ?? null;
  const inserted = await db
    .insertInto('outbox')
    .values({
      id: row.id,
      patient_id: patientId,
      kind: row.kind,
      recipient_domain: recipientDomain(row.payload.to),
      message_id: row.messageId,
      sealed: sealPayload(config, patientId, row.id, row.payload),
      created_at: now.toISOString(),
      not_before: (row.notBefore ?? now).toISOString(),
      sent_at: null,
      attempts: 0,
      last_error: null,
      locked_until: null,
      coalesce_key: row.coalesceKey ?? null,
    })
    // Only a coalesced row can meet a conflict here: another transaction queued the same key first.
    .onConflict((oc) => oc.column('coalesce_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** `<row id@domain of CARNET_MAIL_FROM>`: the same across retries, so a relay can drop a duplicate. */
export function enqueuedMessageId(config: Pick<Config, 'mailFrom'>, id: string): string {
  return `<${id}@${recipientDomain(config.mailFrom) || 'carnet.localhost'}>`;
}

/**
 * Queues an e-mail in the caller's transaction: it leaves only if that transaction commits, and the mail worker
 * sends it exactly once (docs/durability-and-audit.md, "Outbox and scheduled work"). Its recipient, subject and text
 * are sealed until sent, then erased.
 */
export async function enqueueEmail(
  config: Keys & Pick<Config, 'mailFrom'>,
  db: Executor,
  email: OutgoingEmail,
  now: Date,
): Promise<string> {
  const id = uuidv7(now.getTime());
  await insertOutboxRow(config, db, now, {
    id,
    patientId: email.patientId,
    kind: email.kind ?? 'notice',
    messageId: enqueuedMessageId(config, id),
    payload: { to: email.to, subject: email.subject, text: email.text },
  });
  return id;
}

/** A notice that joins the same recipient's pending one of its kind instead of making another e-mail. */
export interface CoalescedEmail<State> {
  readonly to: string;
  readonly patientId?: string;
  /** Kept in clear while the e-mail waits: names neither the recipient nor any content. */
  readonly key: string;
  /** The earliest the first notice's e-mail leaves; later notices join it without moving it. */
  readonly notBefore: Date;
  /** The e-mail given the tally so far (undefined for the first notice), and the new tally. */
  compose(previous: State | undefined): { subject: string; text: string; state: State };
}

/**
 * Queues a notice in the caller's transaction, joining the pending e-mail with the same key if the worker has
 * not claimed it yet (claiming clears the key; then a new e-mail is queued). Exactly once as `enqueueEmail`:
 * the join is rolled back with the transaction. On PostgreSQL the first update locks the pending row until
 * the caller commits, so the worker skips it meanwhile and concurrent joins queue up; if the worker claimed it
 * first, the update finds no row once the claim commits. Two first notices at once: the unique key lets one
 * insert, the other finds its row on the next turn.
 */
export async function enqueueCoalescedEmail<State>(
  config: Keys & Pick<Config, 'mailFrom'>,
  db: Executor,
  email: CoalescedEmail<State>,
  now: Date,
): Promise<string> {
  for (let turn = 0; turn < 3; turn++) {
    const pending = await db
      .updateTable('outbox')
      .set((eb) => ({ coalesce_key: eb.ref('coalesce_key') }))
      .where('coalesce_key', '=', email.key)
      .returning(['id', 'patient_id', 'sealed'])
      .executeTakeFirst();
    if (pending) {
      if (pending.sealed === null)
        throw new Error(`outbox row ${pending.id} has a coalesce key but no payload`);
      const payload = openPayload(config, { ...pending, sealed: pending.sealed });
      if ('raw' in payload) throw new Error(`outbox row ${pending.id} is not a coalesced notice`);
      const next = email.compose(payload.state as State);
      const sealed = sealPayload(config, pending.patient_id, pending.id, { to: payload.to, ...next });
      await db.updateTable('outbox').set({ sealed }).where('id', '=', pending.id).execute();
      return pending.id;
    }
    const id = uuidv7(now.getTime());
    const inserted = await insertOutboxRow(config, db, now, {
      id,
      patientId: email.patientId,
      kind: 'notice',
      messageId: enqueuedMessageId(config, id),
      payload: { to: email.to, ...email.compose(undefined) },
      notBefore: email.notBefore,
      coalesceKey: email.key,
    });
    if (inserted) return id;
  }
  throw new Error('could not queue a coalesced notice: its pending e-mail kept changing');
}

/** Queues a ready-made MIME message; the worker sends its bytes unchanged, with this envelope. */
export async function enqueueRawEmail(
  config: Keys,
  db: Executor,
  email: RawEmail,
  now: Date,
): Promise<string> {
  const id = uuidv7(now.getTime());
  await insertOutboxRow(config, db, now, {
    id,
    patientId: email.patientId,
    kind: email.from === '' ? 'dsn' : 'mss-reply',
    messageId: mimeMessageId(email.raw),
    payload: { to: email.to, raw: email.raw, from: email.from },
  });
  return id;
}
