/** Threads, closure and who may reply (pure rules of docs/messaging.md, "Who opens, who replies, who closes"). */

/** `<id@host>` → `id@host`; undefined for an empty value. */
export function normalizeMessageId(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // Brackets are stripped by index: `/>+$/` backtracks quadratically over a long run of `>` not at the end.
  const text = value.trim();
  let start = 0;
  let end = text.length;
  while (start < end && text[start] === '<') start++;
  while (end > start && text[end - 1] === '>') end--;
  const trimmed = text.slice(start, end).trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Every `<…>` of a References / In-Reply-To header (or the whole value when it has no brackets). */
export function parseMessageIds(header: string | readonly string[] | undefined): string[] {
  if (header === undefined) return [];
  const text = typeof header === 'string' ? header : header.join(' ');
  const bracketed = [...text.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]!);
  if (bracketed.length > 0) return bracketed;
  return text.split(/\s+/).flatMap((id) => normalizeMessageId(id) ?? []);
}

/**
 * Message-IDs that may name the thread of a reply, most specific first: In-Reply-To, then References from the
 * last (the parent) back to the first (the root).
 */
export function threadCandidates(inReplyTo: string | undefined, references: readonly string[]): string[] {
  const ids = [...parseMessageIds(inReplyTo), ...[...references].reverse()];
  return [...new Set(ids)];
}

/** The first candidate known in the patient's mailbox decides the thread; none means a new conversation. */
export function resolveThread(
  candidates: readonly string[],
  known: ReadonlyMap<string, string>,
): string | undefined {
  for (const id of candidates) {
    const thread = known.get(id);
    if (thread !== undefined) return thread;
  }
  return undefined;
}

/**
 * The Assurance Maladie's brochure (docs/messaging.md): "[FIN] dans l'objet … en reproduisant à l'identique les
 * crochets et les majuscules et sans rien ajouter d'autre". Surrounding spaces are not "something else"; `Re: [FIN]`
 * or `[fin]` do not close. The MSSanté client rules: `X-MSS-MES: FIN` means "no reply allowed".
 */
export function closesThread(subject: string, mssMes: string | undefined): boolean {
  return subject.trim() === '[FIN]' || mssMes?.trim().toUpperCase() === 'FIN';
}

export type ThreadDecision =
  | { readonly kind: 'join'; readonly threadId: string }
  | { readonly kind: 'open' }
  | { readonly kind: 'refuse'; readonly reason: 'patient-cannot-open' };

/** Inbound message → its conversation; only a professional or establishment sender opens one. */
export function decideThread(existing: string | undefined, senderIsPatient: boolean): ThreadDecision {
  if (existing !== undefined) return { kind: 'join', threadId: existing };
  return senderIsPatient ? { kind: 'refuse', reason: 'patient-cannot-open' } : { kind: 'open' };
}

export interface ThreadState {
  readonly closedAt: string | undefined;
}

/** The patient replies only in a thread a professional opened (all threads are), and only while it is open. */
export function mayPatientReply(thread: ThreadState): boolean {
  return thread.closedAt === undefined;
}

/** `Re: ` once, whatever the professional's client put (`RE:`, `Re :`, `TR:` stays as is). */
export function replySubject(subject: string): string {
  const trimmed = subject.trim();
  if (/^re\s?:/i.test(trimmed)) return trimmed;
  return `Re: ${trimmed === '' ? '(sans objet)' : trimmed}`;
}

/** References of a reply (RFC 5322 §3.6.4): the parent's References (or its In-Reply-To) then the parent. */
export function replyReferences(parentReferences: readonly string[], parentId: string, limit = 20): string[] {
  const chain = [...parentReferences.filter((id) => id !== parentId), parentId];
  // Keep the root and the most recent ones: long chains are trimmed in the middle.
  return chain.length <= limit ? chain : [chain[0]!, ...chain.slice(chain.length - limit + 1)];
}
