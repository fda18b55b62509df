import nodemailer from 'nodemailer';
import type { HostPort } from '../config/index.ts';

/**
 * One e-mail as the worker hands it to the relay: a text e-mail with the Message-ID its outbox row keeps across
 * retries, or a complete MIME message to send unchanged with its envelope sender (`''` = null reverse-path).
 */
export type EmailToSend =
  | { readonly to: string; readonly subject: string; readonly text: string; readonly messageId: string }
  | { readonly to: string; readonly raw: { readonly mime: string; readonly from: string } };

export interface Sender {
  send(email: EmailToSend): Promise<void>;
  close(): void;
}

/**
 * The one way e-mail leaves Carnet: plain SMTP to a local relay, which does delivery. STARTTLS is opportunistic
 * (RFC 7435): used when the relay offers it, not authenticated, since the relay is on the local network.
 */
export function createSender(relay: HostPort, from: string): Sender {
  const transport = nodemailer.createTransport({
    host: relay.host,
    port: relay.port,
    secure: false,
    pool: true,
    maxConnections: 4,
    tls: { rejectUnauthorized: false },
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    send: async (email) => {
      if ('raw' in email) {
        await transport.sendMail({ envelope: { from: email.raw.from, to: [email.to] }, raw: email.raw.mime });
        return;
      }
      await transport.sendMail({
        from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        textEncoding: 'quoted-printable',
        messageId: email.messageId,
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    },
    close: () => transport.close(),
  };
}

/** A short failure reason for the outbox row: SMTP code and command only, never the message or its recipient. */
export function describeSendError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'error';
  const { code, responseCode, command } = error as {
    code?: unknown;
    responseCode?: unknown;
    command?: unknown;
  };
  const parts = [code, responseCode, command].filter((p) => typeof p === 'string' || typeof p === 'number');
  return (parts.length ? parts.join(' ') : 'error').slice(0, 120);
}
