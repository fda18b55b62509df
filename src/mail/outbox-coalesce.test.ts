import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../storage/test-databases.ts';
import type { Executor } from '../storage/index.ts';
import { enqueueCoalescedEmail, openPayload } from './outbox.ts';
import { claimDueEmails } from './outbox-queue.ts';

describe.each(testDialects)('coalesced notices in the outbox on %s', (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.destroy();
    database = undefined;
  });

  async function setup() {
    database = await createTestDatabase(dialect);
    const config = loadConfig({ CARNET_DATA_DIR: database.dataDir, CARNET_LOG_LEVEL: 'silent' });
    const now = new Date();
    const notice = (db: Executor, key = 'k1') =>
      enqueueCoalescedEmail<number>(
        config,
        db,
        {
          to: 'patient@exemple.fr',
          key,
          notBefore: now,
          compose: (previous) => {
            const state = (previous ?? 0) + 1;
            return { subject: `${state} avis`, text: `${state} avis`, state };
          },
        },
        now,
      );
    const queued = async () => {
      const rows = await database!.db.selectFrom('outbox').select(['id', 'patient_id', 'sealed']).execute();
      return rows
        .map((row) => {
          const payload = openPayload(config, { ...row, sealed: row.sealed ?? '' });
          return 'raw' in payload ? payload.raw : payload.text;
        })
        .sort();
    };
    const claim = () =>
      claimDueEmails(database!.db, dialect, {
        now: new Date(now.getTime() + 1000),
        limit: 10,
        leaseMs: 60_000,
        maxAttempts: 10,
      });
    return { db: database.db, notice, queued, claim };
  }

  it('ten notices in concurrent transactions make one e-mail counting ten', async () => {
    const { db, notice, queued } = await setup();
    await Promise.all(Array.from({ length: 10 }, () => db.transaction().execute((trx) => notice(trx))));
    expect(await queued()).toEqual(['10 avis']);
  });

  it('a notice whose transaction rolls back leaves the pending e-mail as it was', async () => {
    const { db, notice, queued } = await setup();
    await db.transaction().execute((trx) => notice(trx));
    await expect(
      db.transaction().execute(async (trx) => {
        await notice(trx);
        throw new Error('the deposit failed after its notice');
      }),
    ).rejects.toThrow('the deposit failed');
    expect(await queued()).toEqual(['1 avis']);
  });

  it('once the worker claimed the e-mail, the next notice makes a new one and leaves the claimed one alone', async () => {
    const { db, notice, queued, claim } = await setup();
    await notice(db);
    await notice(db);
    expect(await claim()).toHaveLength(1);
    await notice(db);
    expect(await queued()).toEqual(['1 avis', '2 avis']);
    // Another key is another e-mail.
    await notice(db, 'k2');
    expect(await queued()).toEqual(['1 avis', '1 avis', '2 avis']);
  });
});
