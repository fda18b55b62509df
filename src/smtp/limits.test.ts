import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../demo/index.ts';
import { insKey } from '../identity/index.ts';
import { startTestCarnet, type TestCarnet } from '../server/test-server.ts';
import { testDialects } from '../storage/test-databases.ts';
import { SLOW_DOWN_MS } from './client-limits.ts';
import { sendWithNodemailer, smtpDialogue } from './test-clients.ts';

const doctor = 'dr.martin@cabinet.mssante.fr';
const dupont = '168047505611243@patient.mssante.fr';
const faure = '164053818509916@patient.mssante.fr';
/** Well-formed INS (right key) of nobody: what an enumeration tries. */
const nobody = (i: number) => {
  const base = `26804750599${10 + i}`;
  return `${base}${insKey(base)}@patient.mssante.fr`;
};

/** Connects and reads the greeting (or the refusal that replaces it); the socket stays open. */
function connect(port: number): Promise<{ socket: net.Socket; greeting: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('data', (chunk) => resolve({ socket, greeting: chunk.toString('latin1').trim() }));
    socket.once('error', reject);
  });
}

const closed = (socket: net.Socket) =>
  new Promise<void>((resolve) => {
    socket.once('close', () => resolve());
    socket.end('QUIT\r\n');
  });

describe.each(testDialects)('the SMTP gateway limits on %s', (dialect) => {
  let server: TestCarnet;
  let port: number;
  beforeAll(async () => {
    server = await startTestCarnet(dialect, {
      env: {
        CARNET_SMTP_MAX_RECIPIENTS: '2',
        CARNET_SMTP_MAX_CONNECTIONS_PER_CLIENT: '2',
        CARNET_SMTP_MAX_UNKNOWN_RECIPIENTS: '4',
      },
      beforeListen: (ctx) => seedDemo(ctx).then(() => undefined),
    });
    port = server.config.smtpPort;
  });
  afterAll(async () => {
    await server?.stop();
  });

  // Security review regression: fails on 027241f, before the fix.
  it('answers 452 4.5.3 past the recipients allowed in one transaction', async () => {
    const replies = await smtpDialogue(port, [
      'EHLO cabinet.mssante.fr',
      `MAIL FROM:<${doctor}>`,
      `RCPT TO:<${dupont}>`,
      `RCPT TO:<${faure}>`,
      `RCPT TO:<${nobody(0)}>`,
      `RCPT TO:<${dupont}>`,
      'QUIT',
    ]);
    expect(replies.slice(3)).toEqual([
      expect.stringMatching(/^250 /),
      expect.stringMatching(/^250 /),
      '452 4.5.3 Trop de destinataires : au plus 2 par message, envoyez le reste ensuite',
      // Every RCPT counts, an address named again too: each one is a look-up the client makes us do.
      '452 4.5.3 Trop de destinataires : au plus 2 par message, envoyez le reste ensuite',
      expect.stringMatching(/^221 /),
    ]);
    // The count starts again with each transaction.
    const again = await smtpDialogue(port, [
      'EHLO cabinet.mssante.fr',
      `MAIL FROM:<${doctor}>`,
      `RCPT TO:<${dupont}>`,
      `RCPT TO:<${dupont}>`,
      `RCPT TO:<${dupont}>`,
      'RSET',
      `MAIL FROM:<${doctor}>`,
      `RCPT TO:<${dupont}>`,
      'QUIT',
    ]);
    expect(again.slice(3, 6)).toEqual([
      expect.stringMatching(/^250 /),
      expect.stringMatching(/^250 /),
      expect.stringMatching(/^452 4\.5\.3 /),
    ]);
    expect(again.slice(-2)).toEqual([expect.stringMatching(/^250 /), expect.stringMatching(/^221 /)]);
    // nodemailer sends the first two and reports the third as rejected.
    const sent = await sendWithNodemailer(
      { port },
      { from: doctor, to: [dupont, faure, nobody(1)], subject: 'Rappel', text: 'Bonjour' },
    );
    expect(sent.code).toBe(250);
  });

  // Security review regression: fails on 027241f, before the fix.
  it('refuses with 421 a connection past those allowed at once from one address', async () => {
    const first = await connect(port);
    const second = await connect(port);
    const third = await connect(port);
    expect([first.greeting, second.greeting].every((g) => g.startsWith('220 '))).toBe(true);
    expect(third.greeting).toBe(
      '421 4.7.0 Trop de connexions simultanees depuis votre adresse, reessayez plus tard',
    );
    third.socket.destroy();
    await closed(first.socket);
    // The server counts the closed connection off once its own side has closed.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await connect(port);
    expect(again.greeting).toMatch(/^220 /);
    await Promise.all([closed(second.socket), closed(again.socket)]);
    await new Promise((resolve) => setTimeout(resolve, 100));
  });

  // Security review regression: fails on 027241f, before the fix.
  it('slows down refused recipients, then cuts the client off with 421 for the window (no INS enumeration)', async () => {
    const started = performance.now();
    const replies = await smtpDialogue(port, [
      'EHLO cabinet.mssante.fr',
      `MAIL FROM:<${doctor}>`,
      // One guess per transaction (the recipient cap counts every RCPT): the refusals still add up per client.
      ...Array.from({ length: 8 }, (_, i) => [
        `RCPT TO:<${nobody(10 + i)}>`,
        'RSET',
        `MAIL FROM:<${doctor}>`,
      ]).flat(),
    ]);
    const elapsed = performance.now() - started;
    // Four refusals allowed: two at once, the third a second later, the fourth ends the connection.
    expect(replies.filter((reply) => /^(550|421|452)/.test(reply))).toEqual([
      expect.stringMatching(/^550 5\.1\.1 /),
      expect.stringMatching(/^550 5\.1\.1 /),
      expect.stringMatching(/^550 5\.1\.1 /),
      '421 4.7.0 Trop de destinataires inconnus depuis votre adresse, reessayez plus tard',
    ]);
    expect(elapsed).toBeGreaterThanOrEqual(SLOW_DOWN_MS - 50);
    // A new connection from the same address is refused at once, known recipients included.
    const later = await connect(port);
    expect(later.greeting).toMatch(/^421 4\.7\.0 Trop de destinataires inconnus/);
    later.socket.destroy();
  });
});
