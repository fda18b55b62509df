import type { SMTPServerError } from 'smtp-server';
import { CarnetError } from '../shared/index.ts';

/**
 * An SMTP refusal. smtp-server writes `err.message` after the reply code; with ENHANCEDSTATUSCODES not announced
 * (its default) it adds no code of its own, so ours leads the text: `550 5.7.1 …`.
 */
export function smtpReply(code: number, enhanced: string, text: string): SMTPServerError {
  return Object.assign(new Error(`${enhanced} ${smtpText(text)}`), { responseCode: code });
}

/** Reply text must be 7-bit ASCII on one line (RFC 5321 §4.2): French accents are folded, controls dropped. */
export function smtpText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[^\x20-\x7e]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export const replies = {
  starttlsRequired: () => smtpReply(530, '5.7.0', 'STARTTLS obligatoire avant MAIL FROM'),
  senderNotOperator: () =>
    smtpReply(550, '5.7.1', 'Domaine expediteur hors de la liste des operateurs MSSante autorises'),
  clientCertificate: () => smtpReply(554, '5.7.1', 'Certificat client absent ou non reconnu'),
  senderNotCertified: () =>
    smtpReply(550, '5.7.1', 'Domaine expediteur absent du certificat client de l operateur'),
  tooManyRecipients: (limit: number) =>
    smtpReply(452, '4.5.3', `Trop de destinataires : au plus ${limit} par message, envoyez le reste ensuite`),
  tooManyConnections: () =>
    smtpReply(421, '4.7.0', 'Trop de connexions simultanees depuis votre adresse, reessayez plus tard'),
  tooManyRefusals: () =>
    smtpReply(421, '4.7.0', 'Trop de destinataires inconnus depuis votre adresse, reessayez plus tard'),
  tooLarge: (limit: number) =>
    smtpReply(552, '5.3.4', `Message trop volumineux : la limite est de ${limit} octets`),
  malformed: () =>
    smtpReply(
      550,
      '5.6.0',
      'Message MIME mal forme : il ne peut pas etre lu, rien n a ete enregistre. Corrigez-le avant de le renvoyer',
    ),
  temporary: () =>
    smtpReply(451, '4.3.0', 'Erreur temporaire : le message n a pas ete enregistre, reessayez plus tard'),
} as const;

/**
 * The reply for a failed store: bad MIME and refusals by the rules are final; anything else is temporary (the
 * sender retries, the core's dedupe makes the retry safe).
 */
export function replyForStoreFailure(error: unknown, limit: number): SMTPServerError {
  if (error instanceof CarnetError) {
    // The core's sentence says what is wrong (e.g. "pas d'en-tete"): the sender's administrator needs it.
    if (error.code === 'mime-malformed')
      return smtpReply(550, '5.6.0', error.message || replies.malformed().message);
    // Its archives unpack past the per-message limits: the core's sentence says so, not the size limit.
    if (error.code === 'message-expansion-too-large') return smtpReply(552, '5.3.4', error.message);
    if (error.kind === 'too-large') return replies.tooLarge(limit);
    // A refusal by the rules (a patient address opening a conversation): retrying would not change it.
    if (error.kind === 'forbidden') return smtpReply(550, '5.7.1', error.message);
  }
  return replies.temporary();
}

/** What may be logged about a failure: its code or class name, never its message (it may quote data). */
export function failureCode(error: unknown): string {
  if (error instanceof CarnetError) return error.code;
  if (error instanceof Error) return (error as { code?: unknown }).code?.toString() ?? error.name;
  return 'unknown';
}
