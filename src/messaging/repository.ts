import type { Selectable } from 'kysely';
import type { PatientId } from '../identity/index.ts';
import type { Executor, MssAttachmentsTable, MssMessagesTable, MssThreadsTable } from '../storage/index.ts';
import type { AttachmentKind, AttachmentView, MessageView, ThreadSummary } from './types.ts';
import type { Config } from '../config/index.ts';
import { openText, sealText } from '../record/index.ts';

export type ThreadRow = Selectable<MssThreadsTable>;
export type MessageRow = Selectable<MssMessagesTable>;
export type AttachmentRow = Selectable<MssAttachmentsTable>;

const json = <T>(text: string): T => JSON.parse(text) as T;

type Keys = Pick<Config, 'documentKey'>;

/**
 * Subjects are health text ("Résultats de votre biopsie"): sealed like bodies, bound to their patient and to
 * their thread or message row, so that a database dump shows none. No index is kept: the patient's search opens
 * one mailbox in memory (search.ts).
 */
export function sealSubject(
  config: Keys,
  patientId: string,
  of: 'thread' | 'message',
  id: string,
  subject: string,
): string {
  return sealText(config, patientId, `${of}-subject:${id}`, subject);
}

const openSubject = (config: Keys, patientId: string, of: 'thread' | 'message', id: string, stored: string) =>
  openText(config, patientId, `${of}-subject:${id}`, stored);

export const messageSubject = (config: Keys, row: Pick<MessageRow, 'patient_id' | 'id' | 'subject'>) =>
  openSubject(config, row.patient_id, 'message', row.id, row.subject);

export const threadSubject = (config: Keys, row: ThreadRow) =>
  openSubject(config, row.patient_id, 'thread', row.id, row.subject);

export function attachmentView(row: AttachmentRow): AttachmentView {
  const kind = row.kind as AttachmentKind;
  return {
    id: row.id,
    filename: row.filename,
    contentType: row.content_type,
    kind,
    viewable: kind !== 'other',
    size: row.size,
    fromXdm: row.from_xdm ?? undefined,
    filedDocumentId: row.filed_document_id ?? undefined,
  };
}

export function messageView(
  config: Keys,
  row: MessageRow,
  attachments: readonly AttachmentRow[],
): MessageView {
  return {
    id: row.id,
    patientId: row.patient_id as PatientId,
    threadId: row.thread_id,
    messageId: row.message_id,
    inReplyTo: row.in_reply_to ?? undefined,
    direction: row.direction,
    from: { address: row.from_address, name: row.from_name ?? undefined },
    to: json<string[]>(row.to_json),
    cc: json<string[]>(row.cc_json),
    subject: openSubject(config, row.patient_id, 'message', row.id, row.subject),
    text: openText(config, row.patient_id, row.id, row.body_text),
    sentAt: row.sent_at,
    receivedAt: row.received_at,
    readAt: row.read_at ?? undefined,
    mssHeaders: json<Record<string, string>>(row.mss_headers_json),
    attachments: attachments.filter((a) => a.message_row_id === row.id).map(attachmentView),
  };
}

export function threadProfessional(row: ThreadRow) {
  return { address: row.professional_address, name: row.professional_name ?? undefined };
}

/** Message-ID → thread, for the ids a new message names. */
export async function knownThreads(
  db: Executor,
  patientId: PatientId,
  messageIds: readonly string[],
): Promise<Map<string, string>> {
  if (messageIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('mss_messages')
    .select(['message_id', 'thread_id'])
    .where('patient_id', '=', patientId)
    .where('message_id', 'in', [...messageIds])
    .execute();
  return new Map(rows.map((r) => [r.message_id, r.thread_id]));
}

export async function findThread(
  db: Executor,
  patientId: PatientId,
  threadId: string,
): Promise<ThreadRow | undefined> {
  return db
    .selectFrom('mss_threads')
    .selectAll()
    .where('patient_id', '=', patientId)
    .where('id', '=', threadId)
    .executeTakeFirst();
}

export async function attachmentsOf(
  db: Executor,
  patientId: PatientId,
  messageRowIds: readonly string[],
): Promise<AttachmentRow[]> {
  if (messageRowIds.length === 0) return [];
  return db
    .selectFrom('mss_attachments')
    .selectAll()
    .where('patient_id', '=', patientId)
    .where('message_row_id', 'in', [...messageRowIds])
    .orderBy('position')
    .execute();
}

export async function threadMessages(db: Executor, patientId: PatientId, threadId: string) {
  return (
    db
      .selectFrom('mss_messages')
      .selectAll()
      .where('patient_id', '=', patientId)
      .where('thread_id', '=', threadId)
      // Arrival order: senders' Date headers have second precision and clocks of their own.
      .orderBy('received_at')
      .orderBy('id')
      .execute()
  );
}

export async function threadSummaries(
  config: Keys,
  db: Executor,
  patientId: PatientId,
): Promise<ThreadSummary[]> {
  const threads = await db
    .selectFrom('mss_threads')
    .selectAll()
    .where('patient_id', '=', patientId)
    .orderBy('last_message_at', 'desc')
    .execute();
  const counts = await db
    .selectFrom('mss_messages')
    .select((eb) => [
      'thread_id',
      eb.fn.countAll<number>().as('total'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(eb.and([eb('read_at', 'is', null), eb('direction', '=', 'inbound')]))
            .then(1)
            .else(0)
            .end(),
        )
        .as('unread'),
    ])
    .where('patient_id', '=', patientId)
    .groupBy('thread_id')
    .execute();
  const byThread = new Map(counts.map((c) => [c.thread_id, c]));
  return threads.map((t) => ({
    threadId: t.id,
    subject: threadSubject(config, t),
    professional: threadProfessional(t),
    lastMessageAt: t.last_message_at,
    messageCount: Number(byThread.get(t.id)?.total ?? 0),
    unreadCount: Number(byThread.get(t.id)?.unread ?? 0),
    closed: t.closed_at !== null,
  }));
}

export async function unreadCount(db: Executor, patientId: PatientId): Promise<number> {
  const row = await db
    .selectFrom('mss_messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('patient_id', '=', patientId)
    .where('direction', '=', 'inbound')
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
