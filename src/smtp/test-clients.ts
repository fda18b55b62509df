import { execFile } from 'node:child_process';
import net from 'node:net';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';

/** What a standard client saw: the final SMTP reply code and text (of the refusal, when refused). */
export interface ClientOutcome {
  readonly code: number;
  readonly response: string;
}

export interface NodemailerOptions {
  readonly port: number;
  readonly starttls?: boolean;
  readonly tls?: {
    cert?: string;
    key?: string;
    ca?: string;
    rejectUnauthorized?: boolean;
    servername?: string;
  };
}

/** Sends with nodemailer (no pool), plain or over STARTTLS; `message` is nodemailer's mail options (or `raw`). */
export async function sendWithNodemailer(
  options: NodemailerOptions,
  message: SMTPTransport.MailOptions,
): Promise<ClientOutcome> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: options.port,
    secure: false,
    ...(options.starttls ? { requireTLS: true } : { ignoreTLS: true }),
    tls: { rejectUnauthorized: false, ...options.tls },
    connectionTimeout: 10_000,
  });
  try {
    const info = await transport.sendMail(message);
    return { code: Number(info.response.slice(0, 3)), response: info.response };
  } catch (error) {
    const {
      responseCode,
      response,
      message: text,
    } = error as {
      responseCode?: number;
      response?: string;
      message: string;
    };
    return { code: responseCode ?? 0, response: response ?? text };
  } finally {
    transport.close();
  }
}

export interface SwaksOutcome {
  readonly exitCode: number;
  readonly transcript: string;
}

/** Runs Debian's swaks (an independent SMTP client) against the gateway. */
export function swaks(port: number, args: readonly string[]): Promise<SwaksOutcome> {
  return new Promise((resolve) => {
    execFile(
      'swaks',
      ['--server', `127.0.0.1:${port}`, '--timeout', '15', '--hide-informational', ...args],
      { timeout: 30_000 },
      (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ exitCode, transcript: `${stdout}${stderr}` });
      },
    );
  });
}

/** A bare SMTP dialogue: sends each command after the previous reply, returns every reply (the greeting first). */
export function smtpDialogue(port: number, commands: readonly string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const replies: string[] = [];
    let buffer = '';
    let next = 0;
    socket.setTimeout(10_000, () => socket.destroy(new Error('SMTP dialogue timed out')));
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      // A reply is complete at a line "NNN text" (a space, not a dash, after the code).
      let match: RegExpExecArray | null;
      while ((match = /^(?:\d{3}-[^\n]*\n)*\d{3}(?: [^\n]*)?\n/.exec(buffer))) {
        replies.push(match[0].trimEnd());
        buffer = buffer.slice(match[0].length);
        if (next < commands.length) socket.write(`${commands[next++]}\r\n`);
        else socket.end();
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(replies));
  });
}
