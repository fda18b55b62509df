/**
 * The one shape of an access decision, whoever asks (identity, record, document, profile, agenda, deposit): an
 * allowance says whether only an emergency mode allowed it and whether it reaches only the asker's own documents;
 * a refusal names its reason, from one list, each with the sentence a person is told.
 */
export type DenyReason =
  | 'record-closed'
  | 'blocked'
  | 'consent-required'
  | 'emergency-reason-required'
  | 'emergency-not-allowed'
  | 'not-regulator'
  | 'habilitation'
  | 'not-producer'
  | 'masked'
  | 'invisible'
  | 'not-own-record'
  | 'not-own-profile'
  | 'not-own-mailbox'
  | 'not-own-agenda'
  | 'profile-not-activated'
  | 'not-author'
  | 'patient-mask'
  | 'status'
  | 'role'
  | 'minor-directives'
  | 'scope';

export type Decision =
  | {
      readonly allowed: true;
      /** Allowed only by an emergency mode (bris de glace, regulation): the patient is told. */
      readonly emergency: boolean;
      /**
       * Allowed only for the documents the asking professional wrote: a deposit gives its author access to what
       * they deposited, never to the rest of the record (that takes the patient's consent, the médecin traitant
       * relationship or an emergency mode).
       */
      readonly ownDocumentsOnly?: true;
    }
  | { readonly allowed: false; readonly reason: DenyReason };

export const allow = (emergency = false): Decision => ({ allowed: true, emergency });
export const deny = (reason: DenyReason): Decision => ({ allowed: false, reason });

export const denyMessages: Record<DenyReason, string> = {
  'record-closed': 'Ce dossier n’est pas ouvert.',
  blocked: 'Le patient a bloqué votre accès à son dossier.',
  'consent-required': 'L’accès au dossier nécessite le consentement du patient.',
  'emergency-reason-required': 'L’accès en urgence (bris de glace) nécessite un motif.',
  'emergency-not-allowed': 'Le patient n’autorise pas ce mode d’accès en urgence.',
  'not-regulator':
    'L’accès du centre de régulation (SAMU – centre 15) est réservé aux médecins régulateurs : votre connexion ne vous donne pas ce rôle.',
  habilitation:
    'Ce document vous est masqué par la matrice d’habilitation : votre profession n’est pas habilitée à consulter ce type de document.',
  'not-producer':
    'Votre profession n’est pas habilitée à produire ce type de document (matrice d’habilitation : types réservés à certaines professions).',
  masked: 'Le patient a masqué ces informations aux professionnels.',
  invisible: 'Ce document n’est pas visible pour vous.',
  'not-own-record': 'Ce dossier n’est pas le vôtre.',
  'not-own-profile': 'Ce profil n’est pas le vôtre.',
  'not-own-mailbox': 'Cette messagerie n’est pas la vôtre.',
  'not-own-agenda': 'Cet agenda n’est pas le vôtre.',
  'profile-not-activated': 'Ce profil n’est pas encore activé.',
  'not-author': 'Seul l’auteur du document peut effectuer cette action.',
  'patient-mask':
    'Le patient a masqué ce document : seul le patient ou son représentant légal peut lever ce masquage.',
  status: 'L’état du document ne permet pas cette action.',
  role: 'Votre rôle ne permet pas cette action.',
  'minor-directives': 'Un mineur ne peut pas rédiger de directives anticipées.',
  scope: 'Le patient n’a pas autorisé cette application à effectuer cette action.',
};

/** Every refusal code, from the one list: a refusal's error code is its reason, whichever layer refuses. */
export const denyReasons = Object.keys(denyMessages) as readonly DenyReason[];

export const isDenyReason = (code: string): code is DenyReason => Object.hasOwn(denyMessages, code);
