import type { RecordSettings } from '../../access/index.ts';
import { isProfessionCode, professionLabel } from '../../identity/index.ts';
import {
  type CdaCoding,
  type CdaDocument,
  type CdaEntry,
  type CdaEntryKind,
  type CdaPeriod,
  type CdaProduct,
  type CdaQuantity,
  type CdaSection,
  type CdaValue,
  type RecordDocument,
  accessModeLabels,
  emergencyModes,
  historyKindLabels,
  historyKinds,
  kindOfAction,
  labelOr,
  outcomeLabels,
  type AccessHistoryEntry,
  type HistoryActor,
  type RecordProfessionalView,
} from '../../record/index.ts';
import { documentClasses } from '../../terminology/index.ts';

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
    label: 'Autoriser l’accès en urgence (bris de glace)',
    hint: 'Un professionnel face à une situation d’urgence pourra consulter votre dossier en indiquant un motif ; vous serez prévenu(e) par e-mail.',
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

/** One line of the access history, in the patient's words: labels only, never a stored code shown as text. */
export function historyView(entry: AccessHistoryEntry) {
  return {
    at: entry.at,
    actorName: entry.actorName,
    actorKind: entry.actorKind,
    actorProfession: professionOf(entry.actorProfession),
    actorRole: entry.actorRole ?? null,
    action: entry.action,
    kind: Object.hasOwn(kindOfAction, entry.action) ? kindOfAction[entry.action] : null,
    actionLabel: entry.actionLabel,
    firstAccess: entry.firstAccess,
    documentTitle: entry.documentTitle ?? null,
    accessMode: entry.accessMode,
    accessModeLabel: labelOr(accessModeLabels, entry.accessMode, 'Accès'),
    emergency: emergencyModes.includes(entry.accessMode),
    outcome: entry.outcome,
    outcomeLabel: labelOr(outcomeLabels, entry.outcome, 'Résultat inconnu'),
    reason: entry.reason ?? null,
  };
}

/** The "who" and "kind" choices of the history's filters. */
export function historyChoices(actors: readonly HistoryActor[]) {
  return {
    actors: actors.map((a) => ({
      value: `${a.kind}:${a.id}`,
      kind: a.kind,
      name: a.name,
      profession: a.profession ?? null,
    })),
    kinds: historyKinds.map((kind) => ({ value: kind, label: historyKindLabels[kind] })),
  };
}

const statusLabels: Readonly<Record<string, string>> = {
  active: 'En cours',
  completed: 'Terminé',
  aborted: 'Interrompu',
  suspended: 'Suspendu',
  cancelled: 'Annulé',
  nullified: 'Annulé',
  held: 'En attente',
  new: 'Nouveau',
  obsolete: 'Obsolète',
};

const kindLabels: Readonly<Record<CdaEntryKind, string>> = {
  observation: 'Observation',
  act: 'Acte',
  procedure: 'Acte',
  substanceAdministration: 'Administration',
  supply: 'Dispositif',
  encounter: 'Rencontre',
  organizer: 'Groupe',
};

/** How a nested statement relates to the one holding it, when a reader needs to be told. */
const relationLabels: Readonly<Record<string, string>> = {
  RSON: 'Motif',
  CAUS: 'Réaction',
  MFST: 'Manifestation',
  REFR: 'Voir aussi',
};

/** UCUM annotations and units as a French reader writes them; others are shown as the document gives them. */
const unitLabels: Readonly<Record<string, string>> = {
  '{tablet}': 'comprimé(s)',
  '{tbl}': 'comprimé(s)',
  '{capsule}': 'gélule(s)',
  '{puff}': 'bouffée(s)',
  '{drop}': 'goutte(s)',
  '{pack}/a': 'paquets-années',
  '{drink}/d': 'verres par jour',
  'm[IU]/L': 'mUI/L',
  '[IU]': 'UI',
  '1': '',
};

const IMMUNIZATION_CODES = new Set(['IMMUNIZ', 'INITIMMUNIZ', 'BOOSTER']);

/** "CIM-10 I21.1"; a nullFlavor is said to be "non codé". */
/** HL7's own vocabularies (ActCode DRUG, ActClass…) say how the CDA is built, not what the patient has. */
const isHl7Structural = (c: CdaCoding): boolean => c.system?.startsWith('2.16.840.1.113883.5.') ?? false;

const codeText = (c: CdaCoding): string | undefined =>
  c.code ? `${c.systemName ?? ''} ${c.code}`.trim() : c.nullFlavor ? 'non codé' : undefined;

const quantityText = (q: CdaQuantity): string => {
  const unit = q.unit === undefined ? '' : (unitLabels[q.unit] ?? q.unit.replace(/[{}]/g, ''));
  return `${q.value} ${unit}`.trim();
};

function valueText(value: CdaValue): string | undefined {
  switch (value.kind) {
    case 'quantity':
      return quantityText(value.quantity);
    case 'range': {
      const { low, high } = value;
      if (low && high)
        return low.value === high.value && low.unit === high.unit
          ? quantityText(low)
          : `${low.value} à ${quantityText(high)}`;
      return low ? `au moins ${quantityText(low)}` : high ? `au plus ${quantityText(high)}` : undefined;
    }
    case 'coded':
      return value.coding.display ?? codeText(value.coding);
    case 'text':
      return value.text;
    case 'boolean':
      return value.value ? 'Oui' : 'Non';
    case 'time':
      return undefined;
  }
}

/** "PLAVIX 75 mg, comprimé pelliculé (CIS 63564053, CIP 3400938022209)". */
function productText(product: CdaProduct): string {
  const name = product.codings.find((c) => c.display)?.display ?? product.name;
  const codes = product.codings.flatMap((c) => codeText(c) ?? []).join(', ');
  return name && codes ? `${name} (${codes})` : (name ?? codes);
}

function productTerm(entry: CdaEntry): string {
  if (entry.kind === 'supply') return 'Dispositif';
  if (entry.kind === 'substanceAdministration')
    return IMMUNIZATION_CODES.has(entry.code?.code ?? '') ? 'Vaccin' : 'Médicament';
  return entry.kind === 'observation' ? 'Agent' : 'Produit';
}

export interface CdaFactView {
  readonly term: string;
  /** Either words or an ISO date (possibly partial: 2019, 2019-08) the web writes in French. */
  readonly text: string | null;
  readonly date: string | null;
  /** An abnormal result's interpretation, which a reader must not miss. */
  readonly alert?: true;
}

export interface CdaEntryView {
  readonly label: string;
  /** The relation to the entry holding it, when it says something ("Motif", "Réaction"). */
  readonly relation: string | null;
  /** The document states the absence of what the label names. */
  readonly negated: boolean;
  /** Its codes with their systems: "CIM-10 G45.9", "SNOMED CT 282291009", "non codé". */
  readonly codes: readonly string[];
  readonly facts: readonly CdaFactView[];
  readonly entries: readonly CdaEntryView[];
}

const fact = (term: string, text: string | undefined): CdaFactView[] =>
  text ? [{ term, text, date: null }] : [];
const dateFact = (term: string, date: string | undefined): CdaFactView[] =>
  date ? [{ term, text: null, date }] : [];

function periodFacts(period: CdaPeriod | undefined, term = 'Date'): CdaFactView[] {
  if (!period) return [];
  if (period.at) return dateFact(term, period.at);
  return [...dateFact('Début', period.low), ...dateFact('Fin', period.high)];
}

/** What a concern's act or a status-only wrapper passes to the statements it holds. */
interface Inherited {
  readonly status: string | undefined;
  readonly effective: CdaPeriod | undefined;
}

/**
 * A concern (IHE PCC: an uncoded act holding the problem or allergy) is only the frame of what it holds: its
 * statements are shown in its place, with its status and dates when they have none of their own.
 */
const isFrame = (e: CdaEntry) =>
  !e.code?.code &&
  !e.label &&
  !e.value &&
  !e.product &&
  !e.relative &&
  e.entries.length > 0 &&
  (e.kind === 'act' || e.kind === 'organizer');

function entryViews(entries: readonly CdaEntry[], inherited?: Inherited): CdaEntryView[] {
  return entries.flatMap((e) =>
    isFrame(e)
      ? entryViews(e.entries, { status: e.status, effective: e.effective })
      : [entryView(e, inherited)],
  );
}

/** HL7 ObservationInterpretation codes of an abnormal result (low, high, critical, abnormal, off scale). */
const abnormalInterpretations = new Set(['L', 'LL', 'H', 'HH', 'A', 'AA', 'LU', 'HU', '<', '>']);
const isAbnormal = (c: CdaCoding) =>
  c.system === '2.16.840.1.113883.5.83' && c.code !== undefined && abnormalInterpretations.has(c.code);

/** IHE severity (ActCode `SEV`): a trait of the problem or allergy it qualifies, shown as such. */
const isSeverity = (e: CdaEntry) => e.code?.code === 'SEV' && e.code.system === '2.16.840.1.113883.5.4';

function entryView(e: CdaEntry, inherited: Inherited | undefined): CdaEntryView {
  const severity = e.entries.find(isSeverity);
  const value = e.value ? valueText(e.value) : undefined;
  const valueCoding = e.value?.kind === 'coded' && e.value.coding.code ? e.value.coding : undefined;
  const label =
    e.label ??
    value ??
    e.code?.display ??
    e.product?.codings[0]?.display ??
    e.relative?.display ??
    kindLabels[e.kind];
  // A fixed `completed` says the record is complete, not the state of the problem or treatment: not shown.
  const ownStatus = e.status && e.status !== 'completed' ? statusLabels[e.status] : undefined;
  const status =
    e.clinicalStatus?.display ??
    e.clinicalStatus?.code ??
    (inherited?.status ? statusLabels[inherited.status] : undefined) ??
    ownStatus;
  return {
    label,
    relation: (e.relation && relationLabels[e.relation]) ?? null,
    negated: e.negated,
    // With a coded value (a problem's diagnosis, an allergy's agent), the entry's own code only says what kind of
    // statement it is ("interprétation diagnostique"): a fact, not the entry's code.
    codes: [valueCoding ?? e.code].flatMap((c) => (c && !isHl7Structural(c) && codeText(c)) || []),
    facts: [
      ...fact('Type', valueCoding && e.code && !isHl7Structural(e.code) ? e.code.display : undefined),
      ...fact('Valeur', value !== label ? value : undefined),
      ...(e.value?.kind === 'time' ? periodFacts(e.value.period, 'Valeur') : []),
      ...fact(
        'Lien de parenté',
        e.relative && label !== e.relative.display ? (e.relative.display ?? codeText(e.relative)) : undefined,
      ),
      ...periodFacts(e.effective ?? inherited?.effective),
      ...fact('Statut', status),
      ...fact(productTerm(e), e.product && productText(e.product)),
      ...fact('Lot', e.product?.lot),
      ...fact('Voie', e.route && (e.route.display ?? codeText(e.route))),
      ...fact('Dose', e.dose && valueText(e.dose)),
      ...fact('Fréquence', e.frequency),
      ...fact('Interprétation', e.interpretation && (e.interpretation.display ?? e.interpretation.code)).map(
        (f) => (e.interpretation && isAbnormal(e.interpretation) ? { ...f, alert: true as const } : f),
      ),
      ...fact('Valeurs de référence', e.referenceRange && valueText(e.referenceRange)),
      ...fact('Sévérité', severity?.value && valueText(severity.value)),
    ],
    entries: entryViews(e.entries.filter((child) => child !== severity)),
  };
}

export interface CdaSectionView {
  readonly title: string | null;
  readonly code: {
    readonly code: string;
    readonly system: string | undefined;
    readonly display: string | undefined;
  } | null;
  readonly blocks: CdaSection['blocks'];
  readonly entries: readonly CdaEntryView[];
  readonly sections: readonly CdaSectionView[];
}

/**
 * A section as readers see it: its heading, narrative and coded entries, then its subsections in order. An untitled
 * section is headed by its code's name, so that no content reads as belonging to the section before it.
 */
export const sectionView = (s: CdaSection): CdaSectionView => ({
  title: s.title ?? s.code?.display ?? null,
  code: s.code ?? null,
  blocks: s.blocks,
  entries: entryViews(s.entries),
  sections: s.sections.map(sectionView),
});

/**
 * A CDA as the patient and the portal read it: the header's facts and the sections in the document's order, each
 * with its narrative and its coded entries (plain strings, never markup).
 */
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
