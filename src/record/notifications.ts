import type { AppContext } from '../app/context.ts';
import { professionLabel, type ProfessionCode } from '../identity/index.ts';
import { displayName, isMinorOn, type InsuredPerson } from '../insured/index.ts';
import { enqueueEmail } from '../mail/outbox.ts';
import { wantsNotification, type NotificationTopic } from '../notifications/index.ts';
import { representativeEmails } from '../profile/index.ts';
import type { Executor } from '../storage/index.ts';

/**
 * E-mails about the record (issue 3 §5). They tell that something happened and who did it, never what a
 * document says (no title, no type, no emergency reason): an e-mail is not a safe place for health data.
 */
export interface RecordNotice {
  readonly subject: string;
  /** The sentence, given whose record it is ("votre dossier" or "le dossier de <child>"). */
  readonly body: (record: string) => string;
  /**
   * The preference that may silence it; none for what the patient must always hear of (an emergency access,
   * a professional's first consultation).
   */
  readonly topic?: NotificationTopic;
}

const signature =
  '\n\nCeci est un message automatique, merci de ne pas y répondre.\nL’équipe Mon espace santé';

export interface Actor {
  readonly name: string;
  readonly professionCode: ProfessionCode | undefined;
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const who = (actor: Actor) =>
  actor.professionCode ? `${actor.name} (${professionLabel(actor.professionCode)})` : actor.name;

export function newDocumentNotice(count: number, author: Actor): RecordNotice {
  return {
    subject: 'Un nouveau document a été ajouté à votre dossier médical',
    topic: 'documents',
    body: (record) =>
      count === 1
        ? `Un nouveau document a été ajouté à ${record} par ${who(author)}.`
        : `${count} nouveaux documents ont été ajoutés à ${record} par ${who(author)}.`,
  };
}

export function firstConsultationNotice(professional: Actor): RecordNotice {
  return {
    subject: 'Un professionnel de santé a consulté votre dossier médical',
    body: (record) =>
      `Un professionnel de santé a consulté ${record} pour la première fois : ${who(professional)}.`,
  };
}

export function emergencyAccessNotice(
  professional: Actor,
  mode: 'bris-de-glace' | 'centre-de-regulation',
): RecordNotice {
  const how =
    mode === 'bris-de-glace' ? 'en urgence (accès « bris de glace »)' : 'par un centre de régulation (SAMU)';
  return {
    subject: 'Accès en urgence à votre dossier médical',
    body: (record) => `${capitalized(record)} a été consulté ${how} par ${who(professional)}.`,
  };
}

/**
 * A service was connected: the e-mail does not name it (an app's name may tell a condition), but warns the
 * patient who did not do it themselves.
 */
export const serviceConnectedNotice: RecordNotice = {
  subject: 'Un service a été connecté à votre espace santé',
  body: (record) =>
    `Un service du catalogue a été connecté à ${record}. Retrouvez-le dans « Mes services connectés » : si vous ` +
    'n’êtes pas à l’origine de cette connexion, déconnectez-le et changez votre mot de passe.',
  topic: 'services',
};

/** Queues the notice in the caller's transaction, to the patient or, for a minor, to their representatives. */
export async function notifyPatient(
  ctx: AppContext,
  db: Executor,
  person: InsuredPerson,
  notice: RecordNotice,
  now: Date,
): Promise<void> {
  if (notice.topic && !(await wantsNotification(db, person.id, notice.topic))) return;
  const minor = isMinorOn(person, now);
  const recipients = minor ? await representativeEmails(db, person.id) : [];
  if (recipients.length === 0 && person.email) recipients.push(person.email);
  const text =
    (minor
      ? `Bonjour,\n\n${notice.body(`le dossier de ${displayName(person)}, dont vous êtes représentant légal,`)}`
      : `Bonjour ${displayName(person)},\n\n${notice.body('votre dossier')}`) +
    `\n\n` +
    `Retrouvez le détail dans votre espace : ${ctx.config.baseUrl}/connexion` +
    signature;
  for (const to of recipients) {
    await enqueueEmail(ctx.config, db, { to, subject: notice.subject, text, patientId: person.id }, now);
  }
}
