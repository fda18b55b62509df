import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

export interface SunkMail {
  readonly messageId: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** The exact bytes received, and the SMTP envelope (`from` is `''` for a null reverse-path). */
  readonly raw: Buffer;
  readonly envelope: { readonly from: string; readonly to: readonly string[] };
}

export interface SmtpSink {
  readonly port: number;
  readonly received: readonly SunkMail[];
  /** RCPT TO commands answered so far, refused ones included. */
  readonly recipientsSeen: number;
  stop(): Promise<void>;
}

export interface SmtpSinkOptions {
  /** Answers `451` to the first N recipients (a relay that is temporarily unavailable). */
  readonly refuseFirst?: number;
}

/** A throwaway SMTP relay for tests: keeps what it accepts in memory. */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const received: SunkMail[] = [];
  let recipientsSeen = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    closeTimeout: 1_000,
    onRcptTo: (_address, _session, callback) => {
      recipientsSeen += 1;
      if (recipientsSeen > (options.refuseFirst ?? 0)) return callback();
      const error = Object.assign(new Error('Service temporairement indisponible'), { responseCode: 451 });
      return callback(error);
    },
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      const whole = new Promise<Buffer>((resolve, reject) => {
        stream.on('end', () => resolve(Buffer.concat(chunks)));
        stream.on('error', reject);
      });
      whole
        .then(async (raw) => ({ raw, mail: await simpleParser(raw) }))
        .then(
          ({ raw, mail }) => {
            const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : (mail.to?.text ?? '');
            received.push({
              messageId: mail.messageId ?? '',
              to,
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              raw,
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((r) => r.address),
              },
            });
            callback();
          },
          (error: Error) => callback(error),
        );
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    get recipientsSeen() {
      return recipientsSeen;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
