import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { AppContext } from '../app/index.ts';
import { loadConfig } from '../config/index.ts';
import { createAgendaEvent, parseEventInput } from '../agenda/index.ts';
import { DEMO_PASSWORD, demoPerson, patientPrincipal, seedDemo, seedDemoContent } from '../demo/index.ts';
import { insConditional, provideBundle } from '../fhir/mhd-test-bundles.ts';
import { issueDevAccessToken } from '../idp/index.ts';
import { enqueueEmail } from '../mail/index.ts';
import { startSmtpSink } from '../mail/test-smtp-sink.ts';
import { professionalMessage } from '../messaging/test-fixtures.ts';
import { makePdf } from '../record/content/test-files.ts';
import { systemClock } from '../shared/index.ts';
import { bundleCarnetCommand } from '../shared/testing/child-bundle.ts';
import { sendWithNodemailer } from '../smtp/test-clients.ts';
import { createTestDatabase, testDialects } from '../storage/test-databases.ts';
import { freePort } from './test-server.ts';

const JEAN = { ins: '168047505611243', login: 'jean.dupont', email: 'jean.dupont@mail.example' };
const MARTIN = { rpps: '10001000115', address: 'dr.martin@cabinet.mssante.fr' };
// Both instances answer for one public address, as behind a load balancer: tokens name it as their audience.
const BASE_URL = 'http://carnet.test';

async function listening(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket.end() && true));
    socket.on('error', () => resolve(false));
  });
}

async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface Instance {
  readonly url: string;
  readonly smtpPort: number;
  readonly child: ChildProcess;
}

describe.each(testDialects.filter((d) => d === 'postgres'))('two instances sharing one %s', (dialect) => {
  it('serve one system: contents, mail, sessions and the outgoing queue, one of them killed midway', async () => {
    const database = await createTestDatabase(dialect);
    const sink = await startSmtpSink();
    const shared = {
      PATH: process.env.PATH,
      DATABASE_URL: database.databaseUrl!,
      CARNET_SECRET: randomBytes(32).toString('base64'),
      CARNET_BASE_URL: BASE_URL,
      CARNET_SMTP_RELAY: `127.0.0.1:${sink.port}`,
      CARNET_LOG_LEVEL: 'error',
      // Two instances would both start the demo connected app on its one port.
      CARNET_DEMO_APP: 'off',
      // Each instance runs the agenda's reminder pass at start, both on the same patients.
      CARNET_REMINDER_INTERVAL_MINUTES: '60',
      // A dead instance's e-mails come back to the queue after this long (default 120 s).
      CARNET_OUTBOX_LEASE_SECONDS: '3',
    };
    // The carnet command as one bundle: tsx would load each source file again in each instance.
    const carnet = await bundleCarnetCommand();
    const children: ChildProcess[] = [];
    // One process per instance (no cluster workers): the SIGKILL below then stops all of that instance at once.
    const start = async (): Promise<Instance> => {
      const [port, smtpPort] = [await freePort(), await freePort()];
      const env = {
        ...shared,
        CARNET_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'carnet-instance-')),
        PORT: String(port),
        CARNET_SMTP_PORT: String(smtpPort),
      };
      const child = spawn(process.execPath, [carnet.file, 'serve', '--demo', '--workers', '1'], {
        env,
        stdio: 'ignore',
      });
      children.push(child);
      await until('the instance to listen', async () => {
        if (child.exitCode !== null) throw new Error(`the instance exited (${child.exitCode})`);
        return (await listening(smtpPort)) || undefined;
      });
      return { url: `http://127.0.0.1:${port}`, smtpPort, child };
    };
    // The test's own view of the same database and secret, for tokens and to queue e-mails.
    const ctx: AppContext = {
      config: loadConfig({ ...shared, CARNET_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'carnet-test-')) }),
      db: database.db,
      dialect,
      clock: systemClock,
    };
    const sunkTo = (address: string) => sink.received.filter((m) => m.envelope.to.includes(address));
    try {
      // The demo data, and appointments due a notice today, before either instance starts: both then run their
      // reminder pass at once, on the same patients (serve --demo seeds only an empty database).
      const t0 = Date.now();
      await seedDemo(ctx);
      await seedDemoContent(ctx);
      const soon = new Date(Date.now() + 3 * 3_600_000).toISOString();
      for (const who of ['jean', 'lea'] as const) {
        const person = await demoPerson(ctx, who);
        for (let i = 0; i < 5; i++) {
          await createAgendaEvent(
            ctx,
            patientPrincipal(person),
            person.id,
            parseEventInput({ start: soon, title: `Rendez-vous ${i}` }),
          );
        }
      }
      const [a, b] = await Promise.all([start(), start()]);
      process.stderr.write(`two instances: started in ${Date.now() - t0} ms\n`);
      const jean = await database.db
        .selectFrom('patients')
        .select('id')
        .where('ins', '=', JEAN.ins)
        .executeTakeFirstOrThrow();

      // A patient session begun on A, its one-time code entered on B, used on A.
      const before = sunkTo(JEAN.email).length;
      const begun = await fetch(`${a.url}/api/patient/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: JEAN.login, password: DEMO_PASSWORD }),
      });
      expect(begun.status).toBe(200);
      const { challengeId } = (await begun.json()) as { challengeId: string };
      // Both instances' reminder passes also write to Jean, before or after this code: look for the code itself.
      const code = await until('the sign-in code', async () =>
        sunkTo(JEAN.email)
          .slice(before)
          .map((mail) => /est : (\d{6})/.exec(mail.text)?.[1])
          .findLast((found) => found !== undefined),
      );
      const otp = await fetch(`${b.url}/api/patient/session/otp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ challengeId, code }),
      });
      expect(otp.status).toBe(200);
      const cookie = /carnet_patient=[^;]+/.exec(otp.headers.get('set-cookie') ?? '')![0];
      const me = await fetch(`${a.url}/api/patient/me`, { headers: { cookie } });
      expect(me.status).toBe(200);

      // A document deposited through A (ITI-65) is read through B (ITI-68).
      const martin = await issueDevAccessToken(ctx, { rpps: MARTIN.rpps });
      const pdf = Buffer.from(await makePdf('Compte rendu déposé sur A'));
      const bundle = provideBundle(insConditional('1.2.250.1.213.1.4.8', JEAN.ins), [
        { bytes: pdf, contentType: 'application/pdf', typeCode: '11488-4' },
      ]);
      const deposited = await fetch(`${a.url}/fhir`, {
        method: 'POST',
        headers: { authorization: `Bearer ${martin}`, 'content-type': 'application/fhir+json' },
        body: JSON.stringify(bundle),
      });
      expect(deposited.status).toBe(200);
      const locations = (
        (await deposited.json()) as { entry: { response: { location: string } }[] }
      ).entry.map((e) => e.response.location);
      const documentId = locations.find((l) => l.startsWith('DocumentReference/'))!.split('/')[1]!;
      const binary = await fetch(`${b.url}/fhir/Binary/${documentId}`, {
        headers: { authorization: `Bearer ${martin}` },
      });
      expect(binary.status).toBe(200);
      expect(Buffer.from(await binary.arrayBuffer()).equals(pdf)).toBe(true);

      // An MSSanté message received by A's gateway: its attachment is read through B, in the patient's session.
      const attached = Buffer.from(await makePdf('Résultats reçus par A'));
      const sent = await sendWithNodemailer(
        { port: a.smtpPort },
        {
          envelope: { from: MARTIN.address, to: [`${JEAN.ins}@patient.mssante.fr`] },
          raw: await professionalMessage({
            to: `${JEAN.ins}@patient.mssante.fr`,
            attachments: [{ filename: 'resultats.pdf', content: attached }],
          }),
        },
      );
      expect(sent.code).toBe(250);
      const attachment = await database.db
        .selectFrom('mss_attachments')
        .select('id')
        .where('patient_id', '=', jean.id)
        .where('filename', '=', 'resultats.pdf')
        .executeTakeFirstOrThrow();
      const content = await fetch(
        `${b.url}/api/patient/messages/${jean.id}/attachments/${attachment.id}/content`,
        { headers: { cookie } },
      );
      expect(content.status).toBe(200);
      expect(Buffer.from(await content.arrayBuffer()).equals(attached)).toBe(true);

      // The outgoing queue, both instances draining it: each e-mail leaves once.
      const queue = async (count: number, label: string) => {
        const ids: string[] = [];
        await database.db.transaction().execute(async (trx) => {
          for (let i = 0; i < count; i++) {
            const id = await enqueueEmail(
              ctx.config,
              trx,
              { patientId: jean.id, to: `${label}-${i}@mail.example`, subject: 'Avis', text: `Avis ${i}.` },
              new Date(),
            );
            ids.push(id);
          }
        });
        return ids;
      };
      const messageIdsOf = async (ids: string[]) =>
        (await database.db.selectFrom('outbox').select('message_id').where('id', 'in', ids).execute()).map(
          (r) => r.message_id!,
        );
      const arrivals = (messageIds: string[]) => {
        const wanted = new Set(messageIds);
        const counts = new Map<string, number>();
        for (const m of sink.received) {
          if (wanted.has(m.messageId)) counts.set(m.messageId, (counts.get(m.messageId) ?? 0) + 1);
        }
        return counts;
      };
      const allSent = (ids: string[]) =>
        until(
          'the queue to drain',
          async () => {
            const left = await database.db
              .selectFrom('outbox')
              .select('id')
              .where('id', 'in', ids)
              .where('sent_at', 'is', null)
              .execute();
            return left.length === 0 || undefined;
          },
          40_000,
        );

      process.stderr.write(`two instances: queue phase at ${Date.now() - t0} ms\n`);
      const calm = await queue(60, 'calme');
      await allSent(calm);
      const calmArrivals = arrivals(await messageIdsOf(calm));
      expect(calmArrivals.size).toBe(60);
      expect([...calmArrivals.values()].every((n) => n === 1)).toBe(true);

      // The reminder passes both instances ran at start on the same patients: each notice left once.
      await until('the appointment notices', async () => {
        const rows = await database.db
          .selectFrom('agenda_reminder_deliveries')
          .select('ref')
          .where('reminder_kind', '=', 'appointment')
          .execute();
        return new Set(rows.map((r) => r.ref)).size >= 10 || undefined;
      });
      const deliveries = await database.db
        .selectFrom('agenda_reminder_deliveries')
        .select(['patient_id', 'outbox_id'])
        .where('outbox_id', 'is not', null)
        .execute();
      // One e-mail may carry several notices of one patient.
      const reminders = [...new Set(deliveries.map((d) => d.outbox_id!))];
      await allSent(reminders);
      const reminderArrivals = arrivals(await messageIdsOf(reminders));
      expect(reminderArrivals.size).toBe(reminders.length);
      expect([...reminderArrivals.values()].every((n) => n === 1)).toBe(true);
      const forJean = new Set(deliveries.filter((d) => d.patient_id === jean.id).map((d) => d.outbox_id));
      expect(forJean.size).toBeGreaterThan(0);
      expect(sunkTo(JEAN.email).filter((m) => m.subject.startsWith('Un rappel vous attend'))).toHaveLength(
        forJean.size,
      );

      process.stderr.write(`two instances: calm done at ${Date.now() - t0} ms\n`);

      // A killed while both drain: B sends what A held once A's lease runs out. An e-mail A had handed to the
      // relay but not yet recorded as sent leaves again, with the same Message-ID (at most those A held).
      const stormy = await queue(300, 'orage');
      const stormyIds = await messageIdsOf(stormy);
      await until('the queue to be draining', async () =>
        arrivals(stormyIds).size >= 40 ? true : undefined,
      );
      const died = new Promise((resolve) => a.child.once('exit', resolve));
      a.child.kill('SIGKILL');
      await died;
      const heldAtKill = await database.db
        .selectFrom('outbox')
        .select('message_id')
        .where('id', 'in', stormy)
        .where('sent_at', 'is', null)
        .where('locked_until', 'is not', null)
        .execute();
      const held = new Set(heldAtKill.map((r) => r.message_id));
      expect(arrivals(stormyIds).size).toBeLessThan(300);
      await allSent(stormy);
      const stormyArrivals = arrivals(stormyIds);
      expect(stormyArrivals.size).toBe(300);
      const twice = [...stormyArrivals].filter(([, n]) => n > 1);
      process.stderr.write(
        `two instances: ${held.size} e-mails held by the killed instance, ${twice.length} sent twice\n`,
      );
      expect(twice.every(([, n]) => n === 2)).toBe(true);
      expect(twice.filter(([id]) => !held.has(id))).toEqual([]);
      // Nor did anything else leave twice: codes, notices, reminders, whichever instance sent them.
      const everyArrival = new Map<string, number>();
      for (const m of sink.received) everyArrival.set(m.messageId, (everyArrival.get(m.messageId) ?? 0) + 1);
      expect([...everyArrival].filter(([id, n]) => n > 1 && !held.has(id))).toEqual([]);

      // B alone still serves the patient's session and the contents.
      expect((await fetch(`${b.url}/api/patient/me`, { headers: { cookie } })).status).toBe(200);
    } finally {
      for (const child of children) child.kill('SIGKILL');
      carnet.remove();
      await sink.stop();
      await database.destroy();
    }
  }, 120_000);
});
