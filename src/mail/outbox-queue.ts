import type { Db, Dialect, Executor, OutboxTable } from '../storage/index.ts';

export type OutboxRow = Pick<OutboxTable, 'id' | 'patient_id' | 'attempts' | 'message_id' | 'sealed'>;

export interface ClaimOptions {
  readonly now: Date;
  readonly limit: number;
  /** How long a claimed row stays reserved to this worker (longer than one SMTP exchange). */
  readonly leaseMs: number;
  /** Rows that failed this many times are left aside for good, with their `last_error`. */
  readonly maxAttempts: number;
}

const returned = ['id', 'patient_id', 'attempts', 'message_id', 'sealed'] as const;

function dueIds(db: Executor, options: ClaimOptions) {
  const now = options.now.toISOString();
  return db
    .selectFrom('outbox')
    .select('id')
    .where('sent_at', 'is', null)
    .where('sealed', 'is not', null)
    .where('not_before', '<=', now)
    .where('attempts', '<', options.maxAttempts)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .orderBy('not_before')
    .limit(options.limit);
}

/**
 * Reserves the due e-mails for this worker by setting `locked_until` (a lease: a crashed worker's rows come back),
 * and clears their coalesce key: a notice queued from now on makes a new e-mail instead of joining one that
 * may already be leaving.
 * PostgreSQL: `FOR UPDATE SKIP LOCKED` in a transaction, so several instances claim concurrently and never take the
 * same row. SQLite: one UPDATE statement, which takes the write lock before it reads (a deferred transaction would
 * fail with "database is locked" when two connections upgrade at once).
 */
export async function claimDueEmails(db: Db, dialect: Dialect, options: ClaimOptions): Promise<OutboxRow[]> {
  const lockedUntil = new Date(options.now.getTime() + options.leaseMs).toISOString();
  if (dialect === 'sqlite') {
    return db
      .updateTable('outbox')
      .set({ locked_until: lockedUntil, coalesce_key: null })
      .where('id', 'in', dueIds(db, options))
      .returning(returned)
      .execute();
  }
  return db.transaction().execute(async (trx) => {
    const ids = (await dueIds(trx, options).forUpdate().skipLocked().execute()).map((r) => r.id);
    if (ids.length === 0) return [];
    return trx
      .updateTable('outbox')
      .set({ locked_until: lockedUntil, coalesce_key: null })
      .where('id', 'in', ids)
      .returning(returned)
      .execute();
  });
}

/** Once the relay has the e-mail, the row forgets it: only the kind, recipient domain, dates and Message-ID stay. */
export async function markSent(db: Db, id: string, now: Date): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ sent_at: now.toISOString(), locked_until: null, last_error: null, sealed: null })
    .where('id', '=', id)
    .execute();
}

/**
 * Records a failed attempt and when to try again; the reason must carry no e-mail content. The last attempt
 * also erases the e-mail: it will never leave, so its content (a code, say) has no reason to stay.
 */
export async function markFailed(
  db: Db,
  id: string,
  failure: { readonly reason: string; readonly retryAt: Date; readonly abandoned: boolean },
): Promise<void> {
  await db
    .updateTable('outbox')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      last_error: failure.reason,
      not_before: failure.retryAt.toISOString(),
      locked_until: null,
      ...(failure.abandoned ? { sealed: null } : {}),
    }))
    .where('id', '=', id)
    .execute();
}
