import { createHash, randomBytes } from 'node:crypto';
import type { AppContext } from '../app/index.ts';
import type { PatientPrincipal, Principal } from '../access/index.ts';
import { appendAudit } from '../audit/index.ts';
import type { PatientId } from '../identity/index.ts';
import { displayName, findInsuredById, stillActsFor } from '../insured/index.ts';
import { openAgenda, trace, inRecordTransaction, Refusal } from '../guard/index.ts';
import { notFound, addDays, parisDay, frenchLongDay } from '../shared/index.ts';
import type { Executor } from '../storage/index.ts';
import { endOrAssumed, toAgendaEvent } from './events.ts';
import { renderCalendar, type IcalEvent } from './ical.ts';
import { preventionItemsOf } from './prevention-items.ts';

/** The secret travels only in the URL given to the patient; the database keeps its SHA-256. */
const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export const feedUrl = (ctx: Pick<AppContext, 'config'>, token: string) =>
  `${ctx.config.baseUrl}/agenda/${token}.ics`;

export interface FeedStatus {
  readonly active: boolean;
  readonly createdAt: string | undefined;
}

export async function feedStatus(db: Executor, patientId: PatientId): Promise<FeedStatus> {
  const row = await db
    .selectFrom('agenda_feeds')
    .select('created_at')
    .where('patient_id', '=', patientId)
    .executeTakeFirst();
  return { active: row !== undefined, createdAt: row?.created_at };
}

/** A new secret address; the previous one, if any, stops working at once. The URL is shown once. */
export async function regenerateFeed(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
): Promise<{ url: string; createdAt: string }> {
  const now = ctx.clock.now();
  const token = randomBytes(32).toString('base64url');
  return inRecordTransaction(ctx, async (trx) => {
    const record = await openAgenda(trx, principal, patientId, 'manage', now);
    if (record instanceof Refusal) return record;
    const createdAt = now.toISOString();
    await trx.deleteFrom('agenda_feeds').where('patient_id', '=', patientId).execute();
    await trx
      .insertInto('agenda_feeds')
      .values({
        patient_id: patientId,
        token_hash: hashToken(token),
        created_by: principal.kind === 'patient' ? principal.patientId : patientId,
        created_at: createdAt,
      })
      .execute();
    await appendAudit(
      trx,
      trace(principal, patientId, 'agenda-update', 'success', { detail: { feed: 'regenerated' } }),
      now,
    );
    return { url: feedUrl(ctx, token), createdAt };
  });
}

export async function revokeFeed(ctx: AppContext, principal: Principal, patientId: PatientId): Promise<void> {
  const now = ctx.clock.now();
  await inRecordTransaction(ctx, async (trx) => {
    const record = await openAgenda(trx, principal, patientId, 'manage', now);
    if (record instanceof Refusal) return record;
    await trx.deleteFrom('agenda_feeds').where('patient_id', '=', patientId).execute();
    await appendAudit(
      trx,
      trace(principal, patientId, 'agenda-update', 'success', { detail: { feed: 'revoked' } }),
      now,
    );
    return undefined;
  });
}

const feedNotFound = () =>
  notFound('agenda-feed-not-found', 'Cet agenda n’existe pas ou son adresse a été révoquée.');

/** How far back a subscribed calendar still shows past appointments. */
const PAST_DAYS = 180;

/**
 * The iCalendar document behind a secret address: booked appointments and reminders, and the prevention items to
 * plan. Each fetch is traced in the patient's history (a leaked address shows up there).
 */
export async function renderFeed(ctx: AppContext, token: string): Promise<string> {
  if (!TOKEN_SHAPE.test(token)) throw feedNotFound();
  const now = ctx.clock.now();
  return inRecordTransaction(ctx, async (trx) => {
    const feed = await trx
      .selectFrom('agenda_feeds')
      .select(['patient_id', 'created_by'])
      .where('token_hash', '=', hashToken(token))
      .executeTakeFirst();
    if (!feed) throw feedNotFound();
    const patientId = feed.patient_id as PatientId;
    const person = await findInsuredById(trx, patientId);
    if (!person) throw feedNotFound();
    if (!(await stillActsFor(trx, feed.created_by as PatientId, patientId, now))) throw feedNotFound();
    // The address stands for the profile itself: it reads what the patient would read, nothing more.
    const owner: PatientPrincipal = { kind: 'patient', patientId, ins: person.ins, actsFor: [patientId] };
    // A refused read is traced like any other; the address then answers as if it did not exist.
    const opened = await openAgenda(trx, owner, patientId, 'read', now);
    if (opened instanceof Refusal) return new Refusal(feedNotFound());
    const since = new Date(now.getTime() - PAST_DAYS * 86_400_000).toISOString();
    const rows = await opened.db
      .selectFrom('agenda_events')
      .selectAll()
      .where('patient_id', '=', patientId)
      .where('starts_at', '>=', since)
      .orderBy('starts_at')
      .execute();
    // A cancelled appointment stays, as CANCELLED: a calendar that already shows it marks it rather than
    // keeping a stale copy or silently dropping it.
    const events: IcalEvent[] = rows.map((row) => {
      const event = toAgendaEvent(ctx, row);
      const cancelled = event.status === 'cancelled';
      const end = endOrAssumed(event);
      return {
        uid: `${event.id}@carnet`,
        summary: cancelled
          ? `Annulé : ${event.title}`
          : event.kind === 'reminder'
            ? `Rappel : ${event.title}`
            : event.title,
        description: [event.practitioner ? `Avec ${event.practitioner}` : '', event.notes ?? '']
          .filter(Boolean)
          .join('\n'),
        location: event.location,
        when: { kind: 'timed', start: event.start, end },
        status: cancelled ? 'CANCELLED' : 'CONFIRMED',
        ...(cancelled
          ? {}
          : {
              alarmBefore: 'P1D',
              alarmText: event.kind === 'reminder' ? 'Rappel demain' : 'Rendez-vous demain',
            }),
        lastModified: event.updatedAt,
        categories: event.kind === 'reminder' ? 'Rappel' : 'Rendez-vous',
      };
    });
    const items = await preventionItemsOf(ctx, opened.db, person, now);
    const today = parisDay(now);
    for (const item of items) {
      if (item.status !== 'to-plan') continue;
      const window = `du ${frenchLongDay(item.dueFrom)} au ${frenchLongDay(item.dueUntil)}`;
      // A late item is shown today, not on a past day the calendar no longer shows.
      const late = item.dueFrom < today;
      const day = late ? today : item.dueFrom;
      events.push({
        uid: `prevention-${item.itemId}-${item.occurrence}@carnet`,
        summary: `${item.overdue ? 'En retard' : 'À prévoir'} : ${item.label}`,
        description: `Recommandé ${window}.`,
        when: { kind: 'all-day', start: day, end: addDays(day, 1) },
        status: 'TENTATIVE',
        ...(late ? {} : { alarmBefore: 'PT15H', alarmText: `À prévoir : ${item.label}` }),
        categories: 'Prévention',
      });
    }
    await appendAudit(
      opened.db,
      trace(owner, patientId, 'agenda-read', 'success', {
        targetType: 'Patient',
        targetId: patientId,
        detail: { channel: 'ical', returned: events.length },
      }),
      now,
    );
    return renderCalendar({ name: `Agenda santé – ${displayName(person)}`, events, now });
  });
}
