import type { Config } from '../config/index.ts';
import { allWordsStart, dateWords, searchWords } from '../guard/index.ts';
import type { PatientId } from '../identity/index.ts';
import { openText, type Executor } from '../storage/index.ts';
import { messageSubject, threadSubject } from './repository.ts';

/** One message found by a search of the patient's space. */
export interface MessageHit {
  readonly threadId: string;
  readonly messageId: string;
  /** The conversation's subject (the message's own when it has one). */
  readonly subject: string;
  readonly from: string;
  readonly direction: 'inbound' | 'outbound';
  readonly receivedAt: string;
  /** The first passage of the body holding a searched word, for the list. */
  readonly excerpt: string;
}

const EXCERPT_MAX = 160;

/** The first sentence or line of `text` where a searched word starts a word, shortened. */
function excerptOf(text: string, words: readonly string[]): string {
  const passages = text.split(/(?<=[.!?])\s+|\n+/).filter((p) => p.trim() !== '');
  const hit = passages.find((p) => searchWords(p).some((w) => words.some((word) => w.startsWith(word))));
  const passage = (hit ?? passages[0] ?? '').trim().replace(/\s+/g, ' ');
  return passage.length > EXCERPT_MAX ? `${passage.slice(0, EXCERPT_MAX - 1)}…` : passage;
}

/**
 * The messages of one patient's mailbox whose words start with every searched word (`words`, as `queryWords`
 * gives them), newest first: the subject (the thread's and the message's), the body, the sender's name, the year
 * and month it came. Subjects and bodies are sealed and never indexed, so one mailbox (a few hundred messages at
 * most) is opened in memory, on the executor the guard handed the caller.
 */
export async function searchMessages(
  config: Pick<Config, 'documentKey'>,
  db: Executor,
  patientId: PatientId,
  words: readonly string[],
): Promise<MessageHit[]> {
  if (words.length === 0) return [];
  const threads = await db
    .selectFrom('mss_threads')
    .selectAll()
    .where('patient_id', '=', patientId)
    .execute();
  const subjects = new Map(threads.map((t) => [t.id, threadSubject(config, t)]));
  const rows = await db
    .selectFrom('mss_messages')
    .selectAll()
    .where('patient_id', '=', patientId)
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.flatMap((row) => {
    const threadSubjectText = subjects.get(row.thread_id) ?? '';
    const subject = messageSubject(config, row);
    const body = openText(config, row.patient_id, row.id, row.body_text);
    const from = row.from_name ?? row.from_address;
    const texts = [threadSubjectText, subject, body, from, ...dateWords(row.received_at)];
    if (!allWordsStart(words, texts)) return [];
    return [
      {
        threadId: row.thread_id,
        messageId: row.id,
        subject: subject || threadSubjectText,
        from,
        direction: row.direction,
        receivedAt: row.received_at,
        excerpt: excerptOf(body, words),
      },
    ];
  });
}
