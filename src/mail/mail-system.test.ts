import { readdir } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../app/index.ts';
import { loadConfig } from '../config/index.ts';
import { systemClock } from '../shared/index.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../storage/test-databases.ts';
import { mailboxDir, readDevMail, readDevMailbox, waitForEmail } from './dev-mailbox.ts';
import { startMailSystem, type MailSystem } from './mail-system.ts';
import { enqueueEmail } from './outbox.ts';
import { startSmtpSink, type SmtpSink } from './test-smtp-sink.ts';

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(testDialects)('outgoing e-mail on %s', (dialect) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp(
    env: Record<string, string> = {},
  ): Promise<{ ctx: AppContext; database: TestDatabase }> {
    const database = await createTestDatabase(dialect);
    cleanups.push(() => database.destroy());
    const config = loadConfig({ CARNET_DATA_DIR: database.dataDir, CARNET_LOG_LEVEL: 'silent', ...env });
    return { ctx: { config, db: database.db, dialect, clock: systemClock }, database };
  }

  async function start(ctx: AppContext, options = {}): Promise<MailSystem> {
    const mail = await startMailSystem(ctx, options);
    cleanups.push(() => mail.stop());
    return mail;
  }

  async function sink(refuseFirst = 0): Promise<SmtpSink> {
    const s = await startSmtpSink({ refuseFirst });
    cleanups.push(() => s.stop());
    return s;
  }

  it('delivers an e-mail queued in a committed transaction to the development mailbox, with proper headers', async () => {
    const { ctx } = await setUp();
    await start(ctx);
    const id = await ctx.db
      .transaction()
      .execute((trx) =>
        enqueueEmail(
          ctx.config,
          trx,
          { to: 'camille@exemple.fr', subject: 'Votre code à usage unique', text: 'Code : 482913' },
          ctx.clock.now(),
        ),
      );

    const mail = await waitForEmail(ctx.config.dataDir, (m) => m.to === 'camille@exemple.fr');
    expect(mail).toMatchObject({
      subject: 'Votre code à usage unique',
      from: ctx.config.mailFrom.replace('Mon espace santé', '"Mon espace santé"'),
      text: 'Code : 482913\n',
    });
    const detail = await readDevMail(ctx.config.dataDir, mail.id);
    const headers = detail!.headerLines.join('\n');
    expect(headers).toContain(`Message-ID: <${id}@monespacesante.localhost>`);
    expect(headers).toMatch(/Content-Type: text\/plain; charset=utf-8/i);
    const row = await until(() =>
      ctx.db
        .selectFrom('outbox')
        .selectAll()
        .where('id', '=', id)
        .where('sent_at', 'is not', null)
        .executeTakeFirst(),
    );
    expect(row.attempts).toBe(0);
    expect((await readdir(mailboxDir(ctx.config.dataDir))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('never sends an e-mail queued in a transaction that rolled back', async () => {
    const { ctx } = await setUp();
    await start(ctx);
    await expect(
      ctx.db.transaction().execute(async (trx) => {
        await enqueueEmail(
          ctx.config,
          trx,
          { to: 'annule@exemple.fr', subject: 'Annulé', text: 'x' },
          ctx.clock.now(),
        );
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    await enqueueEmail(
      ctx.config,
      ctx.db,
      { to: 'suivant@exemple.fr', subject: 'Suivant', text: 'y' },
      ctx.clock.now(),
    );

    // The later e-mail arriving proves the worker ran past the moment the first one would have left.
    await waitForEmail(ctx.config.dataDir, (m) => m.to === 'suivant@exemple.fr');
    const mails = await readDevMailbox(ctx.config.dataDir);
    expect(mails.map((m) => m.to)).toEqual(['suivant@exemple.fr']);
    expect(await ctx.db.selectFrom('outbox').select('recipient_domain').execute()).toEqual([
      { recipient_domain: 'exemple.fr' },
    ]);
  });

  it('sends through CARNET_SMTP_RELAY when it is set, and writes nothing to the mailbox folder', async () => {
    const relay = await sink();
    const { ctx } = await setUp({ CARNET_SMTP_RELAY: `127.0.0.1:${relay.port}` });
    const mail = await start(ctx);
    const id = await enqueueEmail(
      ctx.config,
      ctx.db,
      { to: 'dominique@exemple.fr', subject: 'Bienvenue', text: 'Bonjour' },
      ctx.clock.now(),
    );
    mail.kick();

    const received = await until(() => relay.received[0]);
    expect(received).toMatchObject({
      messageId: `<${id}@monespacesante.localhost>`,
      to: 'dominique@exemple.fr',
      subject: 'Bienvenue',
      text: 'Bonjour\n',
    });
    await expect(readdir(mailboxDir(ctx.config.dataDir))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('retries after the relay refuses (451) and then delivers once', async () => {
    const relay = await sink(2);
    const { ctx } = await setUp({ CARNET_SMTP_RELAY: `127.0.0.1:${relay.port}` });
    await start(ctx, { pollMs: 50, retryBaseMs: 100 });
    const id = await enqueueEmail(
      ctx.config,
      ctx.db,
      { to: 'retry@exemple.fr', subject: 'Code', text: 'z' },
      ctx.clock.now(),
    );

    const failed = await until(() =>
      ctx.db
        .selectFrom('outbox')
        .selectAll()
        .where('id', '=', id)
        .where('attempts', '>=', 1)
        .executeTakeFirst(),
    );
    expect(failed.last_error).toBe('EENVELOPE 451 RCPT TO');
    expect(failed.not_before > failed.created_at).toBe(true);
    expect(failed.sealed).toMatch(/^sealed1:/);

    await until(() => relay.received[0]);
    const row = await until(() =>
      ctx.db
        .selectFrom('outbox')
        .selectAll()
        .where('id', '=', id)
        .where('sent_at', 'is not', null)
        .executeTakeFirst(),
    );
    expect(row.attempts).toBe(2);
    expect(row.sealed).toBeNull();
    expect(relay.received).toHaveLength(1);
    expect(relay.recipientsSeen).toBe(3);
  });

  it('gives up after the maximum number of attempts', async () => {
    const relay = await sink(1000);
    const { ctx } = await setUp({ CARNET_SMTP_RELAY: `127.0.0.1:${relay.port}` });
    await start(ctx, { pollMs: 20, retryBaseMs: 1, maxAttempts: 3 });
    const id = await enqueueEmail(
      ctx.config,
      ctx.db,
      { to: 'jamais@exemple.fr', subject: 'Code', text: 'z' },
      ctx.clock.now(),
    );

    await until(() => (relay.recipientsSeen >= 3 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const row = await ctx.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    // Abandoned: it will never leave, so its content (a code, say) is erased like a sent one's.
    expect(row).toMatchObject({
      attempts: 3,
      sent_at: null,
      last_error: 'EENVELOPE 451 RCPT TO',
      sealed: null,
      kind: 'notice',
      recipient_domain: 'exemple.fr',
    });
    expect(relay.recipientsSeen).toBe(3);
  });
});
