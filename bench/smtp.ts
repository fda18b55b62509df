import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { SMTPServer } from 'smtp-server';
import { createSelfSignedPair } from '../src/smtp/self-signed.ts';
import type { DepositRun } from './deposit.ts';
import { writeAndFsync } from './floor.ts';
import { runClients, type LoadPlan } from './load.ts';

/** A professional's message to a patient's MSSanté mailbox, carrying one PDF. */
export interface SmtpMessage {
  readonly from: string;
  readonly to: string;
  readonly pdf: Buffer;
}

/** Text and the PDF as an attachment; nodemailer gives each message its own Message-ID (no deduplication). */
function professionalMessage(message: SmtpMessage): Mail.Options {
  return {
    from: message.from,
    to: message.to,
    subject: 'Compte rendu de consultation',
    text: 'Bonjour,\n\nVous trouverez ci-joint le compte rendu de votre consultation.\n\nBien cordialement,\nDr Martin',
    attachments: [{ filename: 'compte-rendu.pdf', content: message.pdf, contentType: 'application/pdf' }],
  };
}

/**
 * `plan.concurrency` clients sending over as many pooled STARTTLS connections, as an operator's relay keeps
 * them open; a message counts once the server answered 250 to its DATA.
 */
export async function sendMessages(port: number, message: SmtpMessage, plan: LoadPlan): Promise<DepositRun> {
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: plan.concurrency,
    maxMessages: Number.POSITIVE_INFINITY,
    host: '127.0.0.1',
    port,
    secure: false,
    requireTLS: true,
    // The development gateway's certificate and the floor's are self-signed.
    tls: { rejectUnauthorized: false },
  });
  let failures = 0;
  let firstFailure: string | undefined;
  try {
    const result = await runClients(plan, async () => {
      try {
        const info = await transport.sendMail(professionalMessage(message));
        if (info.response.startsWith('250')) return;
        failures++;
        firstFailure ??= info.response;
      } catch (error) {
        failures++;
        firstFailure ??= error instanceof Error ? error.message : String(error);
      }
    });
    return { result, failures, firstFailure };
  } finally {
    transport.close();
  }
}

export interface SmtpFloorServer {
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * The floor of the gateway: a bare smtp-server offering STARTTLS with a certificate like the gateway's,
 * writing each received message to its own file in `dir` and fsyncing it before answering 250.
 */
export async function startSmtpFloor(dir: string): Promise<SmtpFloorServer> {
  mkdirSync(dir, { recursive: true });
  const { cert, key } = await createSelfSignedPair('localhost', ['localhost', '127.0.0.1']);
  let received = 0;
  const server = new SMTPServer({
    cert,
    key,
    authOptional: true,
    disabledCommands: ['AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.once('error', callback);
      stream.once('end', () => {
        writeAndFsync(path.join(dir, `${received++}.eml`), Buffer.concat(chunks)).then(
          () => callback(),
          callback,
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, stop: () => new Promise<void>((resolve) => server.close(resolve)) };
}

/** `startSmtpFloor` in a child process (bench/smtp-floor-server.ts through tsx), once it listens. */
export async function startSmtpFloorProcess(dir: string): Promise<SmtpFloorServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/smtp-floor-server.ts', dir], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('\n')) resolve(Number(output.trim()));
    });
    child.once('exit', (code) => reject(new Error(`the SMTP floor server exited (${code})`)));
  });
  return {
    port,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
