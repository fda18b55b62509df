import { displayName, type InsuredPerson } from '../insured/index.ts';

/** French e-mails of the profile lifecycle. They never carry health data, only what to do next. */
const signature =
  '\n\nCeci est un message automatique, merci de ne pas y répondre.\nL’équipe Mon espace santé';

const dateFr = (date: Date) =>
  new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(date);

export const ACTIVATION_CODE_SUBJECT = 'Votre code provisoire Mon espace santé';

export function activationCodeEmail(
  person: InsuredPerson,
  code: string,
  expiresAt: Date,
  baseUrl: string,
): string {
  return (
    `Bonjour ${displayName(person)},\n\n` +
    `Votre profil Mon espace santé a été créé. Pour l’activer, rendez-vous sur ${baseUrl}/activation et saisissez :\n` +
    `- votre numéro de sécurité sociale,\n- le numéro de série de votre carte Vitale,\n` +
    `- le code provisoire suivant : ${code}\n\n` +
    `Ce code est valable jusqu’au ${dateFr(expiresAt)} et ne sert qu’une fois.\n` +
    `Si vous ne souhaitez pas de profil Mon espace santé, vous pouvez vous y opposer sur ${baseUrl}/opposition avec ce même code.` +
    signature
  );
}

export function childActivationCodeEmail(
  child: InsuredPerson,
  code: string,
  expiresAt: Date,
  baseUrl: string,
): string {
  return (
    `Bonjour,\n\nVous êtes représentant légal de ${displayName(child)}. Son profil Mon espace santé a été créé.\n` +
    `Pour l’activer, connectez-vous à votre propre profil sur ${baseUrl}/connexion, puis choisissez ` +
    `« Activer le profil de mon enfant » et saisissez son numéro de sécurité sociale et le code provisoire suivant : ${code}\n\n` +
    `Ce code est valable jusqu’au ${dateFr(expiresAt)} et ne sert qu’une fois.` +
    signature
  );
}

export const EMAIL_CHANGED_SUBJECT = 'L’adresse électronique de votre compte Mon espace santé a été modifiée';

/** Sent to the previous address: the new one is masked, enough for its owner to recognise it. */
export function emailChangedEmail(maskedNewEmail: string, baseUrl: string): string {
  return (
    `Bonjour,\n\nL’adresse électronique de votre compte Mon espace santé vient d’être remplacée par ` +
    `${maskedNewEmail}. Les codes de connexion et les notifications y seront désormais envoyés.\n\n` +
    `Si vous n’êtes pas à l’origine de ce changement, quelqu’un a accès à votre compte : connectez-vous sur ` +
    `${baseUrl}/connexion et changez votre mot de passe, ou contactez le service d’assistance de Mon espace santé.` +
    signature
  );
}
