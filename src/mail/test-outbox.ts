import type { AppContext } from '../app/index.ts';
import { readDevMail, readDevMailbox } from './dev-mailbox.ts';
import { openPayload } from './outbox.ts';

/** An outgoing e-mail as a test reads it, with the field names the outbox had when it kept them in clear. */
export interface OutgoingEmailView {
  /** The outbox row, also the local part of the Message-ID of an e-mail Carnet wrote. */
  readonly id: string;
  readonly patient_id: string | null;
  readonly recipient: string;
  readonly subject: string;
  readonly body_text: string;
  readonly raw_mime: string | null;
  readonly envelope_from: string | null;
}

async function waiting(ctx: Pick<AppContext, 'config' | 'db'>): Promise<OutgoingEmailView[]> {
  const rows = await ctx.db
    .selectFrom('outbox')
    .select(['id', 'patient_id', 'sealed'])
    .where('sealed', 'is not', null)
    .execute();
  return rows.map((row) => {
    const payload = openPayload(ctx.config, { ...row, sealed: row.sealed ?? '' });
    const raw = 'raw' in payload;
    return {
      id: row.id,
      patient_id: row.patient_id,
      recipient: payload.to,
      subject: raw ? '' : payload.subject,
      body_text: raw ? '' : payload.text,
      raw_mime: raw ? payload.raw : null,
      envelope_from: raw ? payload.from : null,
    };
  });
}

/** E-mails the embedded relay stored, keyed by the outbox row named in their Message-ID. */
async function delivered(ctx: Pick<AppContext, 'config' | 'db'>): Promise<OutgoingEmailView[]> {
  const dataDir = ctx.config.dataDir;
  const mails = await Promise.all((await readDevMailbox(dataDir)).map((m) => readDevMail(dataDir, m.id)));
  const rows = await ctx.db.selectFrom('outbox').select(['id', 'patient_id', 'message_id']).execute();
  const byMessageId = new Map(rows.map((r) => [r.message_id?.toLowerCase(), r]));
  return mails.flatMap((mail) => {
    const header = mail?.headerLines.find((h) => h.toLowerCase().startsWith('message-id:'));
    const row = byMessageId.get(header?.slice('message-id:'.length).trim().toLowerCase());
    if (!mail || !row) return [];
    return [
      {
        id: row.id,
        patient_id: row.patient_id,
        recipient: mail.to,
        subject: mail.subject,
        body_text: mail.text,
        raw_mime: null,
        envelope_from: null,
      },
    ];
  });
}

/**
 * Every e-mail Carnet queued, in the order it queued them: those still waiting opened from their sealed rows,
 * those already sent read back from the development mailbox (a sent row keeps no content). The waiting ones are
 * read first: a row is erased only after its e-mail is in the mailbox, so none falls between the two reads.
 */
export async function outgoingEmails(ctx: Pick<AppContext, 'config' | 'db'>): Promise<OutgoingEmailView[]> {
  const first = await waiting(ctx);
  const seen = new Set(first.map((m) => m.id));
  const sent = (await delivered(ctx)).filter((m) => !seen.has(m.id));
  return [...first, ...sent].sort((a, b) => a.id.localeCompare(b.id));
}
