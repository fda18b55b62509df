import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importInsured } from '../profile/index.ts';
import { adult, jsonLines } from '../profile/import/test-people.ts';
import { startTestCarnet, type TestCarnet } from '../server/test-server.ts';
import { testDialects } from '../storage/test-databases.ts';
import { dumpEveryTable, holdsToken as holds } from '../storage/test-dump.ts';
import { startSmtpSink, type SmtpSink } from './test-smtp-sink.ts';

describe.each(testDialects)('secrets at rest in the outbox on %s', (dialect) => {
  let sink: SmtpSink;
  let carnet: TestCarnet;
  beforeAll(async () => {
    sink = await startSmtpSink();
    carnet = await startTestCarnet(dialect, { env: { CARNET_SMTP_RELAY: `127.0.0.1:${sink.port}` } });
  });
  afterAll(async () => {
    await carnet?.stop();
    await sink?.stop();
  });

  const post = (url: string, payload: object) =>
    carnet.app.inject({ method: 'POST', url, payload, remoteAddress: '10.1.2.3' });
  const received = async (to: string, pattern: RegExp): Promise<string> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const match = sink.received.map((m) => (m.to === to ? pattern.exec(m.text) : null)).find(Boolean);
      if (match) return match[1]!;
      if (Date.now() > deadline) throw new Error(`no e-mail to ${to} matching ${pattern}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const outboxErased = async () => {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const waiting = await carnet.ctx.db
        .selectFrom('outbox')
        .select('id')
        .where('sent_at', 'is', null)
        .execute();
      if (waiting.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('the outbox was not drained');
  };

  // Security review regression: fails on 027241f, before the fix.
  it('keeps no activation code nor one-time code anywhere in the database, queued or sent', async () => {
    const person = adult(1, { email: 'claire@exemple.fr' });
    const report = await importInsured(carnet.ctx, jsonLines([person]), 'secrets.jsonl');
    expect(report.rejected).toEqual([]);
    const queuedDump = await dumpEveryTable(carnet.ctx.db, dialect);
    const activationCode = await received('claire@exemple.fr', /code provisoire suivant : ([A-Z0-9]{8})/);
    expect(holds(queuedDump, activationCode)).toBe(false);

    const verify = await post('/api/patient/activation/verify', {
      nir: person.ins,
      vitaleSerial: person.vitale_serial,
      code: activationCode,
    });
    expect(verify.statusCode).toBe(200);
    const complete = await post('/api/patient/activation/complete', {
      ticket: verify.json().ticket,
      login: 'claire.secret',
      password: 'correct-horse-42',
    });
    expect(complete.statusCode).toBe(201);
    const started = await post('/api/patient/session', {
      login: 'claire.secret',
      password: 'correct-horse-42',
    });
    expect(started.statusCode).toBe(200);
    const otpQueuedDump = await dumpEveryTable(carnet.ctx.db, dialect);
    const oneTimeCode = await received('claire@exemple.fr', /est : (\d{6})/);
    expect(holds(otpQueuedDump, oneTimeCode)).toBe(false);

    await outboxErased();
    const dump = await dumpEveryTable(carnet.ctx.db, dialect);
    expect(holds(dump, activationCode)).toBe(false);
    expect(holds(dump, oneTimeCode)).toBe(false);
    // Nor anything else of the e-mails: once sent, a row is metadata only.
    expect(dump).not.toContain('Votre code');
    const rows = await carnet.ctx.db.selectFrom('outbox').selectAll().orderBy('id').execute();
    expect(rows.map((r) => [r.kind, r.recipient_domain, r.sealed])).toEqual([
      ['activation-code', 'exemple.fr', null],
      ['sign-in-code', 'exemple.fr', null],
    ]);
    expect(rows.map((r) => r.message_id)).toEqual(sink.received.map((m) => m.messageId));
  });
});
