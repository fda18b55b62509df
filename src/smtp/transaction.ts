import type { Readable } from 'node:stream';
import type { SMTPServerError } from 'smtp-server';
import type { AppContext } from '../app/index.ts';
import { checkRecipient, receiveInbound } from '../messaging/index.ts';
import type { GatewayLog } from './log.ts';
import { readCapped } from './read-capped.ts';
import { failureCode, replies, replyForStoreFailure, smtpReply, smtpText } from './replies.ts';

/** The outcome of one SMTP step: accepted (with the 250 text, if any) or refused with this reply. */
export type StepOutcome =
  { readonly refusal: SMTPServerError } | { readonly refusal: undefined; readonly text?: string };

/** RCPT TO: the core decides (unknown, opposed, bad key, patient sender → refused now); a failure is temporary. */
export async function decideRecipient(
  ctx: AppContext,
  log: GatewayLog,
  sessionId: string,
  address: string,
  envelopeFrom: string,
): Promise<StepOutcome> {
  try {
    const decision = await checkRecipient(ctx, address, envelopeFrom);
    if (decision.accept !== false) return { refusal: undefined };
    log.info('recipient refused', { session: sessionId, code: decision.smtpCode, status: decision.enhanced });
    return { refusal: smtpReply(decision.smtpCode, decision.enhanced, decision.message) };
  } catch (error) {
    log.warn('recipient check failed', { session: sessionId, code: 451, error: failureCode(error) });
    return { refusal: replies.temporary() };
  }
}

/**
 * DATA: the bytes up to the size limit, then the core's durable store. Only its success yields the 250, so a
 * crash before it leaves the sender without acknowledgement, and it retries.
 */
export async function storeMessage(
  ctx: AppContext,
  log: GatewayLog,
  sessionId: string,
  stream: Readable,
  envelope: { readonly envelopeFrom: string; readonly recipients: readonly string[] },
): Promise<StepOutcome> {
  const { maxBytes } = ctx.config.smtpGateway;
  const { raw, bytes } = await readCapped(stream, maxBytes);
  if (!raw) {
    log.info('message refused', { session: sessionId, code: 552, bytes });
    return { refusal: replies.tooLarge(maxBytes) };
  }
  try {
    const result = await receiveInbound(ctx, { ...envelope, raw });
    log.info('message stored', {
      session: sessionId,
      code: 250,
      bytes,
      stored: result.stored.length,
      duplicates: result.stored.filter((s) => s.duplicate).length,
      dsn: result.dsnSent.length,
    });
    return {
      refusal: undefined,
      text: smtpText(`2.6.0 Message enregistre (${result.stored.length} destinataire(s))`),
    };
  } catch (error) {
    const refusal = replyForStoreFailure(error, maxBytes);
    // A refused message is the sender's problem (info); a temporary failure is ours (warn).
    const write = (refusal.responseCode ?? 500) >= 500 ? log.info : log.warn;
    write('message not stored', {
      session: sessionId,
      code: refusal.responseCode ?? 0,
      error: failureCode(error),
    });
    return { refusal };
  }
}
