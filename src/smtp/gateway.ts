import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { AppContext } from '../app/index.ts';
import { gatewayLog, type GatewayLog } from './log.ts';
import { ClientLimits } from './client-limits.ts';
import { certificateDomains, isCertifiedSender, isOperatorAddress } from '../shared/index.ts';
import { failureCode, replies } from './replies.ts';
import { decideRecipient, storeMessage } from './transaction.ts';
import { loadGatewayTls, type GatewayTls } from './tls.ts';

export interface SmtpGateway {
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * The inbound MSSanté gateway on `CARNET_SMTP_HOST:CARNET_SMTP_PORT`. Development: plain SMTP accepted, STARTTLS
 * offered. Production: STARTTLS before MAIL FROM, a client certificate chaining to `CARNET_SMTP_CLIENT_CA`,
 * and a sender domain on the operators' white list. 250 is answered only once the core has stored the message.
 */
export async function startSmtpGateway(ctx: AppContext): Promise<SmtpGateway> {
  const tls = await loadGatewayTls(ctx.config);
  const log = gatewayLog(ctx.config.logLevel);
  const server = new SMTPServer(gatewayOptions(ctx, tls, log));
  // Socket-level errors (a client vanishing mid-handshake) are the client's problem, not the process's.
  server.on('error', (error: Error) => log.warn('connection error', { error: failureCode(error) }));
  const { host } = ctx.config.smtpGateway;
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(ctx.config.smtpPort, host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function gatewayOptions(ctx: AppContext, tls: GatewayTls, log: GatewayLog): SMTPServerOptions {
  const { maxBytes, operatorDomains, maxRecipients } = ctx.config.smtpGateway;
  const production = ctx.config.environment === 'production';
  const limits = new ClientLimits(ctx.config.smtpGateway);
  // Per session: the client IP counted in `limits`, and the domains its certificate names (production).
  const counted = new Map<string, string>();
  const certified = new Map<string, readonly string[]>();
  // Per session: RCPT commands in the current transaction, repeated addresses included, since each is a lookup.
  const recipientCommands = new Map<string, number>();
  return {
    name: ctx.config.patientMailDomain,
    banner: 'Carnet MSSante',
    size: maxBytes,
    // Operators authenticate by their TLS client certificate, never by password.
    disabledCommands: ['AUTH'],
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 5_000,
    key: tls.key,
    cert: tls.cert,
    minVersion: 'TLSv1.2',
    ...(production ? { requestCert: true, rejectUnauthorized: true, ca: tls.clientCa } : {}),
    onConnect: (session, callback) => {
      const ip = session.remoteAddress;
      const decision = limits.connect(ip);
      if (decision !== 'accept') {
        log.info('connection refused', { session: session.id, code: 421, reason: decision });
        return callback(
          decision === 'too-many-connections' ? replies.tooManyConnections() : replies.tooManyRefusals(),
        );
      }
      counted.set(session.id, ip);
      callback();
    },
    onClose: (session) => {
      const ip = counted.get(session.id);
      if (ip !== undefined) limits.disconnected(ip);
      counted.delete(session.id);
      certified.delete(session.id);
      recipientCommands.delete(session.id);
    },
    onSecure: (socket, session, callback) => {
      if (!production) return callback();
      const tlsSocket = socket as TLSSocket;
      if (!tlsSocket.authorized) return callback(replies.clientCertificate());
      certified.set(session.id, certificateDomains(tlsSocket.getPeerCertificate()));
      callback();
    },
    onMailFrom: (address, session, callback) => {
      if (production && !session.secure) return callback(replies.starttlsRequired());
      if (production && !isOperatorAddress(operatorDomains, address.address)) {
        log.info('sender refused', { session: session.id, code: 550 });
        return callback(replies.senderNotOperator());
      }
      // The operator sends for the domains its certificate names, not for another operator's mailboxes.
      if (production && !isCertifiedSender(certified.get(session.id) ?? [], address.address)) {
        log.info('sender refused', { session: session.id, code: 550, reason: 'certificate' });
        return callback(replies.senderNotCertified());
      }
      recipientCommands.set(session.id, 0);
      callback();
    },
    onRcptTo: (address, session, callback) => {
      const commands = (recipientCommands.get(session.id) ?? 0) + 1;
      recipientCommands.set(session.id, commands);
      if (commands > maxRecipients) return callback(replies.tooManyRecipients(maxRecipients));
      // With the envelope sender: a patient address never opens a conversation (the core refuses it here).
      const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
      decideRecipient(ctx, log, session.id, address.address, envelopeFrom).then(
        ({ refusal }) => {
          if (!refusal || (refusal.responseCode ?? 550) < 500) return callback(refusal ?? null);
          // Refused recipients are what guessing INS numbers yields: slowed down, then cut off (421).
          const next = limits.refused(session.remoteAddress);
          if (next.kind === 'disconnect') {
            log.info('client cut off', { session: session.id, code: 421 });
            return callback(replies.tooManyRefusals());
          }
          setTimeout(() => callback(refusal), next.delayMs);
        },
        () => callback(replies.temporary()),
      );
    },
    onData: (stream, session, callback) => {
      // Read the envelope now: smtp-server resets it once the callback has run.
      const envelope = {
        envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        recipients: session.envelope.rcptTo.map((rcpt) => rcpt.address),
      };
      storeMessage(ctx, log, session.id, stream, envelope).then(
        (outcome) => (outcome.refusal ? callback(outcome.refusal) : callback(null, outcome.text)),
        (error: unknown) => {
          log.warn('message not stored', { session: session.id, code: 451, error: failureCode(error) });
          callback(replies.temporary());
        },
      );
    },
  };
}
