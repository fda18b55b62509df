import type { Transaction } from 'kysely';
import type { Database, Executor } from '../storage/index.ts';

/** Runs `fn` in the caller's transaction if there is one, in a new one otherwise. */
export function inTransaction<T>(db: Executor, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Transaction<Database>) : db.transaction().execute(fn);
}
