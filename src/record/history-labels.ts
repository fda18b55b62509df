import type {
  AuditAccessMode,
  AuditAction,
  AuditActorKind,
  AuditDetail,
  AuditOutcome,
  AuditTargetType,
} from '../audit/index.ts';

/**
 * The access history in the patient's words (docs/features.md, "Home and access history"): every action code a trace
 * may carry, said in plain French, grouped into the kinds of action the patient filters by. Pure: no storage, no
 * HTTP.
 */

/** The kinds of action the patient filters the history by. */
export type HistoryKind =
  | 'documents'
  | 'deposit'
  | 'document-changes'
  | 'messages'
  | 'agenda'
  | 'profile'
  | 'care-history'
  | 'apps'
  | 'emergency'
  | 'access-rights'
  | 'history-exports'
  | 'organisation';

/** Each kind's name in the filter, in the order offered. */
export const historyKindLabels: Readonly<Record<HistoryKind, string>> = {
  documents: 'Consultation de documents',
  deposit: 'Ajout de documents',
  'document-changes': 'Masquage, archivage ou suppression de documents',
  messages: 'Messagerie santé',
  agenda: 'Agenda santé',
  profile: 'Profil médical',
  'care-history': 'Histoire de santé (soins remboursés)',
  apps: 'Services connectés',
  emergency: 'Accès en urgence',
  'access-rights': 'Droits d’accès et réglages du dossier',
  'history-exports': 'Historique et téléchargements',
  organisation: 'Dossiers personnels et documents épinglés',
};

export const historyKinds = Object.keys(historyKindLabels) as HistoryKind[];

export const isHistoryKind = (value: unknown): value is HistoryKind =>
  typeof value === 'string' && Object.hasOwn(historyKindLabels, value);

/** The kind each action belongs to (a Record: a new action code does not compile until it is placed). */
export const kindOfAction: Readonly<Record<AuditAction, HistoryKind>> = {
  search: 'documents',
  read: 'documents',
  retrieve: 'documents',
  deposit: 'deposit',
  replace: 'deposit',
  archive: 'document-changes',
  delete: 'document-changes',
  mask: 'document-changes',
  unmask: 'document-changes',
  block: 'access-rights',
  unblock: 'access-rights',
  'name-administrator': 'access-rights',
  'remove-administrator': 'access-rights',
  consent: 'access-rights',
  settings: 'access-rights',
  'history-read': 'history-exports',
  'message-read': 'messages',
  'message-reply': 'messages',
  'profile-read': 'profile',
  'profile-update': 'profile',
  'care-history-read': 'care-history',
  'care-history-import': 'care-history',
  export: 'history-exports',
  'app-connect': 'apps',
  'app-revoke': 'apps',
  'agenda-read': 'agenda',
  'agenda-update': 'agenda',
  'emergency-start': 'emergency',
  'emergency-end': 'emergency',
  'password-reset': 'access-rights',
  'password-change': 'access-rights',
  'contact-change': 'access-rights',
  activation: 'access-rights',
  organise: 'organisation',
};

/** Access modes that make any trace an emergency access, whatever its action. */
export const emergencyModes: readonly AuditAccessMode[] = ['bris-de-glace', 'centre-de-regulation'];

/** The action codes of a kind (for the query). */
export const actionsOfKind = (kind: HistoryKind): AuditAction[] =>
  (Object.keys(kindOfAction) as AuditAction[]).filter((action) => kindOfAction[action] === kind);

/** What each action code means, as the patient reads it. */
export const historyActionLabels: Readonly<Record<AuditAction, string>> = {
  search: 'Recherche dans le dossier',
  read: 'Consultation d’un document',
  retrieve: 'Ouverture d’un document',
  deposit: 'Dépôt d’un document',
  replace: 'Remplacement d’un document par une nouvelle version',
  archive: 'Archivage d’un document',
  delete: 'Suppression d’un document',
  mask: 'Masquage d’un document',
  unmask: 'Démasquage d’un document',
  block: 'Blocage d’un professionnel',
  unblock: 'Déblocage d’un professionnel',
  'name-administrator': 'Désignation d’un médecin administrateur',
  'remove-administrator': 'Retrait d’un médecin administrateur',
  consent: 'Déclaration de votre consentement',
  settings: 'Modification des paramètres d’accès',
  'history-read': 'Consultation de l’historique des accès',
  'message-read': 'Lecture de la messagerie santé',
  'message-reply': 'Réponse à un message de la messagerie santé',
  'profile-read': 'Consultation du profil médical',
  'profile-update': 'Modification du profil médical',
  'care-history-read': 'Consultation de l’histoire de santé (soins remboursés)',
  'care-history-import': 'Versement des soins remboursés par l’Assurance Maladie',
  export: 'Téléchargement d’une copie du dossier',
  'app-connect': 'Connexion d’un service à votre profil',
  'app-revoke': 'Déconnexion d’un service',
  'agenda-read': 'Consultation de l’agenda santé',
  'agenda-update': 'Modification de l’agenda santé',
  'emergency-start': 'Début d’un accès en urgence',
  'emergency-end': 'Fin d’un accès en urgence',
  'password-reset': 'Réinitialisation de votre mot de passe (« mot de passe oublié »)',
  'password-change': 'Changement de votre mot de passe',
  'contact-change': 'Changement de vos coordonnées',
  activation: 'Activation du profil Mon espace santé',
  organise: 'Classement de vos documents',
};

/** A trace whose code is none of today's (an older version's, say): still said in French, never as its code. */
export const UNKNOWN_ACTION_LABEL = 'Autre action sur votre dossier';

const exportLabels: Readonly<Record<string, string>> = {
  'synthesis-pdf': 'Téléchargement de la synthèse du profil médical (PDF)',
  'record-zip': 'Téléchargement de tout le dossier médical (archive ZIP)',
  'history-pdf': 'Téléchargement de l’historique des accès (PDF)',
};

/** The patient's own organisation (src/record/folders.ts), one sentence per operation. */
const organiseLabels: Readonly<Record<string, string>> = {
  'folder-create': 'Création d’un dossier personnel',
  'folder-rename': 'Changement du nom d’un dossier personnel',
  'folder-delete': 'Suppression d’un dossier personnel (ses documents restent dans le dossier médical)',
  file: 'Classement d’un document dans un dossier personnel',
  unfile: 'Retrait d’un document d’un dossier personnel',
  pin: 'Épinglage d’un document',
  unpin: 'Désépinglage d’un document',
};

/**
 * The sentence for one trace: the action's label, made precise where the target says more (a profile section
 * masked rather than a document, the notification preferences rather than the record's settings, which export).
 */
export function historyActionLabel(
  action: string,
  targetType: AuditTargetType | undefined,
  detail: AuditDetail = {},
): string {
  if (!Object.hasOwn(historyActionLabels, action)) return UNKNOWN_ACTION_LABEL;
  const code = action as AuditAction;
  switch (code) {
    case 'mask':
    case 'unmask': {
      const verb = code === 'mask' ? 'Masquage' : 'Démasquage';
      if (targetType === 'ProfileSection') return `${verb} d’une rubrique du profil médical`;
      if (targetType === 'CareHistory') return `${verb} de l’histoire de santé`;
      if (targetType === 'Patient') return `${verb} de tous les documents`;
      break;
    }
    case 'read':
      if (targetType === 'List') return 'Consultation d’un lot de documents';
      break;
    case 'settings':
      if (detail.notifications !== undefined) return 'Modification des préférences de notification';
      break;
    case 'export': {
      const format = detail.format;
      if (typeof format === 'string' && Object.hasOwn(exportLabels, format)) return exportLabels[format]!;
      break;
    }
    case 'agenda-update':
      if (detail.feed === 'regenerated') return 'Nouveau lien d’abonnement à l’agenda santé';
      if (detail.feed === 'revoked') return 'Suppression du lien d’abonnement à l’agenda santé';
      if (detail.operation === 'create') return 'Ajout d’un rendez-vous ou d’un rappel à l’agenda santé';
      if (detail.operation === 'delete')
        return 'Suppression d’un rendez-vous ou d’un rappel de l’agenda santé';
      break;
    case 'profile-update':
      if (detail.source === 'insurer') return 'Versement de vaccinations par l’Assurance Maladie';
      break;
    case 'organise': {
      const operation = detail.operation;
      if (typeof operation === 'string' && Object.hasOwn(organiseLabels, operation))
        return organiseLabels[operation]!;
      break;
    }
    case 'app-revoke':
      if (detail.by === 'service') return 'Déconnexion d’un service à sa demande';
      break;
    default:
      break;
  }
  return historyActionLabels[code];
}

export const accessModeLabels: Readonly<Record<AuditAccessMode, string>> = {
  normal: 'Accès normal',
  'bris-de-glace': 'Urgence (bris de glace)',
  'centre-de-regulation': 'Centre de régulation (SAMU)',
  patient: 'Vous-même',
  application: 'Service connecté',
  system: 'Automatique',
};

export const outcomeLabels: Readonly<Record<AuditOutcome, string>> = {
  success: 'Autorisé',
  denied: 'Refusé',
  error: 'Erreur',
};

/** What an actor is, under their name (a professional's profession is said instead). */
export const actorKindLabels: Readonly<Record<AuditActorKind, string>> = {
  professional: 'Professionnel de santé',
  patient: 'Usager',
  representative: 'Représentant légal',
  insurer: 'Organisme d’assurance maladie',
  auditor: 'Contrôle de la sécurité du dossier',
  app: 'Service connecté',
  system: 'Mon espace santé',
};

/** A label from one of these tables, or a plain French fallback: never the stored code. */
export const labelOr = (labels: Readonly<Record<string, string>>, code: string, fallback: string): string =>
  Object.hasOwn(labels, code) ? labels[code]! : fallback;
