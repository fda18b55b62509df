import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.ts';
import { seedDemo } from '../demo/index.ts';
import { freePort, startTestCarnet, type TestCarnet } from '../server/test-server.ts';
import { testDialects } from '../storage/test-databases.ts';
import { startSmtpGateway, type SmtpGateway } from './gateway.ts';
import { sendWithNodemailer, swaks } from './test-clients.ts';
import { createTestPki } from './test-pki.ts';
import { storedCount } from './test-store.ts';

const patient = '168047505611243@patient.mssante.fr';

describe.each(testDialects)('the SMTP gateway in production mode on %s', (dialect) => {
  let server: TestCarnet;
  let gateway: SmtpGateway;
  let pki: Awaited<ReturnType<typeof createTestPki>>;
  const dir = mkdtempSync(path.join(tmpdir(), 'carnet-smtp-pki-'));
  const file = (name: string, content: string) => {
    writeFileSync(path.join(dir, name), content, { mode: 0o600 });
    return path.join(dir, name);
  };

  beforeAll(async () => {
    pki = await createTestPki();
    server = await startTestCarnet(dialect, { beforeListen: (ctx) => seedDemo(ctx).then(() => undefined) });
    // The same database and data folder, seen by a gateway configured as in production.
    const config = loadConfig({
      CARNET_ENV: 'production',
      CARNET_BASE_URL: 'https://monespacesante.example',
      CARNET_DATA_DIR: server.config.dataDir,
      ...(server.config.databaseUrl ? { DATABASE_URL: server.config.databaseUrl } : {}),
      CARNET_SECRET: server.config.secret.toString('base64'),
      CARNET_DOCUMENT_KEY: server.config.documentKey.key.toString('base64'),
      CARNET_OIDC_ISSUER: 'https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet',
      CARNET_OIDC_CLIENT_ID: 'carnet',
      CARNET_OIDC_CLIENT_SECRET: 'not-a-real-secret',
      CARNET_SMTP_RELAY: '127.0.0.1:9',
      CARNET_LOG_LEVEL: 'warn',
      CARNET_SMTP_PORT: String(await freePort()),
      CARNET_SMTP_TLS_CERT: file('server.crt', pki.server.cert),
      CARNET_SMTP_TLS_KEY: file('server.key', pki.server.key),
      CARNET_SMTP_CLIENT_CA: file('igc-sante.pem', pki.caPem),
      CARNET_SMTP_OPERATOR_DOMAINS: 'mssante.fr',
    });
    gateway = await startSmtpGateway({ ...server.ctx, config });
  });
  afterAll(async () => {
    await gateway?.stop();
    await server?.stop();
  });

  const mail = (messageId: string, from = 'dr.martin@cabinet.mssante.fr') => ({
    from,
    to: patient,
    subject: 'Compte rendu',
    text: 'Bonjour, voici votre compte rendu.',
    messageId: `<${messageId}@cabinet.mssante.fr>`,
  });

  it('refuses MAIL FROM before STARTTLS', async () => {
    const outcome = await sendWithNodemailer({ port: gateway.port }, mail('prod-plain'));
    expect(outcome.code).toBe(530);
    expect(outcome.response).toMatch(/5\.7\.0/);
    expect(await storedCount(server.ctx, 'prod-plain')).toBe(0);
  });

  it('refuses a TLS session without a client certificate, or with one from another CA', async () => {
    const none = await sendWithNodemailer(
      { port: gateway.port, starttls: true, tls: { ca: pki.caPem, servername: 'localhost' } },
      mail('prod-no-cert'),
    );
    expect(none.code).not.toBe(250);
    expect(none.response).toMatch(/certificate/i);
    const stranger = await sendWithNodemailer(
      {
        port: gateway.port,
        starttls: true,
        tls: { ...pki.stranger, ca: pki.caPem, servername: 'localhost' },
      },
      mail('prod-stranger'),
    );
    expect(stranger.code).not.toBe(250);
    // TLS 1.3: the client's handshake ends before the server judges its certificate, then the server hangs up.
    expect(stranger.response).toMatch(/certificate|closed/i);
    expect(await storedCount(server.ctx, 'prod-no-cert')).toBe(0);
    expect(await storedCount(server.ctx, 'prod-stranger')).toBe(0);
  });

  it('accepts an operator certified by the configured CA, from a white-listed domain only', async () => {
    const tls = { ...pki.operator, ca: pki.caPem, rejectUnauthorized: true, servername: 'localhost' };
    const accepted = await sendWithNodemailer({ port: gateway.port, starttls: true, tls }, mail('prod-ok'));
    expect(accepted.code).toBe(250);
    expect(await storedCount(server.ctx, 'prod-ok')).toBe(1);

    const outsider = await sendWithNodemailer(
      { port: gateway.port, starttls: true, tls },
      mail('prod-outsider', 'someone@gmail.com'),
    );
    expect(outsider.code).toBe(550);
    expect(outsider.response).toMatch(/5\.7\.1/);
    expect(await storedCount(server.ctx, 'prod-outsider')).toBe(0);
  });

  // Security review regression: fails on 027241f, before the fix.
  it('refuses a header From other than the authenticated envelope sender, so no reply can go elsewhere', async () => {
    const tls = { ...pki.operator, ca: pki.caPem, rejectUnauthorized: true, servername: 'localhost' };
    const spoofed = await sendWithNodemailer(
      { port: gateway.port, starttls: true, tls },
      {
        ...mail('prod-spoofed', 'attacker@gmail.example'),
        envelope: { from: 'dr.martin@cabinet.mssante.fr', to: patient },
      },
    );
    expect(spoofed.code).toBe(550);
    expect(spoofed.response).toMatch(/^550 5\.7\.1 L'expediteur de l'en-tete From doit etre l'expediteur/);
    expect(await storedCount(server.ctx, 'prod-spoofed')).toBe(0);
    const threads = await server.ctx.db.selectFrom('mss_threads').select('professional_address').execute();
    expect(threads.map((t) => t.professional_address)).not.toContain('attacker@gmail.example');
    // An accepted message's conversation is answered at its envelope sender.
    expect(threads.map((t) => t.professional_address)).toContain('dr.martin@cabinet.mssante.fr');
  });

  // Security review regression: fails on 027241f, before the fix.
  it('accepts an operator only for the domains its certificate names', async () => {
    const tls = { ...pki.otherOperator, ca: pki.caPem, rejectUnauthorized: true, servername: 'localhost' };
    const own = await sendWithNodemailer(
      { port: gateway.port, starttls: true, tls },
      mail('prod-hopital', 'dr.durand@hopital.mssante.fr'),
    );
    expect(own.code, own.response).toBe(250);
    const borrowed = await sendWithNodemailer(
      { port: gateway.port, starttls: true, tls },
      mail('prod-borrowed', 'dr.martin@cabinet.mssante.fr'),
    );
    expect(borrowed.code).toBe(550);
    expect(borrowed.response).toMatch(/^550 5\.7\.1 Domaine expediteur absent du certificat client/);
    expect(await storedCount(server.ctx, 'prod-hopital')).toBe(1);
    expect(await storedCount(server.ctx, 'prod-borrowed')).toBe(0);
  });

  it('works the same with swaks presenting the operator certificate', async () => {
    const certFile = file('operator.crt', pki.operator.cert);
    const keyFile = file('operator.key', pki.operator.key);
    const base = [
      '--from',
      'dr.martin@cabinet.mssante.fr',
      '--to',
      patient,
      '--header',
      'Subject: Ordonnance',
    ];
    const withCert = await swaks(gateway.port, [
      ...base,
      '--tls',
      '--tls-cert',
      certFile,
      '--tls-key',
      keyFile,
      '--header',
      'Message-Id: <prod-swaks@cabinet.mssante.fr>',
      '--body',
      'Voici votre ordonnance.',
    ]);
    expect(withCert.exitCode, withCert.transcript).toBe(0);
    expect(await storedCount(server.ctx, 'prod-swaks')).toBe(1);
    const plain = await swaks(gateway.port, [...base, '--header', 'Message-Id: <prod-swaks-plain@x>']);
    expect(plain.exitCode).toBe(23);
    expect(plain.transcript).toMatch(/530 5\.7\.0/);
  });
});
