import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { SMTPServer } from 'smtp-server';
import { createSelfSignedPair } from '../src/smtp/self-signed.ts';
import type { DepositRun } from './deposit.ts';
import { writeAndFsync } from './floor.ts';
import { runClients, type LoadPlan } from './load.ts';
import { paddedPdf } from './pdf.ts';
import { processCpuSeconds } from './server.ts';

/** A professional's message to a patient's MSSanté mailbox. */
export interface SmtpMessage {
  readonly from: string;
  readonly to: string;
}

/**
 * A complete MIME message, built once: sending it measures the servers, not the load generator's MIME
 * encoding. Each send gets its own Message-ID (the gateway drops a message it already stored), written over
 * a fixed-width placeholder.
 */
export interface PreparedMessage {
  readonly envelope: { readonly from: string; readonly to: string };
  readonly bytes: number;
  /** Whether it carries a PDF (the gateway then stores an attachment). */
  readonly withPdf: boolean;
  /** The bytes of the next message, with a Message-ID never used before in this process. */
  next(): Buffer;
}

const idDigits = 12;
let sent = 0;

const text = (paddingLines: number, filler = 0) =>
  [
    'Bonjour,',
    '',
    'Vous trouverez ci-joint le compte rendu de votre consultation.',
    ...Array.from({ length: paddingLines }, (_, i) => `Ligne ${String(i).padStart(4, '0')} du compte rendu.`),
    ...(filler > 0 ? ['.'.repeat(filler)] : []),
    '',
    'Bien cordialement,',
    'Dr Martin',
  ].join('\n');

async function compose(
  message: SmtpMessage,
  runId: string,
  padding: { lines: number; filler?: number },
  pdf: Buffer | undefined,
) {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true });
  const options: Mail.Options = {
    from: message.from,
    to: message.to,
    subject: 'Compte rendu de consultation',
    messageId: `<bench-${runId}-${'0'.repeat(idDigits)}@carnet.bench>`,
    text: text(padding.lines, padding.filler),
    ...(pdf
      ? { attachments: [{ filename: 'compte-rendu.pdf', content: pdf, contentType: 'application/pdf' }] }
      : {}),
  };
  const info = (await composer.sendMail(options)) as { message: Buffer };
  return info.message;
}

/**
 * The message of about `bytes` bytes once MIME-encoded: text alone when small, else text and a PDF whose
 * base64 brings the whole to that size (within 1 %).
 */
export async function prepareMessage(message: SmtpMessage, bytes: number): Promise<PreparedMessage> {
  const runId = randomBytes(6).toString('hex');
  let raw = await compose(message, runId, { lines: 0 }, undefined);
  const withPdf = bytes > 8 * 1024;
  if (!withPdf) {
    // Short lines of text, then one line of the bytes still missing (and its CRLF): no PDF in a small message.
    const lineBytes = (await compose(message, runId, { lines: 1 }, undefined)).length - raw.length;
    const lines = Math.max(0, Math.floor((bytes - raw.length) / lineBytes));
    raw = await compose(message, runId, { lines }, undefined);
    if (bytes - raw.length > 2)
      raw = await compose(message, runId, { lines, filler: bytes - raw.length - 2 }, undefined);
  } else {
    let pdfBytes = Math.round(((bytes - raw.length) * 3) / 4);
    for (let attempt = 0; attempt < 5; attempt++) {
      raw = await compose(message, runId, { lines: 0 }, paddedPdf(pdfBytes));
      if (Math.abs(raw.length - bytes) <= bytes / 100) break;
      pdfBytes += Math.round(((bytes - raw.length) * 57) / 78);
    }
  }
  const placeholder = Buffer.from(`${runId}-${'0'.repeat(idDigits)}@`);
  const at = raw.indexOf(placeholder) + runId.length + 1;
  if (at <= runId.length) throw new Error('the prepared message has no Message-ID placeholder');
  const template = raw;
  return {
    envelope: { from: message.from, to: message.to },
    bytes: template.length,
    withPdf,
    next: () => {
      const copy = Buffer.from(template);
      copy.write(String(sent++).padStart(idDigits, '0'), at, 'latin1');
      return copy;
    },
  };
}

/**
 * `plan.concurrency` senders over as many pooled STARTTLS connections, as an operator's relay keeps them open,
 * each sending the prepared bytes as they are (nodemailer's `raw`); a message counts once the server answered
 * 250 to its DATA.
 */
export async function sendMessages(
  port: number,
  message: PreparedMessage,
  plan: LoadPlan,
): Promise<DepositRun> {
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
  const envelope = { from: message.envelope.from, to: [message.envelope.to] };
  let failures = 0;
  let firstFailure: string | undefined;
  try {
    const result = await runClients(plan, async () => {
      try {
        const info = await transport.sendMail({ envelope, raw: message.next() });
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

/** Resolves once `port` accepts a connection: `carnet serve` opens its SMTP gateway after its HTTP port. */
export async function waitUntilListening(port: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port} after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface SmtpFloorServer {
  readonly port: number;
  /** CPU seconds its process has used so far (Linux `/proc`; undefined in-process or elsewhere). */
  cpuSeconds(): number | undefined;
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
  return {
    port,
    cpuSeconds: () => undefined,
    stop: () => new Promise<void>((resolve) => server.close(resolve)),
  };
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
    cpuSeconds: () => processCpuSeconds(child.pid),
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
