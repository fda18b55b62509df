import type { AppContext } from '../app/index.ts';
import type { PatientPrincipal } from '../access/index.ts';
import type { Ins, PatientId } from '../identity/index.ts';
import { invalid } from '../shared/index.ts';
import { attachmentStore } from './attachment-store.ts';
import { mayPatientReply } from './conversation.ts';
import { auditMailbox, openMailbox } from '../guard/index.ts';
import { attachmentNotFound, threadNotFound } from './errors.ts';
import {
  attachmentsOf,
  attachmentView,
  findThread,
  messageView,
  threadMessages,
  threadProfessional,
  threadSubject,
  threadSummaries,
  type ThreadRow,
} from './repository.ts';
import { patientAddress } from './routing.ts';
import type { MessageView, ThreadSummary, ThreadView } from './types.ts';

/** The patient's conversations, most recent first, with unread counts. Audited as a mailbox read. */
export async function listInbox(
  ctx: AppContext,
  principal: PatientPrincipal,
  patientId: PatientId,
): Promise<ThreadSummary[]> {
  await openMailbox(ctx, principal, patientId, 'message-read');
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const threads = await threadSummaries(ctx.config, trx, patientId);
    await auditMailbox(trx, principal, patientId, 'message-read', now, {
      targetType: 'Communication',
      detail: { view: 'inbox', threads: threads.length },
    });
    return threads;
  });
}

function closureOf(thread: ThreadRow): ThreadView['closed'] {
  if (thread.closed_at === null) return undefined;
  return {
    by: { address: thread.closed_by_address ?? '', name: thread.closed_by_name ?? undefined },
    at: thread.closed_at,
  };
}

/** The whole conversation, oldest first; its received messages become read. */
export async function readThread(
  ctx: AppContext,
  principal: PatientPrincipal,
  patientId: PatientId,
  threadId: string,
): Promise<ThreadView> {
  const { person } = await openMailbox(ctx, principal, patientId, 'message-read');
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const thread = await findThread(trx, patientId, threadId);
    if (!thread) throw threadNotFound();
    await trx
      .updateTable('mss_messages')
      .set({ read_at: now.toISOString() })
      .where('patient_id', '=', patientId)
      .where('thread_id', '=', threadId)
      .where('read_at', 'is', null)
      .execute();
    const rows = await threadMessages(trx, patientId, threadId);
    const attachments = await attachmentsOf(
      trx,
      patientId,
      rows.map((r) => r.id),
    );
    await auditMailbox(trx, principal, patientId, 'message-read', now, {
      targetType: 'Communication',
      targetId: threadId,
      detail: { view: 'thread', messages: rows.length },
    });
    const closed = closureOf(thread);
    return {
      threadId,
      patientId,
      subject: threadSubject(ctx.config, thread),
      professional: threadProfessional(thread),
      patientAddress: patientAddress(person.ins as Ins, ctx.config.patientMailDomain),
      closed,
      canReply: mayPatientReply({ closedAt: closed?.at }),
      messages: rows.map((r) => messageView(ctx.config, r, attachments)),
    };
  });
}

/** Messages newest first, for FHIR `Communication` search; does not mark them read. */
export async function listCommunications(
  ctx: AppContext,
  principal: PatientPrincipal,
  patientId: PatientId,
  page: { readonly offset: number; readonly count: number },
): Promise<{ total: number; messages: MessageView[] }> {
  if (!Number.isInteger(page.offset) || page.offset < 0 || !Number.isInteger(page.count) || page.count < 0) {
    throw invalid('page-invalid', 'Pagination invalide.');
  }
  await openMailbox(ctx, principal, patientId, 'message-read');
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const total = await trx
      .selectFrom('mss_messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('patient_id', '=', patientId)
      .executeTakeFirstOrThrow();
    const rows = await trx
      .selectFrom('mss_messages')
      .selectAll()
      .where('patient_id', '=', patientId)
      .orderBy('received_at', 'desc')
      .orderBy('id', 'desc')
      .limit(Math.min(page.count, 500))
      .offset(page.offset)
      .execute();
    const attachments = await attachmentsOf(
      trx,
      patientId,
      rows.map((r) => r.id),
    );
    await auditMailbox(trx, principal, patientId, 'message-read', now, {
      targetType: 'Communication',
      detail: { view: 'communications', messages: rows.length },
    });
    return { total: Number(total.n), messages: rows.map((r) => messageView(ctx.config, r, attachments)) };
  });
}

/** The decrypted bytes of one attachment, to view (when `viewable`) or download. */
export async function readAttachment(
  ctx: AppContext,
  principal: PatientPrincipal,
  patientId: PatientId,
  attachmentId: string,
): Promise<{ filename: string; contentType: string; viewable: boolean; content: Buffer }> {
  await openMailbox(ctx, principal, patientId, 'message-read');
  const row = await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const found = await trx
      .selectFrom('mss_attachments')
      .selectAll()
      .where('patient_id', '=', patientId)
      .where('id', '=', attachmentId)
      .executeTakeFirst();
    if (!found) throw attachmentNotFound();
    await auditMailbox(trx, principal, patientId, 'message-read', now, {
      targetType: 'Communication',
      targetId: found.message_row_id,
      detail: { attachment: found.id },
    });
    return found;
  });
  const content = await attachmentStore(ctx).get(patientId, row.id, row.content_hash);
  const view = attachmentView(row);
  return { filename: view.filename, contentType: view.contentType, viewable: view.viewable, content };
}
