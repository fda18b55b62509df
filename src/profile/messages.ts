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

const dateTimeFr = (date: Date) =>
  new Intl.DateTimeFormat('fr-FR', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Paris',
  }).format(date);

export const PASSWORD_RESET_CODE_SUBJECT = 'Votre code pour choisir un nouveau mot de passe Mon espace santé';

export function passwordResetCodeEmail(code: string, validityMinutes: number, baseUrl: string): string {
  return (
    `Bonjour,\n\nVous avez demandé à choisir un nouveau mot de passe pour votre compte Mon espace santé. ` +
    `Saisissez ce code sur la page ouverte pour votre demande : ${code}\n\n` +
    `Il est valable ${validityMinutes} minutes et ne sert qu’une fois.\n\n` +
    `Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : votre mot de passe ne change pas. ` +
    `Quelqu’un connaît alors votre numéro de sécurité sociale et votre carte Vitale ; en cas de doute, ` +
    `contactez le service d’assistance de Mon espace santé (${baseUrl}).` +
    signature
  );
}

export const PASSWORD_RESET_NOTICE_SUBJECT = 'Le mot de passe de votre compte Mon espace santé a été modifié';

/** Sent once a forgotten password was replaced: what happened, and what to do if it was not the person. */
export function passwordResetNoticeEmail(at: Date, baseUrl: string): string {
  return (
    `Bonjour,\n\nVotre mot de passe a été modifié le ${dateTimeFr(at)} (heure de Paris), avec la démarche ` +
    `« Mot de passe oublié ? ». Par sécurité, les connexions ouvertes sur vos appareils ont été fermées, et les ` +
    `services connectés à votre profil devront vous demander à nouveau votre accord.\n\n` +
    `Si vous n’êtes pas à l’origine de ce changement :\n` +
    `- choisissez tout de suite un nouveau mot de passe sur ${baseUrl}/mot-de-passe-oublie (il vous faut votre ` +
    `carte Vitale et l’accès à cette boîte e-mail) ;\n` +
    `- changez aussi le mot de passe de cette boîte e-mail, où arrivent vos codes ;\n` +
    `- puis vérifiez dans votre profil l’historique des accès et les services connectés, et contactez le service ` +
    `d’assistance de Mon espace santé.` +
    signature
  );
}
