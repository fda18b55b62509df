import { afterEach, describe, expect, it } from 'vitest';
import { createTestContext } from '../auth/test-context.ts';
import { testDialects } from '../storage/test-databases.ts';
import { startMailSystem } from './mail-system.ts';
import { enqueueEmail, enqueueRawEmail } from './outbox.ts';
import { startSmtpSink } from './test-smtp-sink.ts';

describe.each(testDialects)('raw MIME in the outbox on %s', (dialect) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('sends a raw message byte for byte with the row’s envelope, null sender included, beside plain e-mails', async () => {
    const sink = await startSmtpSink();
    cleanups.push(() => sink.stop());
    const { ctx, database } = await createTestContext(dialect, {
      env: { CARNET_SMTP_RELAY: `127.0.0.1:${sink.port}`, CARNET_LOG_LEVEL: 'silent' },
    });
    cleanups.push(() => database.destroy());
    const raw =
      'From: Jean <168047505611243@patient.mssante.fr>\r\nTo: dr.martin@cabinet.mssante.fr\r\n' +
      'Subject: Re: Suivi\r\nMessage-ID: <r1@patient.mssante.fr>\r\nX-MSS-NIL: 1\r\n\r\nMerci\r\n';
    const now = new Date();
    await enqueueRawEmail(
      ctx.config,
      ctx.db,
      { to: 'dr.martin@cabinet.mssante.fr', from: '168047505611243@patient.mssante.fr', raw },
      now,
    );
    await enqueueRawEmail(
      ctx.config,
      ctx.db,
      { to: 'dr.martin@cabinet.mssante.fr', from: '', raw: raw.replace('r1@', 'd1@') },
      now,
    );
    await enqueueEmail(
      ctx.config,
      ctx.db,
      { to: 'jean@mail.example', subject: 'Avis', text: 'Bonjour' },
      now,
    );
    const mail = await startMailSystem(ctx, { pollMs: 10 });
    cleanups.push(() => mail.stop());
    const deadline = Date.now() + 10_000;
    while (sink.received.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const byId = new Map(sink.received.map((m) => [m.messageId, m]));
    const reply = byId.get('<r1@patient.mssante.fr>')!;
    expect(reply.raw.toString('utf8').replace(/\r\n$/, '')).toBe(raw.replace(/\r\n$/, ''));
    expect(reply.envelope).toEqual({
      from: '168047505611243@patient.mssante.fr',
      to: ['dr.martin@cabinet.mssante.fr'],
    });
    expect(byId.get('<d1@patient.mssante.fr>')!.envelope.from).toBe('');
    expect(sink.received.find((m) => m.subject === 'Avis')?.to).toBe('jean@mail.example');
  });
});
