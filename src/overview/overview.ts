import { decide, type PatientPrincipal } from '../access/index.ts';
import { decideAgenda, preventionItemsOf } from '../agenda/index.ts';
import { parisDay } from '../shared/index.ts';
import type { AppContext } from '../app/index.ts';
import { appendAudit } from '../audit/index.ts';
import type { PatientId } from '../identity/index.ts';
import { unreadCount } from '../messaging/index.ts';
import { inRecordTransaction, openDocumentSearch, Refusal, trace } from '../guard/index.ts';
import { readRecordNews, type RecordNews } from '../record/index.ts';
import { preventionAttention, type PreventionAttention } from './attention.ts';

/** What needs the patient's attention on one profile (their own, or a child's they represent): the home. */
export interface PatientOverview extends RecordNews {
  /** Received messages not read yet; null when the profile has no mailbox open (not activated). */
  readonly unreadMessages: number | null;
  readonly prevention: PreventionAttention;
}

/**
 * The home's counts in one call and one transaction. Each part is decided by the policy that guards the page
 * showing it in full (the record's search, the mailbox, the agenda); the whole is one trace in the patient's
 * trail, a read of the record (`search`, `view: overview`) with the counts in its detail, no health content.
 */
export async function patientOverview(
  ctx: AppContext,
  principal: PatientPrincipal,
  patientId: PatientId,
): Promise<PatientOverview> {
  const now = ctx.clock.now();
  return inRecordTransaction(ctx, async (trx) => {
    const opened = await openDocumentSearch(trx, principal, patientId, 'search', now, {
      detail: { view: 'overview' },
    });
    if (opened instanceof Refusal) return opened;
    const { record } = opened;
    const news = await readRecordNews(trx, principal, record, now);
    const mailboxOpen = decide(principal, {
      type: 'mailbox.open',
      patientId,
      profileState: record.person.profileState,
    }).allowed;
    const unreadMessages = mailboxOpen ? await unreadCount(trx, patientId) : null;
    const agendaOpen = decideAgenda(principal, record.context, 'read').allowed;
    const items = agendaOpen ? await preventionItemsOf(ctx, trx, record.person, now) : [];
    const prevention = preventionAttention(items, parisDay(now));
    const detail = {
      view: 'overview',
      newDocuments: news.newDocuments,
      ...(unreadMessages === null ? {} : { unreadMessages }),
      overdue: prevention.overdue.length,
      firstAccesses: news.firstAccesses.length,
    };
    await appendAudit(
      trx,
      trace(principal, patientId, 'search', 'success', {
        targetType: 'Patient',
        targetId: patientId,
        detail,
      }),
      now,
    );
    return { ...news, unreadMessages, prevention };
  });
}
