import type { AppContext } from '../app/index.ts';
import type { PatientId } from '../identity/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../insured/index.ts';
import { enqueueRawEmail } from '../mail/index.ts';
import { forbidden, uuidv7 } from '../shared/index.ts';
import { isUniqueViolation, type Executor } from '../storage/index.ts';
import { attachmentStore } from './attachment-store.ts';
import { closesThread, decideThread, resolveThread, threadCandidates } from './conversation.ts';
import { buildDsn, type FailedRecipient } from './dsn.ts';
import { expandAttachments, type PreparedAttachment } from './expand-attachments.ts';
import { notifyNewMessage } from './notices.ts';
import { parseInbound, type ParsedInbound } from './parse-inbound.ts';
import { knownThreads, sealSubject, unreadCount } from './repository.ts';
import { deferredReason, isPatientDomainAddress, normalizeAddress, parseRecipient } from './routing.ts';
import type { InboundMessage, StoreResult } from './types.ts';
import { sealText } from '../record/index.ts';

interface Target {
  readonly person: InsuredPerson;
  readonly state: 'created' | 'activated';
  readonly attachmentIds: string[];
  duplicate: boolean;
}

const dedupeKey = (p: ParsedInbound) => `${p.messageId} ${p.rawSha256}`;

/**
 * The patient sees the header From and replies to the thread's sender: a header From other than the envelope
 * sender (which the gateway authenticated: operator domain, client certificate) would let anyone be replied to.
 */
const senderMismatch = () =>
  forbidden(
    'sender-mismatch',
    'L’expéditeur de l’en-tête From doit être l’expéditeur de l’enveloppe (MAIL FROM), authentifié par son opérateur.',
  );

const patientCannotOpen = () =>
  forbidden(
    'patient-cannot-open',
    'Un patient ne peut pas ouvrir de conversation : seul un professionnel de santé peut écrire le premier.',
  );

const dsnText: Record<'opposed' | 'closed' | 'unknown', string> = {
  opposed: '550 5.1.1 recipient opted out of Mon espace sante',
  closed: '550 5.1.1 mailbox closed',
  unknown: '550 5.1.1 unknown recipient',
};

/** Splits the envelope recipients into patients to deliver to and addresses to report as failed. */
async function resolveRecipients(ctx: AppContext, recipients: readonly string[]) {
  const targets: Target[] = [];
  const failed: FailedRecipient[] = [];
  for (const address of new Set(recipients.map(normalizeAddress))) {
    const parsed = parseRecipient(address, ctx.config.patientMailDomain);
    if (!parsed.ok) {
      const r = parsed.refusal;
      failed.push({
        address,
        status: r.enhanced,
        diagnostic: `${r.smtpCode} ${r.enhanced} invalid recipient`,
      });
      continue;
    }
    const person = await findInsuredByIns(ctx.db, parsed.ins);
    const reason = deferredReason(person?.profileState);
    if (reason || !person) {
      failed.push({ address, status: '5.1.1', diagnostic: dsnText[reason ?? 'unknown'] });
      continue;
    }
    if (targets.some((t) => t.person.id === person.id)) continue;
    const state = person.profileState as 'created' | 'activated';
    targets.push({ person, state, attachmentIds: [], duplicate: false });
  }
  return { targets, failed };
}

async function alreadyStored(db: Executor, patientId: PatientId, key: string): Promise<boolean> {
  const row = await db
    .selectFrom('mss_messages')
    .select('id')
    .where('patient_id', '=', patientId)
    .where('dedupe_key', '=', key)
    .executeTakeFirst();
  return row !== undefined;
}

async function professionalName(db: Executor, address: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('professionals')
    .select(['given_name', 'family_name', 'profession_code'])
    .where((eb) => eb(eb.fn('lower', ['mssante_address']), '=', address.toLowerCase()))
    .executeTakeFirst();
  if (!row) return undefined;
  const title = row.profession_code === '10' || row.profession_code === '40' ? 'Dr ' : '';
  return `${title}${row.given_name} ${row.family_name.toUpperCase()}`;
}

/** Joins or opens the conversation, and applies `[FIN]` / `X-MSS-MES: FIN` from a professional. */
async function threadFor(
  ctx: AppContext,
  db: Executor,
  patientId: PatientId,
  parsed: ParsedInbound,
  sender: string,
  senderIsPatient: boolean,
  sentAt: string,
): Promise<string> {
  const candidates = threadCandidates(parsed.inReplyTo, parsed.references);
  const existing = resolveThread(candidates, await knownThreads(db, patientId, candidates));
  const decision = decideThread(existing, senderIsPatient);
  if (decision.kind === 'refuse') throw patientCannotOpen();
  const closing = !senderIsPatient && closesThread(parsed.subject, parsed.mssHeaders['x-mss-mes']);
  const name = parsed.from.name ?? (await professionalName(db, sender)) ?? null;
  const closure = closing
    ? { closed_at: sentAt, closed_by_address: sender, closed_by_name: name }
    : // A professional writing again in an ended exchange opens it again; a patient-side message never does.
      senderIsPatient
      ? {}
      : { closed_at: null, closed_by_address: null, closed_by_name: null };
  if (decision.kind === 'join') {
    if (Object.keys(closure).length > 0) {
      await db
        .updateTable('mss_threads')
        .set(closure)
        .where('patient_id', '=', patientId)
        .where('id', '=', decision.threadId)
        .execute();
    }
    await touchThread(db, patientId, decision.threadId, sentAt);
    return decision.threadId;
  }
  const id = uuidv7(Date.parse(sentAt));
  await db
    .insertInto('mss_threads')
    .values({
      patient_id: patientId,
      id,
      root_message_id: parsed.messageId,
      subject: sealSubject(ctx.config, patientId, 'thread', id, parsed.subject || '(sans objet)'),
      // The patient's replies go here: the authenticated envelope sender (equal to the header From, checked).
      professional_address: sender,
      professional_name: name,
      opened_at: sentAt,
      last_message_at: sentAt,
      closed_at: null,
      closed_by_address: null,
      closed_by_name: null,
      ...closure,
    })
    .execute();
  return id;
}

/** Moves the thread's last activity forward (never back: a late message keeps its own date). */
export async function touchThread(db: Executor, patientId: PatientId, threadId: string, at: string) {
  await db
    .updateTable('mss_threads')
    .set({ last_message_at: at })
    .where('patient_id', '=', patientId)
    .where('id', '=', threadId)
    .where('last_message_at', '<', at)
    .execute();
}

async function insertMessage(
  ctx: AppContext,
  db: Executor,
  target: Target,
  parsed: ParsedInbound,
  threadId: string,
  files: readonly PreparedAttachment[],
  times: { sentAt: string; receivedAt: string },
): Promise<void> {
  const patientId = target.person.id;
  const rowId = uuidv7(Date.parse(times.receivedAt));
  await db
    .insertInto('mss_messages')
    .values({
      patient_id: patientId,
      id: rowId,
      thread_id: threadId,
      message_id: parsed.messageId,
      in_reply_to: parsed.inReplyTo ?? null,
      references_json: JSON.stringify(parsed.references),
      direction: 'inbound',
      from_address: parsed.from.address,
      from_name: parsed.from.name ?? null,
      to_json: JSON.stringify(parsed.to),
      cc_json: JSON.stringify(parsed.cc),
      subject: sealSubject(ctx.config, patientId, 'message', rowId, parsed.subject),
      body_text: sealText(ctx.config, patientId, rowId, parsed.text),
      mss_headers_json: JSON.stringify(parsed.mssHeaders),
      sent_at: times.sentAt,
      received_at: times.receivedAt,
      read_at: null,
      dedupe_key: dedupeKey(parsed),
    })
    .execute();
  for (const [position, file] of files.entries()) {
    await db
      .insertInto('mss_attachments')
      .values({
        patient_id: patientId,
        id: target.attachmentIds[position]!,
        message_row_id: rowId,
        position,
        filename: file.filename,
        declared_type: file.declaredType.slice(0, 200),
        content_type: file.contentType,
        kind: file.kind,
        size: file.content.length,
        content_hash: file.hash,
        from_xdm: file.fromXdm ?? null,
        filed_document_id: null,
        created_at: times.receivedAt,
      })
      .execute();
  }
}

async function queueDsn(
  ctx: AppContext,
  db: Executor,
  message: InboundMessage,
  parsed: ParsedInbound,
  failed: readonly FailedRecipient[],
  now: Date,
): Promise<void> {
  const domain = ctx.config.patientMailDomain;
  const id = uuidv7(now.getTime());
  const raw = buildDsn({
    reportingDomain: domain,
    to: message.envelopeFrom,
    messageId: `${id}@${domain}`,
    date: now,
    arrivalDate: now,
    recipients: failed,
    originalHeaders: parsed.headerSection,
    originalMessageId: parsed.messageId,
    boundary: `dsn-${id}`,
  });
  // Null reverse-path (RFC 5321 §4.5.5): a report is never itself reported.
  await enqueueRawEmail(ctx.config, db, { to: message.envelopeFrom, from: '', raw }, now);
}

/**
 * Stores one received message durably for each deliverable recipient (attachments encrypted and fsynced, then
 * rows, notifications and any delivery status notification in one transaction) before resolving. A retried
 * delivery (same Message-ID and bytes) stores nothing new. Throws `mime-malformed` on bad MIME and
 * `patient-cannot-open` when a patient address would open a conversation; nothing is stored then.
 */
export async function receiveInbound(
  ctx: AppContext,
  message: InboundMessage,
  retried = false,
): Promise<StoreResult> {
  const now = ctx.clock.now();
  const domain = ctx.config.patientMailDomain;
  const parsed = await parseInbound(message.raw, domain);
  const senderIsPatient =
    isPatientDomainAddress(parsed.from.address, domain) ||
    isPatientDomainAddress(message.envelopeFrom, domain);
  const { targets, failed } = await resolveRecipients(ctx, message.recipients);
  for (const target of targets)
    target.duplicate = await alreadyStored(ctx.db, target.person.id, dedupeKey(parsed));
  const fresh = targets.filter((t) => !t.duplicate);
  if (senderIsPatient) {
    for (const t of fresh) {
      const candidates = threadCandidates(parsed.inReplyTo, parsed.references);
      if (!resolveThread(candidates, await knownThreads(ctx.db, t.person.id, candidates)))
        throw patientCannotOpen();
    }
  }
  const sender = normalizeAddress(message.envelopeFrom);
  if (sender === '' || parsed.from.address.toLowerCase() !== sender.toLowerCase()) throw senderMismatch();
  const files = fresh.length > 0 ? await expandAttachments(parsed.attachments, ctx.config.smtpGateway) : [];
  const store = attachmentStore(ctx);
  for (const target of fresh) {
    for (const file of files) {
      const id = uuidv7(now.getTime());
      target.attachmentIds.push(id);
      await store.put(target.person.id, id, file.content);
    }
  }
  const times = { sentAt: (parsed.sentAt ?? now).toISOString(), receivedAt: now.toISOString() };
  const sendDsn =
    failed.length > 0 && message.envelopeFrom.trim() !== '' && !targets.some((t) => t.duplicate);
  try {
    await ctx.db.transaction().execute(async (trx) => {
      for (const target of fresh) {
        const notify = (await unreadCount(trx, target.person.id)) === 0;
        const threadId = await threadFor(
          ctx,
          trx,
          target.person.id,
          parsed,
          sender,
          senderIsPatient,
          times.sentAt,
        );
        await insertMessage(ctx, trx, target, parsed, threadId, files, times);
        // One e-mail per batch of unread messages, not one per message.
        if (notify) await notifyNewMessage(ctx, trx, target.person, target.state, now);
      }
      if (sendDsn) await queueDsn(ctx, trx, message, parsed, failed, now);
    });
  } catch (error) {
    await Promise.all(fresh.flatMap((t) => t.attachmentIds.map((id) => store.discard(t.person.id, id))));
    // A concurrent retry of the same delivery committed first: this one is the duplicate.
    if (isUniqueViolation(error) && !retried) return receiveInbound(ctx, message, true);
    throw error;
  }
  return {
    stored: targets.map((t) => ({
      patientId: t.person.id,
      messageId: parsed.messageId,
      duplicate: t.duplicate,
    })),
    dsnSent: sendDsn ? failed.map((f) => f.address) : [],
  };
}
