import type { RecordSettings } from '../../access/record-policy.ts';
import { isProfessionCode, professionLabel } from '../../identity/index.ts';
import type { CdaDocument, CdaSection } from '../../record/cda/index.ts';
import { documentClasses } from '../../record/document-types.ts';
import type { RecordDocument } from '../../record/document.ts';
import type { AccessHistoryEntry, RecordProfessionalView } from '../../record/index.ts';

/** JSON shapes of the record pages (patient space and portal): display-ready, French labels included. */

export const professionOf = (code: string | undefined | null): string | null =>
  code ? (isProfessionCode(code) ? professionLabel(code) : code) : null;

const extensions: Readonly<Record<string, string>> = {
  'application/pdf': 'pdf',
  'text/xml': 'xml',
  'text/plain': 'txt',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/tiff': 'tif',
};

/** A file name safe in a header: letters, digits and dashes of the title, and the format's extension. */
export function fileNameOf(doc: RecordDocument): string {
  const base =
    doc.title
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'document';
  return `${base}.${extensions[doc.contentType] ?? 'bin'}`;
}

export function documentView(doc: RecordDocument, contentBase: string) {
  return {
    id: doc.id,
    title: doc.title,
    typeCode: doc.typeCode,
    typeDisplay: doc.typeDisplay,
    classCode: doc.classCode,
    classLabel: documentClasses[doc.classCode] ?? 'Autres documents',
    author: {
      kind: doc.author.kind,
      name: doc.author.name,
      nationalId: doc.author.nationalId ?? null,
      profession: professionOf(doc.author.professionCode),
      structure: doc.author.structureName ?? null,
    },
    createdAt: doc.createdAt,
    depositedAt: doc.depositedAt,
    serviceStart: doc.serviceStart ?? null,
    serviceEnd: doc.serviceEnd ?? null,
    status: doc.status,
    masked: doc.confidentiality.includes('MASQUE_PS'),
    invisiblePatient: doc.confidentiality.includes('INVISIBLE_PATIENT'),
    invisibleRepresentatives: doc.confidentiality.includes('INVISIBLE_REPRESENTANTS_LEGAUX'),
    uploadedByPatient: doc.author.kind === 'patient',
    contentType: doc.contentType,
    size: doc.size,
    contentUrl: `${contentBase}/${doc.id}/content`,
    viewUrl: doc.contentType === 'text/xml' ? `${contentBase}/${doc.id}/view` : null,
  };
}
export type DocumentView = ReturnType<typeof documentView>;

const newestFirst = (a: RecordDocument, b: RecordDocument) =>
  b.createdAt.localeCompare(a.createdAt) || b.depositedAt.localeCompare(a.depositedAt);

/** Documents grouped by category (class), each group newest first; groups ordered by their newest document. */
export function groupedByCategory(documents: readonly RecordDocument[], contentBase: string) {
  const groups = new Map<string, RecordDocument[]>();
  for (const doc of [...documents].sort(newestFirst)) {
    const group = groups.get(doc.classCode) ?? [];
    group.push(doc);
    groups.set(doc.classCode, group);
  }
  return [...groups].map(([classCode, docs]) => ({
    classCode,
    label: documentClasses[classCode] ?? 'Autres documents',
    documents: docs.map((d) => documentView(d, contentBase)),
  }));
}

export const settingLabels: Readonly<Record<keyof RecordSettings, { label: string; hint: string }>> = {
  maskNewDocuments: {
    label: 'Masquer par défaut les nouveaux documents',
    hint: 'Les documents déposés par les professionnels seront masqués dès leur arrivée ; vous pourrez les rendre visibles un par un.',
  },
  allowBrisDeGlace: {
    label: "Autoriser l'accès en urgence (bris de glace)",
    hint: "Un professionnel face à une situation d'urgence pourra consulter votre dossier en indiquant un motif ; vous serez prévenu(e) par e-mail.",
  },
  allowRegulation: {
    label: 'Autoriser l’accès du médecin régulateur du SAMU (centre 15)',
    hint: 'Lors d’un appel au centre 15, le médecin régulateur pourra consulter votre dossier ; vous serez prévenu(e) par e-mail.',
  },
  allowMaskedInEmergency: {
    label: 'En urgence, montrer aussi les documents masqués',
    hint: 'Lors d’un accès en urgence, les documents que vous avez masqués seront aussi visibles.',
  },
};

export function professionalView(p: RecordProfessionalView) {
  return {
    nationalId: p.nationalId,
    name: p.name,
    profession: professionOf(p.professionCode),
    status: p.status === 'blocked' ? 'blocked' : p.administrator ? 'administrateur' : 'authorised',
    administrator: p.administrator,
    blocked: p.status === 'blocked',
    firstAccessAt: p.firstAccessAt ?? null,
    lastAccessAt: p.lastAccessAt ?? null,
  };
}

const actionLabels: Readonly<Record<string, string>> = {
  search: 'Recherche dans le dossier',
  read: 'Consultation d’un document',
  retrieve: 'Ouverture d’un document',
  deposit: 'Dépôt d’un document',
  replace: 'Remplacement d’un document',
  archive: 'Archivage d’un document',
  delete: 'Suppression d’un document',
  mask: 'Masquage d’un document',
  unmask: 'Démasquage d’un document',
  block: 'Blocage d’un professionnel',
  unblock: 'Déblocage d’un professionnel',
  'name-administrator': 'Désignation d’un administrateur',
  'remove-administrator': 'Retrait d’un administrateur',
  consent: 'Déclaration de votre consentement',
  settings: 'Modification des paramètres d’accès',
  'history-read': 'Consultation de l’historique',
  'emergency-start': 'Début d’un accès en urgence',
  'emergency-end': 'Fin d’un accès en urgence',
};
const modeLabels: Readonly<Record<string, string>> = {
  normal: 'Accès normal',
  'bris-de-glace': 'Urgence (bris de glace)',
  'centre-de-regulation': 'Centre de régulation (SAMU)',
  patient: 'Vous-même',
  system: 'Système',
};
const outcomeLabels: Readonly<Record<string, string>> = {
  success: 'Autorisé',
  denied: 'Refusé',
  error: 'Erreur',
};

export function historyView(entry: AccessHistoryEntry) {
  return {
    at: entry.at,
    actorName: entry.actorName,
    actorProfession: professionOf(entry.actorProfession),
    action: entry.action,
    actionLabel: actionLabels[entry.action] ?? entry.action,
    documentTitle: entry.documentTitle ?? null,
    accessMode: entry.accessMode,
    accessModeLabel: modeLabels[entry.accessMode] ?? entry.accessMode,
    outcome: entry.outcome,
    outcomeLabel: outcomeLabels[entry.outcome] ?? entry.outcome,
    reason: entry.reason ?? null,
  };
}

const sectionView = (s: CdaSection): unknown => ({
  title: s.title ?? null,
  code: s.code ?? null,
  blocks: s.blocks,
  entries: s.entries,
  sections: s.sections.map(sectionView),
});

/** A CDA as the patient reads it: the header's facts and the narrative sections (plain strings, never markup). */
export function cdaView(cda: CdaDocument, embeddedUrl: string) {
  const h = cda.header;
  return {
    title: h.title,
    type: h.type,
    effectiveTime: h.effectiveTime ?? null,
    serviceStart: h.serviceStart ?? null,
    serviceEnd: h.serviceEnd ?? null,
    patient: h.patient,
    authors: h.authors.map((a) => ({
      name: a.name ?? null,
      profession: a.profession?.display ?? null,
      organization: a.organizationName ?? null,
    })),
    custodian: h.custodianName ?? null,
    sections: cda.sections.map(sectionView),
    embedded: cda.nonXmlBody ? { mediaType: cda.nonXmlBody.mediaType, url: embeddedUrl } : null,
  };
}
