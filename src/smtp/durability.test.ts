import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.ts';
import { insConditional, provideBundle } from '../fhir/mhd-test-bundles.ts';
import { issueDevAccessToken } from '../idp/index.ts';
import { makePdf } from '../record/content/test-files.ts';
import { freePort } from '../server/test-server.ts';
import { systemClock } from '../shared/index.ts';
import { bundleCarnetCommand } from '../shared/testing/child-bundle.ts';
import { createTestDatabase, testDialects } from '../storage/test-databases.ts';
import { sendWithNodemailer } from './test-clients.ts';

// 200 messages and 60 deposits keep the suite within its time on two cores; set more for a longer soak.
const messages = Number(process.env.CARNET_DURABILITY_MESSAGES ?? 200);
const deposits = Number(process.env.CARNET_DURABILITY_DEPOSITS ?? 60);
const senders = 8;
const depositors = 4;
const workers = 2;
const PATIENT_INS = '168047505611243';
const NIR_OID = '1.2.250.1.213.1.4.8';
const DOCTOR_RPPS = '10001000115';

/** Resolves once something accepts connections on the port. */
async function waitForPort(port: number, deadline = Date.now() + 60_000): Promise<void> {
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(socket.end() && true));
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await sleep(50);
  }
  throw new Error(`nothing listens on ${port}`);
}

const rawMessage = (n: number) =>
  Buffer.from(
    [
      'From: Dr Martin <dr.martin@cabinet.mssante.fr>',
      'To: 168047505611243@patient.mssante.fr',
      `Subject: Message ${n}`,
      `Message-ID: <durability-${n}@cabinet.mssante.fr>`,
      'Date: Mon, 02 Jun 2025 10:00:00 +0200',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Contenu du message ${n}.`,
      '',
    ].join('\r\n'),
  );

interface Depositor {
  /** Posts the same ITI-65 bundle until the server says it is stored (2xx) or already stored (duplicate). */
  deposit(n: number): Promise<void>;
}

describe.each(testDialects)(`Carnet killed again and again on %s, with ${workers} workers`, (dialect) => {
  it(`keeps exactly once every deposit and every message it acknowledged (${deposits} deposits, ${messages} messages, SIGKILL in between)`, async () => {
    const database = await createTestDatabase(dialect);
    const smtpPort = await freePort();
    const httpPort = await freePort();
    const env = {
      PATH: process.env.PATH,
      CARNET_DATA_DIR: database.dataDir,
      PORT: String(httpPort),
      CARNET_SMTP_PORT: String(smtpPort),
      CARNET_LOG_LEVEL: 'error',
      // The long-term demo patient's thousand documents would only slow each first start.
      CARNET_DEMO_RECORD_YEARS: '0',
      // Nor the demo connected app, started again at each restart and wanting a port other tests' servers want.
      CARNET_DEMO_APP: 'off',
      ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
    };
    // The carnet command as one bundle: each restart loads it in a second less than tsx loads the sources.
    const carnet = await bundleCarnetCommand();
    let child: ChildProcess | undefined;
    const start = async () => {
      // Its own process group: the SIGKILL takes the primary and its workers at once, as a crash of the machine would.
      child = spawn(process.execPath, [carnet.file, 'serve', '--demo', '--workers', String(workers)], {
        env,
        stdio: 'ignore',
        detached: true,
      });
      await Promise.all([waitForPort(smtpPort), waitForPort(httpPort)]);
    };
    const killAll = (victim: ChildProcess) => {
      try {
        process.kill(-victim.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    let kills = 0;
    let restartMs = 0;
    let retries = 0;
    let sending = true;
    try {
      await start();
      const config = loadConfig(env);
      const token = await issueDevAccessToken(
        { config, db: database.db, dialect, clock: systemClock },
        { rpps: DOCTOR_RPPS as never },
      );
      const pdf = await makePdf('Compte rendu de consultation');
      const acknowledged = new Set<number>();
      const depositsAcknowledged = new Set<string>();
      let failure: unknown;
      // The killer: SIGKILL while traffic flows (after 40 to 120 more acknowledgements, at a random instant),
      // then a restart, until every message and deposit is acknowledged.
      const progress = () => acknowledged.size + depositsAcknowledged.size;
      const killer = (async () => {
        while (sending) {
          const target = progress() + 40 + Math.floor(Math.random() * 80);
          while (sending && progress() < target) await sleep(5);
          await sleep(Math.random() * 30);
          if (!sending) break;
          const victim = child!;
          if (victim.exitCode !== null || victim.signalCode !== null) {
            throw new Error(`the server died by itself (${victim.exitCode ?? victim.signalCode})`);
          }
          const exited = new Promise((resolve) => victim.once('exit', resolve));
          killAll(victim);
          await exited;
          // The workers die with the group; their ports are free once they are gone.
          await sleep(100);
          kills += 1;
          const restarting = Date.now();
          await start();
          restartMs += Date.now() - restarting;
        }
      })().catch((error: unknown) => {
        failure = error;
      });
      let next = 0;
      const sender = async () => {
        while (next < messages) {
          const n = next++;
          // Like an MTA: the same bytes again until a 250 (a 4xx or a dropped connection means "not delivered").
          for (;;) {
            if (failure) throw failure;
            const outcome = await sendWithNodemailer(
              { port: smtpPort },
              {
                envelope: {
                  from: 'dr.martin@cabinet.mssante.fr',
                  to: [`${PATIENT_INS}@patient.mssante.fr`],
                },
                raw: rawMessage(n),
              },
            );
            if (outcome.code === 250) break;
            retries += 1;
            expect(outcome.code === 0 || (outcome.code >= 400 && outcome.code < 500), outcome.response).toBe(
              true,
            );
            await sleep(200); // the server may be restarting
          }
          acknowledged.add(n);
        }
      };
      const subject = insConditional(NIR_OID, PATIENT_INS);
      const depositor: Depositor = {
        deposit: async (n) => {
          const masterIdentifier = `urn:oid:1.2.250.1.999.1.${n}`;
          const body = JSON.stringify(
            provideBundle(subject, [
              {
                bytes: pdf,
                contentType: 'application/pdf',
                typeCode: '11488-4',
                title: `Compte rendu ${n}`,
                masterIdentifier,
              },
            ]),
          );
          for (let attempt = 1; ; attempt++) {
            if (failure) throw failure;
            const answer = await fetch(`http://127.0.0.1:${httpPort}/fhir`, {
              method: 'POST',
              headers: {
                authorization: `Bearer ${token}`,
                'content-type': 'application/fhir+json',
                accept: 'application/fhir+json',
              },
              body,
            }).then(
              async (r) => ({ status: r.status, text: await r.text() }),
              () => ({ status: 0, text: 'connection lost' }),
            );
            if (answer.status >= 200 && answer.status < 300) break;
            // An earlier attempt was stored but its answer was lost with the server: the retry is refused as a duplicate.
            if (attempt > 1 && answer.text.includes('document-duplicate')) break;
            retries += 1;
            expect(answer.status === 0 || answer.status >= 500, answer.text.slice(0, 300)).toBe(true);
            await sleep(200);
          }
          depositsAcknowledged.add(masterIdentifier);
        },
      };
      let nextDeposit = 0;
      const depositLoop = async () => {
        while (nextDeposit < deposits) await depositor.deposit(nextDeposit++);
      };
      await Promise.all([
        ...Array.from({ length: senders }, sender),
        ...Array.from({ length: depositors }, depositLoop),
      ]);
      sending = false;
      await killer;
      if (failure) throw failure;
      process.stderr.write(
        `durability: ${kills} kills, ${retries} retries, ${Math.round(restartMs / Math.max(1, kills))} ms per restart\n`,
      );
      expect(acknowledged.size).toBe(messages);
      expect(depositsAcknowledged.size).toBe(deposits);
      expect(kills).toBeGreaterThanOrEqual(Math.floor((messages + deposits) / 100));
      expect(retries).toBeGreaterThan(0);
      const rows = await database.db
        .selectFrom('mss_messages')
        .select(['message_id'])
        .where('message_id', 'like', '%durability-%')
        .execute();
      const counts = new Map<string, number>();
      for (const { message_id } of rows) counts.set(message_id, (counts.get(message_id) ?? 0) + 1);
      expect(counts.size).toBe(messages);
      expect([...counts.values()].every((c) => c === 1)).toBe(true);
      // Every acknowledged deposit is there once, with content that reads back (checked by its hash on read).
      const stored = await database.db
        .selectFrom('documents')
        .select(['master_identifier'])
        .where('master_identifier', 'like', 'urn:oid:1.2.250.1.999.1.%')
        .execute();
      expect(stored.length).toBe(deposits);
      expect(new Set(stored.map((d) => d.master_identifier))).toEqual(depositsAcknowledged);
      // And its content reads back whole (the server checks it against the hash of the row), for a sample.
      const headers = { authorization: `Bearer ${token}`, accept: 'application/fhir+json' };
      for (const masterIdentifier of [...depositsAcknowledged].slice(0, 20)) {
        const search = (await (
          await fetch(
            `http://127.0.0.1:${httpPort}/fhir/DocumentReference?patient.identifier=${encodeURIComponent(`urn:oid:${NIR_OID}|${PATIENT_INS}`)}&identifier=${encodeURIComponent(masterIdentifier)}`,
            { headers },
          )
        ).json()) as { entry?: { resource: { content: { attachment: { url: string } }[] } }[] };
        expect(search.entry).toHaveLength(1);
        const content = await fetch(search.entry![0]!.resource.content[0]!.attachment.url, {
          headers: { authorization: `Bearer ${token}`, accept: 'application/pdf' },
        });
        expect(content.status).toBe(200);
        expect(Buffer.from(await content.arrayBuffer())).toEqual(Buffer.from(pdf));
      }
    } finally {
      sending = false;
      if (child) killAll(child);
      carnet.remove();
      await database.destroy();
    }
  }, 600_000);
});
