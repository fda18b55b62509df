import type { AppContext } from '../app/index.ts';
import type { PatientPrincipal } from '../access/index.ts';
import type { Ins, PatientId } from '../identity/index.ts';
import { displayName } from '../insured/index.ts';
import { enqueueRawEmail } from '../mail/index.ts';
import { checkContent, contentLimits, sealText } from '../record/index.ts';
import { forbidden, invalid, uuidv7, isOperatorAddress } from '../shared/index.ts';
import { safeFilename } from './attachment-kind.ts';
import { attachmentStore } from './attachment-store.ts';
import { mayPatientReply, replyReferences, replySubject } from './conversation.ts';
import { auditMailbox, openMailbox } from '../guard/index.ts';
import { threadNotFound } from './errors.ts';
import { touchThread } from './receive.ts';
import { buildReplyMime } from './reply-mime.ts';
import {
  attachmentsOf,
  findThread,
  messageView,
  sealSubject,
  threadMessages,
  threadSubject,
  type MessageRow,
} from './repository.ts';
import { patientAddress } from './routing.ts';
import type { MessageView, ReplyInput } from './types.ts';

const MAX_TEXT = 100_000;

/**
 * Threads opened before the gateway bound the sender to its envelope may name any address: with an operator list
 * configured (always in production), a reply leaves only for an MSSanté operator's domain.
 */
const notOperator = () =>
  forbidden(
    'reply-not-operator',
    'Cette conversation ne peut pas recevoir de réponse : son expéditeur n’est pas une messagerie de santé reconnue.',
  );

const closedError = (by: string) =>
  forbidden('thread-closed', `${by} a clôturé cet échange : vous ne pouvez plus y répondre.`);

/** The professional's last message: the one the reply answers (In-Reply-To). */
function parentOf(rows: readonly MessageRow[]): MessageRow {
  return [...rows].reverse().find((r) => r.direction === 'inbound') ?? rows[rows.length - 1]!;
}

function checkReply(ctx: AppContext, reply: ReplyInput) {
  const text = reply.text.trim();
  if (text === '' && reply.attachments.length === 0) throw invalid('reply-empty', 'Votre réponse est vide.');
  if (text.length > MAX_TEXT) throw invalid('reply-too-long', 'Votre réponse est trop longue.');
  const limits = contentLimits(ctx.config);
  // The patient's attachments follow the record's rules for patient uploads (checked by their bytes).
  return reply.attachments.map((a, i) => {
    const checked = checkContent(limits, 'patient', a.content, a.contentType);
    return { ...a, filename: safeFilename(a.filename, `piece-jointe-${i + 1}`), checked };
  });
}

/**
 * The patient's reply in a thread a professional opened, to that professional only, while it is open: MIME from
 * `<INS>@domain`, threaded, queued through the outbox in the transaction that stores it as an outgoing message.
 */
export async function replyInThread(
  ctx: AppContext,
  principal: PatientPrincipal,
  patientId: PatientId,
  threadId: string,
  reply: ReplyInput,
): Promise<MessageView> {
  const { person } = await openMailbox(ctx, principal, patientId, 'message-reply');
  const thread = await findThread(ctx.db, patientId, threadId);
  if (!thread) throw threadNotFound();
  const { operatorDomains } = ctx.config.smtpGateway;
  if (operatorDomains.length > 0 && !isOperatorAddress(operatorDomains, thread.professional_address)) {
    throw notOperator();
  }
  if (!mayPatientReply({ closedAt: thread.closed_at ?? undefined })) {
    throw closedError(thread.closed_by_name ?? thread.closed_by_address ?? 'Le professionnel');
  }
  const attachments = checkReply(ctx, reply);
  const now = ctx.clock.now();
  const domain = ctx.config.patientMailDomain;
  const from = patientAddress(person.ins as Ins, domain);
  const history = await threadMessages(ctx.db, patientId, threadId);
  const parent = parentOf(history);
  const references = replyReferences(JSON.parse(parent.references_json) as string[], parent.message_id);
  const rowId = uuidv7(now.getTime());
  const messageId = `${rowId}@${domain}`;
  const subject = replySubject(threadSubject(ctx.config, thread));
  const text = reply.text.trim();
  const raw = await buildReplyMime({
    from: { name: displayName(person), address: from },
    to: thread.professional_address,
    subject,
    text,
    messageId,
    inReplyTo: parent.message_id,
    references,
    date: now,
    attachments: attachments.map((a) => ({
      filename: a.filename,
      contentType: a.checked.contentType,
      content: a.content,
    })),
  });
  const store = attachmentStore(ctx);
  const ids = attachments.map(() => uuidv7(now.getTime()));
  for (const [i, a] of attachments.entries()) await store.put(patientId, ids[i]!, a.content);

  try {
    await ctx.db.transaction().execute(async (trx) => {
      // Checked again in the transaction: a [FIN] may have arrived meanwhile.
      const current = await findThread(trx, patientId, threadId);
      if (current?.closed_at)
        throw closedError(current.closed_by_name ?? current.closed_by_address ?? 'Le professionnel');
      await trx
        .insertInto('mss_messages')
        .values({
          patient_id: patientId,
          id: rowId,
          thread_id: threadId,
          message_id: messageId,
          in_reply_to: parent.message_id,
          references_json: JSON.stringify(references),
          direction: 'outbound',
          from_address: from,
          from_name: displayName(person),
          to_json: JSON.stringify([thread.professional_address]),
          cc_json: '[]',
          subject: sealSubject(ctx.config, patientId, 'message', rowId, subject),
          body_text: sealText(ctx.config, patientId, rowId, text),
          mss_headers_json: '{}',
          sent_at: now.toISOString(),
          received_at: now.toISOString(),
          read_at: now.toISOString(),
          dedupe_key: `${messageId} outbound`,
        })
        .execute();
      for (const [position, a] of attachments.entries()) {
        await trx
          .insertInto('mss_attachments')
          .values({
            patient_id: patientId,
            id: ids[position]!,
            message_row_id: rowId,
            position,
            filename: a.filename,
            declared_type: a.contentType.slice(0, 200),
            content_type: a.checked.contentType,
            kind:
              a.checked.contentType === 'application/pdf'
                ? 'pdf'
                : a.checked.contentType.startsWith('image/')
                  ? 'image'
                  : 'text',
            size: a.content.length,
            content_hash: a.checked.hash,
            from_xdm: null,
            filed_document_id: null,
            created_at: now.toISOString(),
          })
          .execute();
      }
      await touchThread(trx, patientId, threadId, now.toISOString());
      await enqueueRawEmail(ctx.config, trx, { to: thread.professional_address, from, raw, patientId }, now);
      await auditMailbox(trx, principal, patientId, 'message-reply', now, {
        targetType: 'Communication',
        targetId: rowId,
        detail: { thread: threadId, attachments: attachments.length },
      });
    });
  } catch (error) {
    await Promise.all(ids.map((id) => store.discard(patientId, id)));
    throw error;
  }
  const rows = await threadMessages(ctx.db, patientId, threadId);
  const row = rows.find((r) => r.id === rowId)!;
  return messageView(ctx.config, row, await attachmentsOf(ctx.db, patientId, [rowId]));
}
