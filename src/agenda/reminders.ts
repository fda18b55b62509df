import type { AppContext } from '../app/index.ts';
import type { PatientId } from '../identity/index.ts';
import {
  displayName,
  findInsuredById,
  isMinorOn,
  type InsuredPerson,
  representativeEmails,
} from '../insured/index.ts';
import { enqueueEmail } from '../mail/index.ts';
import { readNotificationPreferences, type NotificationTopic } from '../notifications/index.ts';
import type { Executor } from '../storage/index.ts';
import { preventionItemsOf } from './prevention-items.ts';
import { addDays, parisDay } from '../shared/index.ts';

export type ReminderKind = 'appointment' | 'reminder' | 'prevention';

/** One reminder to send: the delivery key (patient, kind, ref, notify day) is what makes it go out once. */
export interface DueReminder {
  readonly patientId: PatientId;
  readonly kind: ReminderKind;
  readonly ref: string;
  readonly notifyDate: string;
}

const topicOf: Record<ReminderKind, NotificationTopic> = {
  appointment: 'appointments',
  reminder: 'appointments',
  prevention: 'screening',
};

/**
 * A missed prevention notice is still sent this many days late (a scheduler down for a weekend); older ones
 * are dropped rather than arriving out of the blue.
 */
export const PREVENTION_CATCH_UP_DAYS = 7;
const PATIENT_PAGE = 500;

/**
 * The notification days of an event: an appointment the day before and on the day, a free reminder on the day.
 * A notice missed while no scheduler ran goes out late, but never after the event's day.
 */
export function eventNotifyDates(kind: 'appointment' | 'reminder', day: string): string[] {
  return kind === 'appointment' ? [addDays(day, -1), day] : [day];
}

export const isEventNoticeDue = (notifyDate: string, eventDay: string, today: string) =>
  notifyDate <= today && today <= eventDay;

export const isPreventionNoticeDue = (notifyDate: string, today: string) =>
  notifyDate <= today && notifyDate >= addDays(today, -PREVENTION_CATCH_UP_DAYS);

async function dueEventReminders(db: Executor, today: string): Promise<DueReminder[]> {
  // Only today's and tomorrow's events can have a notice due today (day before, or on the day).
  const rows = await db
    .selectFrom('agenda_events')
    .innerJoin('patients', 'patients.id', 'agenda_events.patient_id')
    .select(['agenda_events.patient_id', 'agenda_events.id', 'agenda_events.kind', 'agenda_events.day'])
    .where('agenda_events.day', 'in', [today, addDays(today, 1)])
    .where('agenda_events.status', '=', 'booked')
    .where('patients.profile_state', '=', 'activated')
    .execute();
  return rows.flatMap((row) => {
    const kind = row.kind === 'reminder' ? 'reminder' : 'appointment';
    return eventNotifyDates(kind, row.day)
      .filter((date) => isEventNoticeDue(date, row.day, today))
      .map((notifyDate) => ({ patientId: row.patient_id as PatientId, kind, ref: row.id, notifyDate }));
  });
}

async function duePreventionReminders(
  ctx: AppContext,
  now: Date,
  today: string,
): Promise<{ due: DueReminder[]; patients: number }> {
  const due: DueReminder[] = [];
  let patients = 0;
  let after = '';
  for (;;) {
    const people = await ctx.db
      .selectFrom('patients')
      .select(['id', 'birth_date', 'sex'])
      .where('profile_state', '=', 'activated')
      .where('id', '>', after)
      .orderBy('id')
      .limit(PATIENT_PAGE)
      .execute();
    patients += people.length;
    for (const row of people) {
      const person = { id: row.id as PatientId, birthDate: row.birth_date, sex: row.sex };
      for (const item of await preventionItemsOf(ctx, ctx.db, person, now)) {
        if (item.status !== 'to-plan') continue;
        for (const notifyDate of item.notifyOn) {
          if (isPreventionNoticeDue(notifyDate, today))
            due.push({
              patientId: person.id,
              kind: 'prevention',
              ref: `${item.itemId}/${item.occurrence}`,
              notifyDate,
            });
        }
      }
    }
    if (people.length < PATIENT_PAGE) return { due, patients };
    after = people[people.length - 1]!.id;
  }
}

/** Everything due at `now` (Europe/Paris day), whether or not it was already sent. */
export async function dueReminders(ctx: AppContext, now: Date): Promise<DueReminder[]> {
  const today = parisDay(now);
  return [
    ...(await dueEventReminders(ctx.db, today)),
    ...(await duePreventionReminders(ctx, now, today)).due,
  ];
}

const keyOf = (r: DueReminder) => `${r.kind}\u0000${r.ref}\u0000${r.notifyDate}`;

const signature =
  '\n\nCeci est un message automatique, merci de ne pas y répondre.\nL’équipe Mon espace santé';

/** Says only that reminders await: what they are about is health content and stays in Carnet. */
function reminderEmail(ctx: AppContext, person: InsuredPerson, count: number, minor: boolean) {
  const what = count === 1 ? 'Un rappel vous attend' : `${count} rappels vous attendent`;
  const whose = minor
    ? ` dans l’agenda santé de ${displayName(person)}, dont vous êtes représentant légal.`
    : ' dans votre agenda santé.';
  const greeting = minor ? 'Bonjour,' : `Bonjour ${displayName(person)},`;
  return {
    subject: 'Un rappel vous attend dans votre agenda Mon espace santé',
    text:
      `${greeting}\n\n${what}${whose}\n\n` +
      `Retrouvez-le dans votre espace : ${ctx.config.baseUrl}/agenda` +
      signature,
  };
}

/**
 * Records the patient's due reminders and queues one e-mail for the new ones, in one transaction: a reminder
 * already recorded (by an earlier pass, a killed one that committed, or another instance) inserts nothing.
 * Keys are inserted in one order everywhere, so two instances never deadlock on them.
 */
async function deliverToPatient(
  ctx: AppContext,
  patientId: PatientId,
  reminders: readonly DueReminder[],
  now: Date,
): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    const person = await findInsuredById(trx, patientId);
    if (!person || person.profileState !== 'activated') return 0;
    const preferences = await readNotificationPreferences(trx, patientId);
    const wanted = reminders
      .filter((r) => preferences[topicOf[r.kind]])
      .sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
    const inserted: DueReminder[] = [];
    for (const reminder of wanted) {
      const result = await trx
        .insertInto('agenda_reminder_deliveries')
        .values({
          patient_id: patientId,
          reminder_kind: reminder.kind,
          ref: reminder.ref,
          notify_date: reminder.notifyDate,
          outbox_id: null,
          created_at: now.toISOString(),
        })
        .onConflict((oc) => oc.columns(['patient_id', 'reminder_kind', 'ref', 'notify_date']).doNothing())
        .returning('ref')
        .executeTakeFirst();
      if (result) inserted.push(reminder);
    }
    if (inserted.length === 0) return 0;
    const minor = isMinorOn(person, now);
    const recipients = minor ? await representativeEmails(trx, patientId) : [];
    if (recipients.length === 0 && person.email) recipients.push(person.email);
    const email = reminderEmail(ctx, person, inserted.length, minor);
    let outboxId: string | null = null;
    for (const to of recipients) {
      const id = await enqueueEmail(ctx.config, trx, { to, ...email, patientId }, now);
      outboxId ??= id;
    }
    if (outboxId !== null) {
      for (const reminder of inserted) {
        await trx
          .updateTable('agenda_reminder_deliveries')
          .set({ outbox_id: outboxId })
          .where('patient_id', '=', patientId)
          .where('reminder_kind', '=', reminder.kind)
          .where('ref', '=', reminder.ref)
          .where('notify_date', '=', reminder.notifyDate)
          .execute();
      }
    }
    return inserted.length;
  });
}

export interface ReminderPassResult {
  /** Reminders due at that time (sent now or earlier). */
  readonly due: number;
  /** Reminders this pass recorded and e-mailed. */
  readonly sent: number;
  /** Whether this pass worked out the day's prevention notices (the first finished pass of the day does). */
  readonly preventionSwept: boolean;
}

/**
 * One pass of the scheduler at `now`: every due reminder not yet recorded is e-mailed, once. Safe to run
 * again, after a crash, or at the same time on another instance sharing the database.
 *
 * Appointments are looked at on every pass. Prevention notices are per day and evaluating them reads every
 * patient, so only the first pass of a Paris day does it, and records the day once all is queued; a pass
 * killed before that leaves the day to the next one.
 */
export async function runReminderPass(ctx: AppContext, now: Date): Promise<ReminderPassResult> {
  const today = parisDay(now);
  const due = await dueEventReminders(ctx.db, today);
  const swept = await ctx.db
    .selectFrom('agenda_prevention_sweeps')
    .select('day')
    .where('day', '=', today)
    .executeTakeFirst();
  const prevention = swept ? undefined : await duePreventionReminders(ctx, now, today);
  due.push(...(prevention?.due ?? []));
  const byPatient = new Map<PatientId, DueReminder[]>();
  for (const reminder of due) {
    byPatient.set(reminder.patientId, [...(byPatient.get(reminder.patientId) ?? []), reminder]);
  }
  let sent = 0;
  for (const patientId of [...byPatient.keys()].sort()) {
    sent += await deliverToPatient(ctx, patientId, byPatient.get(patientId)!, now);
  }
  if (prevention) {
    await ctx.db
      .insertInto('agenda_prevention_sweeps')
      .values({ day: today, patients: prevention.patients, finished_at: now.toISOString() })
      .onConflict((oc) => oc.column('day').doNothing())
      .execute();
  }
  return { due: due.length, sent, preventionSwept: prevention !== undefined };
}

export interface ReminderScheduler {
  stop(): Promise<void>;
}

/**
 * Runs a pass at once (catching up what was missed while no scheduler ran) and then every `intervalMs`.
 * Passes never overlap within an instance; several instances may run side by side.
 */
export function startReminderScheduler(
  ctx: AppContext,
  options: { intervalMs: number; onError?: (error: unknown) => void },
): ReminderScheduler {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = runReminderPass(ctx, ctx.clock.now())
      .then(() => undefined)
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs);
      });
  };
  tick();
  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
