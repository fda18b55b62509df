import type { AppContext } from '../app/index.ts';
import { openPayload } from './outbox.ts';
import { claimDueEmails, markFailed, markSent, type OutboxRow } from './outbox-queue.ts';
import { describeSendError, type Sender } from './sender.ts';

/** Log lines carry ids and counts only: never a recipient, a subject or a body (codes, health context). */
export interface MailLog {
  info(message: string, fields: Record<string, string | number>): void;
  warn(message: string, fields: Record<string, string | number>): void;
}

export interface OutboxWorkerOptions {
  readonly pollMs?: number;
  readonly batchSize?: number;
  readonly leaseMs?: number;
  readonly maxAttempts?: number;
  /** First retry delay; it doubles at each failure up to `retryMaxMs`. */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  readonly log?: MailLog;
}

export interface OutboxWorker {
  /** Wakes the worker now instead of at its next poll (e.g. right after a commit that queued an e-mail). */
  kick(): void;
  /** Stops polling and waits for the batch in flight. */
  stop(): Promise<void>;
}

const silentLog: MailLog = { info: () => undefined, warn: () => undefined };

export function retryDelayMs(attemptsSoFar: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** attemptsSoFar);
}

/** Drains the outbox: claims due rows, sends each through the relay, records success or schedules a retry. */
export function startOutboxWorker(
  ctx: AppContext,
  sender: Sender,
  options: OutboxWorkerOptions = {},
): OutboxWorker {
  const pollMs = options.pollMs ?? 500;
  const batchSize = options.batchSize ?? 20;
  const maxAttempts = options.maxAttempts ?? 10;
  const retryBaseMs = options.retryBaseMs ?? 5_000;
  const retryMaxMs = options.retryMaxMs ?? 3_600_000;
  const log = options.log ?? silentLog;

  async function deliver(row: OutboxRow): Promise<boolean> {
    const attempts = row.attempts + 1;
    try {
      // Claimed rows always have a payload (claimDueEmails skips erased ones).
      const payload = openPayload(ctx.config, { ...row, sealed: row.sealed ?? '' });
      await sender.send(
        'raw' in payload
          ? { to: payload.to, raw: { mime: payload.raw, from: payload.from } }
          : { to: payload.to, subject: payload.subject, text: payload.text, messageId: row.message_id ?? '' },
      );
    } catch (error) {
      const reason = describeSendError(error);
      const retryAt = new Date(
        ctx.clock.now().getTime() + retryDelayMs(row.attempts, retryBaseMs, retryMaxMs),
      );
      await markFailed(ctx.db, row.id, { reason, retryAt, abandoned: attempts >= maxAttempts });
      log.warn(attempts >= maxAttempts ? 'e-mail abandoned' : 'e-mail send failed', {
        id: row.id,
        attempts,
        reason,
      });
      return false;
    }
    await markSent(ctx.db, row.id, ctx.clock.now());
    return true;
  }

  async function drainOnce(): Promise<number> {
    const rows = await claimDueEmails(ctx.db, ctx.dialect, {
      now: ctx.clock.now(),
      limit: batchSize,
      leaseMs: options.leaseMs ?? ctx.config.outboxLeaseSeconds * 1000,
      maxAttempts,
    });
    if (rows.length === 0) return 0;
    const results = await Promise.all(rows.map(deliver));
    const sent = results.filter(Boolean).length;
    log.info('outbox batch', { claimed: rows.length, sent, failed: rows.length - sent });
    return rows.length;
  }

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let wokenWhileBusy = false;

  async function drain(): Promise<void> {
    while (!stopped && (await drainOnce()) === batchSize) {
      // A full batch: more may be waiting, go on without sleeping.
    }
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(run, delayMs);
  }

  function run(): void {
    if (inFlight) {
      wokenWhileBusy = true;
      return;
    }
    inFlight = drain()
      .catch((error: unknown) => log.warn('outbox drain failed', { reason: describeSendError(error) }))
      .finally(() => {
        inFlight = undefined;
        schedule(wokenWhileBusy ? 0 : pollMs);
        wokenWhileBusy = false;
      });
  }

  schedule(0);
  return {
    kick: () => {
      if (inFlight) wokenWhileBusy = true;
      else schedule(0);
    },
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}
