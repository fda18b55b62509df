import { invalid } from '../shared/index.ts';
import { parseVsmItem, type VsmCode, type VsmItem, type VsmValue } from './items.ts';

/**
 * The Volet de Synthèse Médicale as the doctor writes it: the list of the Assurance Maladie's brochure (personal and
 * family history, treatments, allergies, main measurements, medical history, therapeutic project) laid out as in the
 * ANS model VSM 2023.01, each section a list of items (a line of text, coded where a code is known: items.ts) plus
 * an optional free text.
 */
export const vsmSectionKeys = [
  'activeProblems',
  'personalHistory',
  'medicalHistory',
  'allergies',
  'riskFactors',
  'occupationalRisks',
  'familyHistory',
  'vitalSigns',
  'vigilance',
  'treatments',
  'therapeuticProject',
] as const;
export type VsmSectionKey = (typeof vsmSectionKeys)[number];

export interface VsmSection {
  readonly items: readonly VsmItem[];
  /** Free text; lines separated by `\n`; '' when none. */
  readonly note: string;
}

export type VsmContent = { readonly [K in VsmSectionKey]: VsmSection };

export const vsmSectionLabels: Record<VsmSectionKey, string> = {
  activeProblems: 'Pathologies en cours',
  personalHistory: 'Antécédents personnels',
  medicalHistory: 'Historique médical (hospitalisations, interventions)',
  allergies: 'Allergies et intolérances',
  riskFactors: 'Facteurs de risque (mode de vie)',
  occupationalRisks: 'Facteurs de risque professionnels',
  familyHistory: 'Antécédents familiaux',
  vitalSigns: 'Principales constantes',
  vigilance: 'Points de vigilance',
  treatments: 'Traitements au long cours',
  therapeuticProject: 'Projet thérapeutique',
};

export const VSM_LIMITS = { items: 100, itemLength: 1000, noteLength: 10_000 } as const;

export const emptyVsmSection: VsmSection = { items: [], note: '' };

/** A content whose every section is `section(key)`. */
export function mapVsmSections(section: (key: VsmSectionKey) => VsmSection): VsmContent {
  return Object.fromEntries(vsmSectionKeys.map((k) => [k, section(k)])) as unknown as VsmContent;
}

export function emptyVsmContent(): VsmContent {
  return mapVsmSections(() => emptyVsmSection);
}

// XML 1.0 refuses these characters outright (controls, lone surrogates, U+FFFE/U+FFFF): they cannot reach a CDA.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** One item as the CDA narrative keeps it: a single line, blanks collapsed, no character XML refuses. */
export function normalizeLine(text: string): string {
  return text.replace(NOT_XML, '').replace(/\s+/g, ' ').trim();
}

/** Free text as the narrative keeps it: lines normalised, blank lines dropped. */
export function normalizeNote(text: string): string {
  return text
    .replace(NOT_XML, '')
    .split(/\r\n|\r|\n/)
    .map(normalizeLine)
    .filter((line) => line !== '')
    .join('\n');
}

/** A label nothing is left of reads as its code. */
const normalizeCode = (code: VsmCode): VsmCode => ({
  ...code,
  display: normalizeLine(code.display) || code.code,
});
const normalizeValue = (value: VsmValue): VsmValue | undefined => {
  if (!('text' in value)) return value;
  const text = normalizeLine(value.text);
  return text === '' ? undefined : { text };
};

/** One item as the CDA keeps it: every text a single line; optional texts left out when blank. */
export function normalizeItem(item: VsmItem): VsmItem {
  const normalized: { -readonly [K in keyof VsmItem]: VsmItem[K] } = {
    ...item,
    text: normalizeLine(item.text),
  };
  for (const field of ['reaction', 'dosage'] as const) {
    const text = item[field] === undefined ? '' : normalizeLine(item[field]);
    if (text === '') delete normalized[field];
    else normalized[field] = text;
  }
  for (const field of ['code', 'product', 'route'] as const) {
    const code = item[field];
    if (code) normalized[field] = normalizeCode(code);
  }
  const value = item.value && normalizeValue(item.value);
  if (value) normalized.value = value;
  else delete normalized.value;
  return normalized;
}

export function normalizeSection(section: VsmSection): VsmSection {
  return {
    items: section.items.map(normalizeItem).filter((item) => item.text !== ''),
    note: normalizeNote(section.note),
  };
}

export function normalizeVsmContent(content: VsmContent): VsmContent {
  return mapVsmSections((k) => normalizeSection(content[k]));
}

export const isVsmEmpty = (content: VsmContent): boolean =>
  vsmSectionKeys.every((k) => content[k].items.length === 0 && content[k].note === '');

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks what a client sent (`{ sections: { <key>: { items, note } } }` or the sections themselves) and returns it
 * normalised; absent sections are empty. Errors name the section in French.
 */
export function parseVsmContent(input: unknown): VsmContent {
  const body = isRecord(input) && isRecord(input.sections) ? input.sections : input;
  if (!isRecord(body)) throw invalid('vsm-invalid', 'Le contenu du volet de synthèse est invalide.');
  const unknown = Object.keys(body).find((k) => !(vsmSectionKeys as readonly string[]).includes(k));
  if (unknown !== undefined) {
    throw invalid('vsm-section-unknown', `Section inconnue : « ${unknown.slice(0, 40)} ».`, unknown);
  }
  const sections = vsmSectionKeys.map((key) => {
    const raw = body[key];
    if (raw === undefined) return [key, emptyVsmSection] as const;
    const label = vsmSectionLabels[key];
    const items: unknown = isRecord(raw) ? (raw.items ?? []) : undefined;
    const note: unknown = isRecord(raw) ? (raw.note ?? '') : undefined;
    if (!Array.isArray(items) || typeof note !== 'string') {
      throw invalid('vsm-section-invalid', `La section « ${label} » est invalide.`, key);
    }
    if (items.length > VSM_LIMITS.items) {
      throw invalid(
        'vsm-too-many-items',
        `La section « ${label} » compte plus de ${VSM_LIMITS.items} lignes.`,
        key,
      );
    }
    const section = normalizeSection({ items: items.map((i) => parseVsmItem(key, label, i)), note });
    if (section.items.some((i) => i.text.length > VSM_LIMITS.itemLength)) {
      throw invalid(
        'vsm-item-too-long',
        `Une ligne de la section « ${label} » dépasse ${VSM_LIMITS.itemLength} caractères.`,
        key,
      );
    }
    if (section.note.length > VSM_LIMITS.noteLength) {
      throw invalid(
        'vsm-note-too-long',
        `Le commentaire de la section « ${label} » dépasse ${VSM_LIMITS.noteLength} caractères.`,
        key,
      );
    }
    return [key, section] as const;
  });
  return Object.fromEntries(sections) as VsmContent;
}
