import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { freePort } from '../server/test-server.ts';
import { createTestDatabase, testDialects } from '../storage/test-databases.ts';
import { sendWithNodemailer } from './test-clients.ts';

const bin = path.resolve(import.meta.dirname, '../../bin/carnet.js');
// 300 messages keep the suite within its time on two cores; set more for a longer soak.
const messages = Number(process.env.CARNET_DURABILITY_MESSAGES ?? 300);
const senders = 8;

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

describe.each(testDialects)('the SMTP gateway killed again and again on %s', (dialect) => {
  it(`stores every message it answered 250 exactly once (${messages} messages, SIGKILL in between)`, async () => {
    const database = await createTestDatabase(dialect);
    const smtpPort = await freePort();
    const env = {
      PATH: process.env.PATH,
      CARNET_DATA_DIR: database.dataDir,
      PORT: String(await freePort()),
      CARNET_SMTP_PORT: String(smtpPort),
      CARNET_LOG_LEVEL: 'error',
      ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
    };
    let child: ChildProcess | undefined;
    const start = async () => {
      child = spawn(process.execPath, [bin, 'serve', '--demo'], { env, stdio: 'ignore' });
      await waitForPort(smtpPort);
    };
    let kills = 0;
    let restartMs = 0;
    let retries = 0;
    let sending = true;
    try {
      await start();
      const acknowledged = new Set<number>();
      let failure: unknown;
      // The killer: SIGKILL while traffic flows (after 20 to 80 more acknowledgements, at a random instant),
      // then a restart, until every message is acknowledged.
      const killer = (async () => {
        while (sending) {
          const target = acknowledged.size + 20 + Math.floor(Math.random() * 60);
          while (sending && acknowledged.size < target) await sleep(5);
          await sleep(Math.random() * 30);
          if (!sending) break;
          const victim = child!;
          if (victim.exitCode !== null || victim.signalCode !== null) {
            throw new Error(`the server died by itself (${victim.exitCode ?? victim.signalCode})`);
          }
          const exited = new Promise((resolve) => victim.once('exit', resolve));
          victim.kill('SIGKILL');
          await exited;
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
                  to: ['168047505611243@patient.mssante.fr'],
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
      await Promise.all(Array.from({ length: senders }, sender));
      sending = false;
      await killer;
      if (failure) throw failure;
      process.stderr.write(
        `durability: ${kills} kills, ${retries} retries, ${Math.round(restartMs / Math.max(1, kills))} ms per restart\n`,
      );
      expect(acknowledged.size).toBe(messages);
      expect(kills).toBeGreaterThanOrEqual(Math.floor(messages / 100));
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
    } finally {
      sending = false;
      child?.kill('SIGKILL');
      await database.destroy();
    }
  }, 600_000);
});
