import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../app/index.ts';
import { createTestContext } from '../auth/test-context.ts';
import { seedDemo, demoPerson, patientPrincipal } from '../demo/index.ts';
import type { InsuredPerson } from '../insured/index.ts';
import { updateNotificationPreferences } from '../profile/index.ts';
import { openDatabase } from '../storage/index.ts';
import { type TestDatabase, testDialects } from '../storage/test-databases.ts';
import { createAgendaEvent, parseEventInput } from './index.ts';
import { preventionItemsOf } from './prevention-items.ts';
import { dueReminders, eventNotifyDates, runReminderPass, startReminderScheduler } from './reminders.ts';
import { addDays, parisDay } from '../shared/index.ts';
import { outgoingEmails } from '../mail/test-outbox.ts';
import { bundleForChild } from '../shared/testing/child-bundle.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

const deliveries = (ctx: AppContext) =>
  ctx.db.selectFrom('agenda_reminder_deliveries').selectAll().orderBy('patient_id').orderBy('ref').execute();
const reminderMails = async (ctx: AppContext) =>
  (await outgoingEmails(ctx)).filter((m) => m.subject.includes('rappel'));

/** A small deterministic generator, so that a failing run can be replayed from its printed seed. */
function prng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.each(testDialects)('reminder scheduler on %s', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  let jean: InsuredPerson;
  let emilie: InsuredPerson;
  let chloe: InsuredPerson;
  let lea: InsuredPerson;

  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect));
    await seedDemo(ctx);
    jean = await demoPerson(ctx, 'jean');
    emilie = await demoPerson(ctx, 'emilie');
    chloe = await demoPerson(ctx, 'chloe');
    lea = await demoPerson(ctx, 'lea');
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('e-mails an appointment the day before and on the day, once, without saying what it is', async () => {
    const me = patientPrincipal(jean);
    const event = await createAgendaEvent(
      ctx,
      me,
      jean.id,
      parseEventInput({ start: '2026-05-12T09:30:00+02:00', title: 'Psychiatre, Dr Secret' }),
    );
    await createAgendaEvent(
      ctx,
      patientPrincipal(emilie, [chloe.id]),
      chloe.id,
      parseEventInput({ kind: 'reminder', start: '2026-05-12T16:00:00Z', title: 'Vaccin ROR' }),
    );
    const jeanMails = async () => (await reminderMails(ctx)).filter((m) => m.recipient === jean.email);

    await runReminderPass(ctx, new Date('2026-05-10T08:00:00Z'));
    expect(await jeanMails()).toHaveLength(0);
    await runReminderPass(ctx, new Date('2026-05-11T06:00:00Z'));
    await runReminderPass(ctx, new Date('2026-05-11T18:00:00Z'));
    expect(await jeanMails()).toHaveLength(1);
    // 23:30 UTC on the 11th is already the 12th in Paris: the day's notice.
    await runReminderPass(ctx, new Date('2026-05-11T23:30:00Z'));
    const mails = await jeanMails();
    expect(mails).toHaveLength(2);
    for (const mail of mails) {
      expect(mail.body_text).toContain('Un rappel vous attend');
      expect(mail.body_text).not.toContain('Psychiatre');
      expect(mail.subject).not.toContain('Psychiatre');
    }
    const keys = (await deliveries(ctx)).filter((d) => d.ref === event.id).map((d) => d.notify_date);
    expect(keys).toEqual(['2026-05-11', '2026-05-12']);

    // The minor's reminder goes to both legal representatives, on the day only.
    const toParents = (await reminderMails(ctx)).filter((m) => m.patient_id === chloe.id);
    expect(toParents.map((m) => m.recipient).sort()).toEqual(
      ['emilie.rousseau@mail.example', 'karim.benali@mail.example'].sort(),
    );
    expect(toParents[0]!.body_text).toContain('dont vous êtes représentant légal');
    // Nothing after the day.
    const ours = async () =>
      (await reminderMails(ctx)).filter((m) => m.patient_id === jean.id || m.patient_id === chloe.id).length;
    const sentBefore = await ours();
    await runReminderPass(ctx, new Date('2026-05-13T08:00:00Z'));
    expect(await ours()).toBe(sentBefore);
  });

  it('catches up on start what was missed while no scheduler ran, in one e-mail', async () => {
    const me = patientPrincipal(jean);
    const event = await createAgendaEvent(
      ctx,
      me,
      jean.id,
      parseEventInput({ start: '2026-07-08T15:00:00Z', title: 'Kinésithérapeute' }),
    );
    const before = (await reminderMails(ctx)).length;
    // Down on the 7th (the day before); started again on the morning of the 8th.
    const clock = { now: () => new Date('2026-07-08T06:00:00Z') };
    const scheduler = startReminderScheduler({ ...ctx, clock }, { intervalMs: 60_000 });
    await scheduler.stop();
    const rows = (await deliveries(ctx)).filter((d) => d.ref === event.id);
    expect(rows.map((d) => d.notify_date)).toEqual(['2026-07-07', '2026-07-08']);
    expect(rows[0]!.outbox_id).toBe(rows[1]!.outbox_id);
    const mails = (await reminderMails(ctx)).slice(before);
    expect(mails.map((m) => m.body_text)).toEqual([expect.stringContaining('2 rappels vous attendent')]);
  });

  it('honours the patient’s preferences', async () => {
    const me = patientPrincipal(lea);
    await updateNotificationPreferences(ctx, me, lea.id, { appointments: false });
    const event = await createAgendaEvent(
      ctx,
      me,
      lea.id,
      parseEventInput({ start: '2026-06-02T08:00:00Z', title: 'Dentiste' }),
    );
    await runReminderPass(ctx, new Date('2026-06-01T08:00:00Z'));
    expect((await deliveries(ctx)).filter((d) => d.ref === event.id)).toHaveLength(0);
    // Switched back on the same day: the notice still goes, late but before the appointment.
    await updateNotificationPreferences(ctx, me, lea.id, { appointments: true });
    await runReminderPass(ctx, new Date('2026-06-01T15:00:00Z'));
    expect((await deliveries(ctx)).filter((d) => d.ref === event.id).map((d) => d.notify_date)).toEqual([
      '2026-06-01',
    ]);
  });

  it('reminds a prevention item on its notification days, unless screening reminders are off', async () => {
    // Léa, 26, has items to plan; on the first day of one, the engine's notification day, it is due.
    const items = await preventionItemsOf(ctx, ctx.db, lea, new Date('2026-03-02T12:00:00Z'));
    const item = items.find((i) => i.status === 'to-plan' && i.notifyOn.length === 2)!;
    expect(item).toBeDefined();
    const day = item.notifyOn[1]!;
    const key = {
      patientId: lea.id,
      kind: 'prevention',
      ref: `${item.itemId}/${item.occurrence}`,
      notifyDate: day,
    };
    expect(await dueReminders(ctx, new Date(`${day}T10:00:00Z`))).toContainEqual(key);
    // Eight days late, it is no longer sent (a reminder out of the blue helps nobody).
    expect(await dueReminders(ctx, new Date(`${addDays(day, 8)}T10:00:00Z`))).not.toContainEqual(key);

    await updateNotificationPreferences(ctx, patientPrincipal(lea), lea.id, { screening: false });
    expect(await runReminderPass(ctx, new Date(`${day}T10:00:00Z`))).toMatchObject({ preventionSwept: true });
    const sentToLea = async () =>
      (await deliveries(ctx))
        .filter((d) => d.ref === key.ref && d.patient_id === lea.id)
        .map((d) => d.notify_date);
    expect(await sentToLea()).toEqual([]);
    // Switched back on: prevention is worked out once a day, so the notice goes with the next day's sweep.
    await updateNotificationPreferences(ctx, patientPrincipal(lea), lea.id, { screening: true });
    expect(await runReminderPass(ctx, new Date(`${day}T11:00:00Z`))).toMatchObject({
      preventionSwept: false,
    });
    expect(await sentToLea()).toEqual([]);
    expect(await runReminderPass(ctx, new Date(`${addDays(day, 1)}T05:00:00Z`))).toMatchObject({
      preventionSwept: true,
    });
    expect(await sentToLea()).toContain(day);
  });

  it(
    'sends every reminder exactly once across repeated SIGKILLs and restarts that skip runs',
    { timeout: 240_000 },
    async () => {
      const fresh = await createTestContext(dialect);
      const scheduler = await bundleForChild(path.join(here, 'reminder-pass-child.ts'));
      try {
        const run = fresh.ctx;
        await seedDemo(run);
        const seed = Number(process.env.CARNET_TEST_SEED) || Date.now() % 100_000;
        console.info(`reminder kill test seed (${dialect}): ${seed}`);
        const random = prng(seed);
        // Over the opening of the influenza campaign, which a demo patient over 65 is invited to.
        const simStart = Date.parse('2026-10-08T00:00:00Z');
        const simEnd = Date.parse('2026-10-24T00:00:00Z');
        const people = await Promise.all(
          (['jean', 'marie', 'emilie', 'chloe', 'lea'] as const).map((name) => demoPerson(run, name)),
        );
        const expected = new Set<string>();
        for (let i = 0; i < 40; i++) {
          const person = people[Math.floor(random() * people.length)]!;
          const start = new Date(simStart + 2 * 86_400_000 + random() * 12 * 86_400_000);
          const kind = random() < 0.3 ? 'reminder' : 'appointment';
          const actsFor = person.id === people[2]!.id ? [people[3]!.id] : [];
          const event = await createAgendaEvent(
            run,
            patientPrincipal(person, actsFor),
            person.id,
            parseEventInput({ kind, start: start.toISOString(), title: `Rendez-vous ${i}` }),
          );
          for (const date of eventNotifyDates(kind, parisDay(start)))
            expected.add(`${person.id}|${kind}|${event.id}|${date}`);
        }

        const progressFile = path.join(fresh.database.dataDir, 'progress.txt');
        const env = {
          ...process.env,
          CARNET_DATA_DIR: fresh.database.dataDir,
          CARNET_BASE_URL: 'http://carnet.test',
          ...(fresh.database.databaseUrl ? { DATABASE_URL: fresh.database.databaseUrl } : {}),
        };
        const lastCompleted = () =>
          existsSync(progressFile) ? Date.parse(readFileSync(progressFile, 'utf8')) : simStart - 3_600_000;
        const child = (from: number, killAfterMs: number | undefined) =>
          new Promise<void>((resolve, reject) => {
            const proc = spawn(
              process.execPath,
              [
                scheduler.file,
                '--from',
                new Date(from).toISOString(),
                '--until',
                new Date(simEnd).toISOString(),
                '--step-minutes',
                '360',
                '--progress',
                progressFile,
                '--pace-ms',
                '25',
              ],
              { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] },
            );
            let stderr = '';
            proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
            proc.stdout.on('data', (chunk: Buffer) => {
              if (killAfterMs !== undefined && chunk.toString().includes('ready'))
                setTimeout(() => proc.kill('SIGKILL'), killAfterMs);
            });
            proc.once('exit', (code, signal) => {
              if (signal === 'SIGKILL' || code === 0) resolve();
              else reject(new Error(`child failed (${code}): ${stderr}`));
            });
          });

        // Each restart resumes after a random gap (< 20 h, so no calendar day goes without a pass): the
        // scheduler must catch up what fell in the gap, and never resend what a killed pass committed.
        let kills = 0;
        while (kills < 10 && lastCompleted() < simEnd - 86_400_000) {
          const from = lastCompleted() + Math.floor(random() * 20) * 3_600_000;
          await child(from, Math.floor(random() * 400));
          kills++;
        }
        await child(lastCompleted() + 6 * 3_600_000, undefined);

        const rows = await deliveries(run);
        // Every prevention notice of a simulated day went out, though only one pass a day works them out.
        const preventionDue = new Set<string>();
        for (
          let day = parisDay(new Date(simStart));
          day < parisDay(new Date(simEnd));
          day = addDays(day, 1)
        ) {
          for (const r of await dueReminders(run, new Date(`${day}T12:00:00Z`)))
            if (r.kind === 'prevention' && r.notifyDate === day)
              preventionDue.add(`${r.patientId}|${r.ref}|${r.notifyDate}`);
        }
        expect(preventionDue.size).toBeGreaterThan(0);
        const preventionSent = new Set(
          rows
            .filter((r) => r.reminder_kind === 'prevention')
            .map((r) => `${r.patient_id}|${r.ref}|${r.notify_date}`),
        );
        for (const notice of preventionDue) expect(preventionSent).toContain(notice);
        const events = rows.filter((r) => r.reminder_kind !== 'prevention');
        const sent = events.map((r) => `${r.patient_id}|${r.reminder_kind}|${r.ref}|${r.notify_date}`);
        expect(new Set(sent).size).toBe(sent.length);
        expect(new Set(sent)).toEqual(expected);
        // Every recorded reminder has its e-mail, and no reminder e-mail exists without a record.
        const mails = await reminderMails(run);
        const outboxIds = new Set(mails.map((m) => m.id));
        for (const row of rows) expect(outboxIds.has(row.outbox_id!)).toBe(true);
        const referenced = new Set(rows.map((r) => r.outbox_id));
        const primary = mails.filter((m) => referenced.has(m.id));
        // A minor's e-mail goes to each representative: only the first is referenced by the delivery.
        const extra = mails.filter((m) => !referenced.has(m.id));
        expect(extra.every((m) => m.patient_id === people[3]!.id)).toBe(true);
        expect(primary.length).toBe(referenced.size);
        expect(kills).toBeGreaterThan(3);
      } finally {
        scheduler.remove();
        await fresh.database.destroy();
      }
    },
  );
});

describe.each(testDialects.filter((d) => d === 'postgres'))(
  'two reminder schedulers on one %s',
  (dialect) => {
    it('send each reminder once when they run at the same moments', { timeout: 60_000 }, async () => {
      const { ctx, database } = await createTestContext(dialect);
      const second = openDatabase({ databaseUrl: database.databaseUrl, sqlitePath: '' });
      try {
        await seedDemo(ctx);
        const other: AppContext = { ...ctx, db: second.db };
        const people = await Promise.all(
          (['jean', 'marie', 'lea'] as const).map((name) => demoPerson(ctx, name)),
        );
        const expected = new Set<string>();
        let day = '2026-09-01';
        for (let i = 0; i < 24; i++) {
          const person = people[i % people.length]!;
          day = addDays('2026-09-02', i % 6);
          const event = await createAgendaEvent(
            ctx,
            patientPrincipal(person),
            person.id,
            parseEventInput({
              start: `${day}T${String(8 + (i % 8)).padStart(2, '0')}:00:00Z`,
              title: `RDV ${i}`,
            }),
          );
          for (const date of eventNotifyDates('appointment', day)) expected.add(`${event.id}|${date}`);
        }
        for (let hour = 0; hour < 8 * 24; hour += 4) {
          const now = new Date(Date.parse('2026-09-01T00:00:00Z') + hour * 3_600_000);
          await Promise.all([
            runReminderPass(ctx, now),
            runReminderPass(other, now),
            runReminderPass(other, now),
          ]);
        }
        const rows = (await deliveries(ctx)).filter((r) => r.reminder_kind === 'appointment');
        expect(new Set(rows.map((r) => `${r.ref}|${r.notify_date}`))).toEqual(expected);
        expect(rows).toHaveLength(expected.size);
        const mails = await reminderMails(ctx);
        expect(new Set(rows.map((r) => r.outbox_id)).size).toBe(
          mails.filter((m) => rows.some((r) => r.outbox_id === m.id)).length,
        );
        // No e-mail without its delivery record (none was queued by a loser of the race).
        const referenced = new Set((await deliveries(ctx)).map((r) => r.outbox_id));
        expect(mails.filter((m) => !referenced.has(m.id))).toEqual([]);
      } finally {
        await second.close();
        await database.destroy();
      }
    });
  },
);
