import { createHmac } from 'node:crypto';
import type { AppContext } from '../app/index.ts';
import { deriveKey } from '../config/index.ts';
import { professionLabel, type ProfessionCode } from '../identity/index.ts';
import { displayName, isMinorOn, type InsuredPerson, representativeEmails } from '../insured/index.ts';
import { enqueueCoalescedEmail, enqueueEmail } from '../mail/index.ts';
import { wantsNotification, type NotificationTopic } from '../notifications/index.ts';
import type { Executor } from '../storage/index.ts';

/**
 * E-mails about the record (docs/features.md, "Notifications"). They tell that something happened and who did it,
 * never what a document says (no title, no type, no emergency reason): an e-mail is not a safe place for health
 * data.
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

/** What a pending "new documents" e-mail announces so far: how many, by whom (at most a few names). */
export interface NewDocumentsTally {
  readonly count: number;
  readonly authors: readonly string[];
  /** More professionals deposited than `authors` names. */
  readonly others: boolean;
}

const namedAuthors = 3;

function byWhom(tally: NewDocumentsTally): string {
  const names = [...tally.authors];
  if (tally.others) return `${names.join(', ')} et d’autres professionnels`;
  const last = names.pop();
  return names.length === 0 ? (last ?? '') : `${names.join(', ')} et ${last}`;
}

/** The tally after `count` more documents by `author`. */
export function addNewDocuments(
  previous: NewDocumentsTally | undefined,
  count: number,
  author: Actor,
): NewDocumentsTally {
  const name = who(author);
  const authors = previous?.authors ?? [];
  const known = authors.includes(name);
  return {
    count: (previous?.count ?? 0) + count,
    authors: known || authors.length >= namedAuthors ? authors : [...authors, name],
    others: (previous?.others ?? false) || (!known && authors.length >= namedAuthors),
  };
}

/** How many documents were added and by whom; never which ones. */
export function newDocumentsNotice(tally: NewDocumentsTally): RecordNotice {
  const one = tally.count === 1;
  return {
    subject: one
      ? 'Un nouveau document a été ajouté à votre dossier médical'
      : `${tally.count} nouveaux documents ont été ajoutés à votre dossier médical`,
    topic: 'documents',
    body: (record) =>
      one
        ? `Un nouveau document a été ajouté à ${record} par ${byWhom(tally)}.`
        : `${tally.count} nouveaux documents ont été ajoutés à ${record} par ${byWhom(tally)}.`,
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

/** The patient, or for a minor their representatives (the patient if none is known). */
async function recipientsOf(db: Executor, person: InsuredPerson, now: Date): Promise<string[]> {
  const recipients = isMinorOn(person, now) ? await representativeEmails(db, person.id) : [];
  if (recipients.length === 0 && person.email) recipients.push(person.email);
  return recipients;
}

function noticeText(ctx: AppContext, person: InsuredPerson, notice: RecordNotice, now: Date): string {
  return (
    (isMinorOn(person, now)
      ? `Bonjour,\n\n${notice.body(`le dossier de ${displayName(person)}, dont vous êtes représentant légal,`)}`
      : `Bonjour ${displayName(person)},\n\n${notice.body('votre dossier')}`) +
    `\n\n` +
    `Retrouvez le détail dans votre espace : ${ctx.config.baseUrl}/connexion` +
    signature
  );
}

/** Queues the notice in the caller's transaction, to the patient or, for a minor, to their representatives. */
export async function notifyPatient(
  ctx: AppContext,
  db: Executor,
  person: InsuredPerson,
  notice: RecordNotice,
  now: Date,
): Promise<void> {
  if (notice.topic && !(await wantsNotification(db, person.id, notice.topic))) return;
  const text = noticeText(ctx, person, notice, now);
  for (const to of await recipientsOf(db, person, now)) {
    await enqueueEmail(ctx.config, db, { to, subject: notice.subject, text, patientId: person.id }, now);
  }
}

/**
 * Queues, in the caller's transaction, that `count` documents were added by `author`: joined to the e-mail
 * still waiting for this recipient (`CARNET_NOTICE_COALESCE_SECONDS`), so that a burst of deposits gives one
 * e-mail with the total. The key names the recipient by an HMAC, not in clear.
 */
export async function notifyNewDocuments(
  ctx: AppContext,
  db: Executor,
  person: InsuredPerson,
  count: number,
  author: Actor,
  now: Date,
): Promise<void> {
  if (!(await wantsNotification(db, person.id, 'documents'))) return;
  const notBefore = new Date(now.getTime() + ctx.config.noticeCoalesceSeconds * 1000);
  for (const to of await recipientsOf(db, person, now)) {
    const recipient = createHmac('sha256', deriveKey(ctx.config, 'notice-recipient'))
      .update(`notice-recipient:${to.trim().toLowerCase()}`)
      .digest('base64url')
      .slice(0, 22);
    await enqueueCoalescedEmail<NewDocumentsTally>(
      ctx.config,
      db,
      {
        to,
        patientId: person.id,
        key: `new-documents:${person.id}:${recipient}`,
        notBefore,
        compose: (previous) => {
          const state = addNewDocuments(previous, count, author);
          const notice = newDocumentsNotice(state);
          return { subject: notice.subject, text: noticeText(ctx, person, notice, now), state };
        },
      },
      now,
    );
  }
}
