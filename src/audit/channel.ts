import { AsyncLocalStorage } from 'node:async_hooks';
import type { AuditAction, AuditTransaction } from './types.ts';

/**
 * What IHE BALP wants to know of a request beyond who made it: which transaction it was, the client's network
 * address and OAuth client, and for a search the query itself. Only the HTTP edge knows these; the record services
 * between the edge and `appendAudit` stay unaware of them, as Medplum keeps its request context.
 */
export interface AuditChannel {
  readonly transaction: AuditTransaction | undefined;
  readonly clientAddress: string;
  readonly clientId: string | undefined;
  /** The search as the client sent it (`DocumentReference?patient.identifier=…`), for ITI-66 and ITI-67. */
  readonly query: string | undefined;
  /**
   * Seals the query for its row (`sealField` under the document key, bound to the chain and the trace id): a
   * query may carry an INS or type codes, which the database must not hold in clear.
   */
  readonly seal: (chain: string, place: string, text: string) => string;
}

/**
 * The actions a transaction's own trace can have: a request may leave other traces (the read before a PATCH, the
 * consultation of an emergency access…), which keep the client's address but not the transaction.
 */
export const transactionActions: Readonly<Record<AuditTransaction, readonly AuditAction[]>> = {
  'ITI-65': ['deposit', 'replace'],
  'ITI-105': ['deposit', 'replace'],
  'ITI-66': ['search'],
  'ITI-67': ['search'],
  'ITI-68': ['retrieve'],
  PATCH: ['mask', 'unmask', 'archive'],
};

const current = new AsyncLocalStorage<AuditChannel>();

/** Runs one request's work with its channel: every trace appended meanwhile records it. */
export function withAuditChannel<T>(channel: AuditChannel, work: () => Promise<T>): Promise<T> {
  return current.run(channel, work);
}

export function currentAuditChannel(): AuditChannel | undefined {
  return current.getStore();
}
