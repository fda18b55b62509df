import { decide, type PatientPrincipal } from '../access/index.ts';
import { listPreventionItems } from '../agenda/index.ts';
import { parisDay } from '../agenda/time.ts';
import type { AppContext } from '../app/context.ts';
import type { PatientId } from '../identity/index.ts';
import { findInsuredById } from '../insured/index.ts';
import { countUnread } from '../messaging/index.ts';
import { recordNews, type RecordNews } from '../record/index.ts';
import { notFound } from '../shared/errors.ts';
import { preventionAttention, type PreventionAttention } from './attention.ts';

/** What needs the patient's attention on one profile (their own, or a child's they represent): the home. */
export interface PatientOverview extends RecordNews {
  /** Received messages not read yet; null when the profile has no mailbox open (not activated). */
  readonly unreadMessages: number | null;
  readonly prevention: PreventionAttention;
}

/**
 * The home's counts in one call. Each part is decided and traced by its own service, as the page that shows it in
 * full is: the record's news as a search of the record, the unread count as a mailbox read, the prevention items
 * as an agenda read.
 */
export async function patientOverview(
  ctx: AppContext,
  principal: PatientPrincipal,
  patientId: PatientId,
): Promise<PatientOverview> {
  const person = await findInsuredById(ctx.db, patientId);
  if (!person) throw notFound('patient-not-found', 'Patient introuvable.');
  const mailboxOpen = decide(principal, {
    type: 'mailbox.open',
    patientId,
    profileState: person.profileState,
  }).allowed;
  // The record first: it refuses (and traces) a profile the principal does not act for.
  const news = await recordNews(ctx, principal, patientId);
  const [unreadMessages, items] = await Promise.all([
    mailboxOpen ? countUnread(ctx, principal, patientId) : Promise.resolve(null),
    listPreventionItems(ctx, principal, patientId),
  ]);
  return {
    ...news,
    unreadMessages,
    prevention: preventionAttention(items, parisDay(ctx.clock.now())),
  };
}
