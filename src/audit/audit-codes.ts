import type { Coding } from '@medplum/fhirtypes';
import type { AuditAccessMode, AuditAction } from './types.ts';

export const auditCodeSystems = {
  dicom: 'http://dicom.nema.org/resources/ontology/DCM',
  restful: 'http://hl7.org/fhir/restful-interaction',
  ihe: 'urn:ihe:event-type-code',
  sourceType: 'http://terminology.hl7.org/CodeSystem/security-source-type',
  entityType: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
  entityRole: 'http://terminology.hl7.org/CodeSystem/object-role',
  actReason: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
  /** Carnet's own codes: the exact action (finer than the REST interaction) and non-professional actors. */
  action: 'https://carnet.example.org/fhir/CodeSystem/audit-action',
  actor: 'https://carnet.example.org/fhir/NamingSystem/audit-actor',
} as const;

const S = auditCodeSystems;
const rest = (code: string): Coding => ({ system: S.restful, code });
const ihe = (code: string, display: string): Coding => ({ system: S.ihe, code, display });

/** French labels of the actions (the patient's access history speaks French). */
export const actionLabels: Record<AuditAction, string> = {
  search: 'Recherche de documents',
  read: 'Consultation',
  retrieve: 'Téléchargement',
  deposit: 'Ajout de document',
  replace: 'Remplacement de document',
  archive: 'Archivage',
  delete: 'Suppression',
  mask: 'Masquage',
  unmask: 'Démasquage',
  block: 'Blocage d’un professionnel',
  unblock: 'Déblocage d’un professionnel',
  'name-administrator': 'Désignation d’un médecin administrateur',
  'remove-administrator': 'Retrait d’un médecin administrateur',
  consent: 'Déclaration du consentement',
  settings: 'Modification des paramètres',
  'history-read': 'Consultation de l’historique',
  'message-read': 'Lecture d’un message',
  'message-reply': 'Réponse à un message',
  'profile-read': 'Consultation du profil médical',
  'profile-update': 'Modification du profil médical',
  'care-history-read': 'Consultation de l’histoire de santé',
  'care-history-import': 'Versement de l’Assurance Maladie',
  export: 'Export du dossier',
  'app-connect': 'Connexion d’un service',
  'app-revoke': 'Déconnexion d’un service',
  'agenda-read': 'Consultation de l’agenda',
  'agenda-update': 'Modification de l’agenda',
  'emergency-start': 'Début d’un accès en urgence',
  'emergency-end': 'Fin d’un accès en urgence',
  'password-reset': 'Réinitialisation du mot de passe',
  'password-change': 'Changement du mot de passe',
  'contact-change': 'Changement des coordonnées',
  activation: 'Activation du profil',
  organise: 'Classement de documents',
};

/** RESTful interaction, the IHE transaction where there is one, then Carnet's exact action. */
const interactions: Record<AuditAction, Coding[]> = {
  search: [rest('search-type'), ihe('ITI-67', 'Find Document References')],
  read: [rest('read')],
  retrieve: [rest('read'), ihe('ITI-68', 'Retrieve Document')],
  deposit: [rest('create'), ihe('ITI-65', 'Provide Document Bundle')],
  replace: [rest('create'), ihe('ITI-65', 'Provide Document Bundle')],
  archive: [rest('update')],
  delete: [rest('delete')],
  mask: [rest('patch')],
  unmask: [rest('patch')],
  block: [rest('update')],
  unblock: [rest('update')],
  'name-administrator': [rest('update')],
  'remove-administrator': [rest('update')],
  consent: [rest('create')],
  settings: [rest('update')],
  'history-read': [rest('search-type')],
  'message-read': [rest('read')],
  'message-reply': [rest('create')],
  'profile-read': [rest('search-type')],
  'profile-update': [rest('update')],
  'care-history-read': [rest('search-type')],
  'care-history-import': [rest('create')],
  export: [rest('search-system')],
  'app-connect': [rest('create')],
  'app-revoke': [rest('delete')],
  'agenda-read': [rest('search-type')],
  'agenda-update': [rest('update')],
  'emergency-start': [rest('create')],
  'emergency-end': [rest('update')],
  'password-reset': [rest('update')],
  'password-change': [rest('update')],
  'contact-change': [rest('update')],
  activation: [rest('update')],
  organise: [rest('update')],
};

export const actionCodes = Object.fromEntries(
  (Object.keys(interactions) as AuditAction[]).map((action) => [
    action,
    { subtype: [...interactions[action], { system: S.action, code: action, display: actionLabels[action] }] },
  ]),
) as Record<AuditAction, { subtype: Coding[] }>;

/** Why the record was opened (v3 ActReason): BTG for bris de glace, ETREAT for the regulation centre. */
export function purposeOf(mode: AuditAccessMode): Coding | undefined {
  switch (mode) {
    case 'bris-de-glace':
      return { system: S.actReason, code: 'BTG', display: 'break the glass' };
    case 'centre-de-regulation':
      return { system: S.actReason, code: 'ETREAT', display: 'Emergency Treatment' };
    case 'normal':
      return { system: S.actReason, code: 'TREAT', display: 'treatment' };
    case 'patient':
    case 'application':
      return { system: S.actReason, code: 'PATRQT', display: 'patient requested' };
    case 'system':
      return undefined;
  }
}
