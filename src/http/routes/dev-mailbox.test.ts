import { afterEach, describe, expect, it } from 'vitest';
import { enqueueEmail, waitForEmail, type DevMail } from '../../mail/index.ts';
import { startSmtpSink } from '../../mail/test-smtp-sink.ts';
import { startTestCarnet, type TestCarnet } from '../../server/test-server.ts';
import { testDialects } from '../../storage/test-databases.ts';

describe.each(testDialects)('development mailbox on %s', (dialect) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function carnet(env: Record<string, string> = {}): Promise<TestCarnet> {
    const running = await startTestCarnet(dialect, { env });
    cleanups.push(() => running.stop());
    return running;
  }

  async function send(c: TestCarnet, to: string, subject: string, text: string): Promise<DevMail> {
    await c.ctx.db
      .transaction()
      .execute((trx) => enqueueEmail(c.ctx.config, trx, { to, subject, text }, c.ctx.clock.now()));
    return waitForEmail(c.config.dataDir, (m) => m.to === to);
  }

  it('lists the e-mails newest first, as JSON and as an accessible French page', async () => {
    const c = await carnet();
    await send(c, 'premier@exemple.fr', 'Votre code provisoire', 'Code : 111111');
    await send(c, 'second@exemple.fr', 'Code <à usage unique>', 'Code : 222222');

    const json = await fetch(`${c.url}/dev/mailbox.json`);
    expect(json.status).toBe(200);
    const mails = (await json.json()) as DevMail[];
    expect(mails.map((m) => [m.to, m.subject, m.text])).toEqual([
      ['second@exemple.fr', 'Code <à usage unique>', 'Code : 222222\n'],
      ['premier@exemple.fr', 'Votre code provisoire', 'Code : 111111\n'],
    ]);
    expect(Object.keys(mails[0]!).sort()).toEqual(['date', 'from', 'id', 'subject', 'text', 'to']);

    const page = await fetch(`${c.url}/dev/mailbox`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('<h1>Boîte de réception de développement</h1>');
    expect(html).toContain('<caption>2 e-mails, du plus récent au plus ancien</caption>');
    expect(html).toContain('name="viewport"');
    expect(html).not.toContain('<script');
    expect(html).toContain('Code &lt;à usage unique&gt;');
    expect(html.indexOf('second@exemple.fr')).toBeLessThan(html.indexOf('premier@exemple.fr'));
    expect(html).toContain(`href="/dev/mailbox/${mails[0]!.id}"`);
  });

  it('shows one e-mail with its headers and its text escaped in <pre>', async () => {
    const c = await carnet();
    const mail = await send(
      c,
      'camille@exemple.fr',
      'Bienvenue',
      'Bonjour <script>alert(1)</script>\nCode : 482913',
    );

    const response = await fetch(`${c.url}/dev/mailbox/${mail.id}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<pre>Bonjour &lt;script&gt;alert(1)&lt;/script&gt;\nCode : 482913\n</pre>');
    expect(html).toMatch(/<pre>[^<]*Subject: Bienvenue/);
    expect(html).not.toContain('<script>');

    const missing = await fetch(
      `${c.url}/dev/mailbox/20200101T000000.000Z-00000000-0000-7000-8000-000000000000`,
    );
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('mail-not-found');
    expect((await fetch(`${c.url}/dev/mailbox/..%2Fsecret.key`)).status).toBe(404);
  });

  it('answers 404 when CARNET_SMTP_RELAY is set (no embedded relay)', async () => {
    const relay = await startSmtpSink();
    cleanups.push(() => relay.stop());
    const c = await carnet({ CARNET_SMTP_RELAY: `127.0.0.1:${relay.port}` });
    for (const url of ['/dev/mailbox', '/dev/mailbox.json', '/dev/mailbox/anything']) {
      const response = await fetch(`${c.url}${url}`);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { kind: string } }).error.kind).toBe('not-found');
    }
  });
});
