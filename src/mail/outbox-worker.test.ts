import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../app/index.ts';
import { loadConfig } from '../config/index.ts';
import { systemClock } from '../shared/index.ts';
import { openDatabase, type DatabaseHandle } from '../storage/index.ts';
import { createTestDatabase, testDialects } from '../storage/test-databases.ts';
import { startMailSystem } from './mail-system.ts';
import { enqueueEmail } from './outbox.ts';
import { claimDueEmails } from './outbox-queue.ts';
import { startSmtpSink } from './test-smtp-sink.ts';

const COUNT = 50;

describe.each(testDialects)('outbox shared by two server instances on %s', (dialect) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** Two independent connections (pools) to one database, as two server instances would have. */
  async function twoInstances(): Promise<{ first: DatabaseHandle; second: DatabaseHandle; dataDir: string }> {
    const first = await createTestDatabase(dialect);
    cleanups.push(() => first.destroy());
    const second = openDatabase({
      databaseUrl: first.databaseUrl,
      sqlitePath: path.join(first.dataDir, 'carnet.db'),
    });
    cleanups.push(() => second.close());
    // The secret (and so the sealing key) lives in the data folder: the workers' configuration opens these.
    const keys = loadConfig({ CARNET_DATA_DIR: first.dataDir, CARNET_LOG_LEVEL: 'silent' });
    for (let i = 0; i < COUNT; i += 1) {
      await enqueueEmail(
        keys,
        first.db,
        { to: `p${i}@exemple.fr`, subject: `Objet ${i}`, text: `Corps ${i}` },
        new Date(),
      );
    }
    return { first, second, dataDir: first.dataDir };
  }

  it('never hands the same row to two concurrent claims', async () => {
    const { first, second } = await twoInstances();
    const options = { now: new Date(), limit: 5, leaseMs: 60_000, maxAttempts: 10 };
    const claims = await Promise.all(
      Array.from({ length: 12 }, (_, i) => claimDueEmails(i % 2 ? second.db : first.db, dialect, options)),
    );
    const ids = claims.flat().map((row) => row.id);
    expect(ids).toHaveLength(COUNT);
    expect(new Set(ids).size).toBe(COUNT);
  });

  it('two workers running concurrently deliver each of 50 queued e-mails exactly once', async () => {
    const { first, second, dataDir } = await twoInstances();
    const relay = await startSmtpSink();
    cleanups.push(() => relay.stop());
    const config = loadConfig({
      CARNET_DATA_DIR: dataDir,
      CARNET_SMTP_RELAY: `127.0.0.1:${relay.port}`,
      CARNET_LOG_LEVEL: 'silent',
    });
    const contexts: AppContext[] = [first, second].map((h) => ({
      config,
      db: h.db,
      dialect,
      clock: systemClock,
    }));
    const workers = await Promise.all(
      contexts.map((ctx) => startMailSystem(ctx, { pollMs: 10, batchSize: 4 })),
    );
    cleanups.push(async () => {
      await Promise.all(workers.map((w) => w.stop()));
    });

    const deadline = Date.now() + 20_000;
    while (relay.received.length < COUNT && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await Promise.all(workers.map((w) => w.stop()));

    const messageIds = relay.received.map((m) => m.messageId);
    expect(messageIds).toHaveLength(COUNT);
    expect(new Set(messageIds).size).toBe(COUNT);
    expect(new Set(relay.received.map((m) => m.to)).size).toBe(COUNT);
    const unsent = await first.db.selectFrom('outbox').select('id').where('sent_at', 'is', null).execute();
    expect(unsent).toEqual([]);
  });
});
