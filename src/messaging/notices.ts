import type { AppContext } from '../app/index.ts';
import { displayName, isMinorOn, type InsuredPerson, representativeEmails } from '../insured/index.ts';
import { enqueueEmail } from '../mail/index.ts';
import { wantsNotification } from '../notifications/index.ts';
import type { Executor } from '../storage/index.ts';

const signature =
  '\n\nCeci est un message automatique, merci de ne pas y répondre.\nL’équipe Mon espace santé';

export const NEW_MESSAGE_SUBJECT = 'Vous avez reçu un message sur Mon espace santé';
export const INVITATION_SUBJECT = 'Un professionnel de santé vous a écrit : activez Mon espace santé';

/**
 * The e-mail for a new message: an invitation to activate (profile `created`) or a notification (`activated`).
 * Never the content, the subject or the sender: only that a health professional wrote (the Assurance Maladie's
 * brochure, step 2: docs/messaging.md, "Delivery").
 */
export function newMessageEmail(
  person: InsuredPerson,
  state: 'created' | 'activated',
  minor: boolean,
  baseUrl: string,
): { subject: string; text: string } {
  const greeting = minor
    ? `Bonjour,\n\nVous êtes représentant légal de ${displayName(person)}. Un professionnel de santé lui a écrit sur sa messagerie sécurisée Mon espace santé.`
    : `Bonjour ${displayName(person)},\n\nUn professionnel de santé vous a écrit sur votre messagerie sécurisée Mon espace santé.`;
  if (state === 'activated') {
    return {
      subject: NEW_MESSAGE_SUBJECT,
      text: `${greeting}\n\nPour lire ce message, connectez-vous : ${baseUrl}/connexion${signature}`,
    };
  }
  const how = minor
    ? `Pour le lire, activez son profil : connectez-vous à votre propre profil sur ${baseUrl}/connexion puis choisissez « Activer le profil de mon enfant ».`
    : `Pour le lire, activez votre profil Mon espace santé sur ${baseUrl}/activation avec votre carte Vitale. Le message vous attend : vous pourrez le lire dès l’activation.`;
  return { subject: INVITATION_SUBJECT, text: `${greeting}\n\n${how}${signature}` };
}

/** Queues the e-mail in the caller's transaction, to the patient or, for a minor, to their representatives. */
export async function notifyNewMessage(
  ctx: AppContext,
  db: Executor,
  person: InsuredPerson,
  state: 'created' | 'activated',
  now: Date,
): Promise<number> {
  // The invitation to activate always leaves; an activated patient may have turned message e-mails off.
  if (state === 'activated' && !(await wantsNotification(db, person.id, 'messages'))) return 0;
  const minor = isMinorOn(person, now);
  const recipients = minor ? await representativeEmails(db, person.id) : [];
  if (recipients.length === 0 && person.email) recipients.push(person.email);
  const email = newMessageEmail(person, state, minor && recipients[0] !== person.email, ctx.config.baseUrl);
  for (const to of recipients) {
    await enqueueEmail(
      ctx.config,
      db,
      { to, subject: email.subject, text: email.text, patientId: person.id },
      now,
    );
  }
  return recipients.length;
}
