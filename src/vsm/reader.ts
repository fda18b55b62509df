import {
  CdaError,
  parseCda,
  readCdaXml,
  all,
  attr,
  first,
  kids,
  nameOf,
  textOf,
  type XmlNode,
} from '../record/index.ts';
import { CarnetError } from '../shared/index.ts';
import { ABSENT_STYLE, DETAILS_STYLE } from './body.ts';
import { VSM_TYPE_CODE } from './cda-builder.ts';
import { codeSystemByOid, OTHER_SOCIAL_ELEMENT, relativeRoles, severityCodes } from './codes.ts';
import {
  sectionCoding,
  type FamilyRelative,
  type PartialDate,
  type VsmAllergySeverity,
  type VsmCode,
  type VsmCodeSystem,
  type VsmItem,
  type VsmValue,
} from './items.ts';
import { sectionKeyByCode } from './layout.ts';
import {
  emptyVsmSection,
  mapVsmSections,
  normalizeItem,
  normalizeLine,
  type VsmContent,
  type VsmSectionKey,
} from './model.ts';

/** TRE_A05 `SYNTH` (VSM 2023.01, the ANS example), or LOINC 60591-5 (Carnet's VSMs before 2023.01). */
export const vsmTypeCodes = [VSM_TYPE_CODE, '60591-5'] as const;

export const isVsmType = (code: string): boolean => (vsmTypeCodes as readonly string[]).includes(code);

/** One line of a section's narrative: its text, and the narrative IDs inside it (the entries point to them). */
interface Line {
  readonly text: string;
  readonly ids: readonly string[];
}

const idsIn = (node: XmlNode): string[] => [
  ...(attr(node, 'ID') ? [attr(node, 'ID')!] : []),
  ...kids(node).flatMap(idsIn),
];

const rawText = (node: XmlNode): string =>
  nameOf(node) === '#text' ? String(node['#text']) : kids(node).map(rawText).join('');

/** The text of every narrative element with an ID (what `reference value="#…"` resolves to). */
function textsById(node: XmlNode, into: Map<string, string>): Map<string, string> {
  const id = attr(node, 'ID');
  if (id) into.set(id, normalizeLine(textOf(node)));
  for (const child of kids(node)) textsById(child, into);
  return into;
}

/**
 * A section's narrative as items and free text: list items and table data rows (cells joined by ` | `) are items,
 * paragraphs the free text. Carnet marks what is not the doctor's words: an item's details, an empty section's notice.
 */
function linesOf(text: XmlNode | undefined): { items: Line[]; note: string[] } {
  const items: Line[] = [];
  const note: string[] = [];
  const rowText = (row: XmlNode) =>
    kids(row)
      .filter((c) => nameOf(c) === 'td' || nameOf(c) === 'th')
      .map((c) => normalizeLine(textOf(c)))
      .filter((c) => c !== '')
      .join(' | ');
  for (const block of kids(text)) {
    const name = nameOf(block);
    if (name === 'list') {
      for (const item of all(block, 'item')) {
        const words = kids(item).filter((k) => attr(k, 'styleCode') !== DETAILS_STYLE);
        items.push({ text: normalizeLine(words.map(rawText).join('')), ids: idsIn(item) });
      }
    } else if (name === 'table') {
      const body = [...all(block, 'tbody'), ...all(block, 'tfoot')].flatMap((b) => all(b, 'tr'));
      const rows = [...all(block, 'tr'), ...body];
      // A header row names the columns; the data rows are the items (a table with a header only lists its items there).
      const lines = rows.length > 0 ? rows : all(block, 'thead').flatMap((h) => all(h, 'tr'));
      for (const row of lines) items.push({ text: rowText(row), ids: idsIn(row) });
    } else if (name === 'paragraph') {
      if (attr(block, 'styleCode') !== ABSENT_STYLE) note.push(textOf(block));
    } else if (name !== '#text' || textOf(block) !== '') {
      note.push(textOf(block));
    }
  }
  return {
    items: items.filter((line) => line.text !== ''),
    note: note.map(normalizeLine).filter((line) => line !== ''),
  };
}

/** `20190811…` → `2019-08-11`, `201908` → `2019-08`: the precision the producer gave. */
function partialDate(node: XmlNode | undefined): PartialDate | undefined {
  const value = attr(node, 'value');
  const m = value ? /^(\d{4})(\d{2})?(\d{2})?/.exec(value) : null;
  if (!m) return undefined;
  return [m[1], m[2], m[3]].filter(Boolean).join('-');
}

/** A coded element in one of the item systems (absent-or-unknown codes and nullFlavors give nothing). */
function vsmCode(node: XmlNode | undefined, allowed: readonly VsmCodeSystem[]): VsmCode | undefined {
  const system = codeSystemByOid.get(attr(node, 'codeSystem') ?? '');
  const code = attr(node, 'code');
  if (!system || !code || !allowed.includes(system)) return undefined;
  return { system, code, display: normalizeLine(attr(node, 'displayName') ?? '') || code };
}

/** Depth-first search for the first descendant satisfying `test`. */
function find(node: XmlNode | undefined, test: (n: XmlNode) => boolean): XmlNode | undefined {
  for (const child of kids(node)) {
    if (test(child)) return child;
    const found = find(child, test);
    if (found) return found;
  }
  return undefined;
}
const hasTemplate = (root: string) => (n: XmlNode) =>
  all(n, 'templateId').some((t) => attr(t, 'root') === root);
const references = (node: XmlNode): string[] => [
  ...(nameOf(node) === 'reference' && attr(node, 'value')?.startsWith('#')
    ? [attr(node, 'value')!.slice(1)]
    : []),
  ...kids(node).flatMap(references),
];
const entryRelationships = (node: XmlNode | undefined, typeCode: string) =>
  all(node, 'entryRelationship').filter((r) => attr(r, 'typeCode') === typeCode);
const effectiveTime = (node: XmlNode | undefined) => first(node, 'effectiveTime');
const referencedText = (node: XmlNode | undefined, texts: Map<string, string>) => {
  const id = references(node ?? {})[0];
  return id ? texts.get(id) : undefined;
};

function valueOf(node: XmlNode | undefined): VsmValue | undefined {
  const value = first(node, 'value');
  const type = attr(value, 'xsi:type') ?? attr(value, 'type');
  if (type === 'PQ') {
    const quantity = Number(attr(value, 'value'));
    const unit = attr(value, 'unit') ?? '1';
    return Number.isFinite(quantity) ? { quantity, unit } : undefined;
  }
  if (type === 'CD' || type === 'CE') {
    const text = normalizeLine(attr(value, 'displayName') ?? '');
    return text === '' ? undefined : { text };
  }
  if (type === 'ST') {
    const text = normalizeLine(textOf(value));
    return text === '' ? undefined : { text };
  }
  return undefined;
}

const relativeByRole = new Map(Object.entries(relativeRoles).map(([k, v]) => [v.code, k as FamilyRelative]));
const severityByCode = new Map(
  Object.entries(severityCodes).map(([k, v]) => [v.code, k as VsmAllergySeverity]),
);

type ItemFields = Omit<VsmItem, 'text'>;

/** What an entry says of its item, in the fields the section takes. */
function fieldsOf(key: VsmSectionKey, entry: XmlNode, texts: Map<string, string>): ItemFields {
  const systems = sectionCoding[key].systems;
  const fields: { -readonly [K in keyof ItemFields]: ItemFields[K] } = {};
  const act = actOf(entry);
  const observation = (n: XmlNode | undefined) => first(n, 'entryRelationship', 'observation');
  switch (key) {
    case 'activeProblems':
    case 'personalHistory': {
      const problem = observation(act) ?? act;
      fields.code = vsmCode(first(problem, 'value'), systems);
      fields.start = partialDate(first(effectiveTime(problem), 'low'));
      fields.end = partialDate(first(effectiveTime(problem), 'high'));
      break;
    }
    case 'medicalHistory':
      fields.code = vsmCode(first(act, 'code'), systems);
      fields.start = partialDate(effectiveTime(act)) ?? partialDate(first(effectiveTime(act), 'low'));
      break;
    case 'allergies': {
      const allergy = observation(act) ?? act;
      fields.code =
        vsmCode(first(allergy, 'participant', 'participantRole', 'playingEntity', 'code'), systems) ??
        vsmCode(first(allergy, 'value'), systems);
      fields.start = partialDate(first(effectiveTime(allergy), 'low'));
      const reaction = entryRelationships(allergy, 'MFST')[0];
      fields.reaction = referencedText(first(reaction, 'observation', 'text'), texts);
      const severity = find(allergy, hasTemplate('1.3.6.1.4.1.19376.1.5.3.1.4.1'));
      fields.severity = severityByCode.get(attr(first(severity, 'value'), 'code') ?? '');
      break;
    }
    case 'riskFactors':
    case 'vitalSigns': {
      const measure = nameOf(act ?? {}) === 'organizer' ? first(act, 'component', 'observation') : act;
      const code = vsmCode(first(measure, 'code'), systems);
      fields.code = code?.code === OTHER_SOCIAL_ELEMENT.code ? undefined : code;
      fields.start = partialDate(effectiveTime(measure));
      fields.value = valueOf(measure);
      break;
    }
    case 'familyHistory': {
      const role = attr(first(act, 'subject', 'relatedSubject', 'code'), 'code');
      fields.relative = relativeByRole.get(role ?? '');
      fields.code = vsmCode(first(act, 'component', 'observation', 'value'), systems);
      break;
    }
    case 'treatments': {
      const material = first(act, 'consumable', 'manufacturedProduct', 'manufacturedMaterial', 'code');
      const product = vsmCode(material, ['CIS']);
      if (product) fields.product = product;
      fields.code = vsmCode(material, systems) ?? vsmCode(first(material, 'translation'), systems);
      const period = all(act, 'effectiveTime')[0];
      fields.start = partialDate(first(period, 'low'));
      fields.end = partialDate(first(period, 'high'));
      fields.route = vsmCode(first(act, 'routeCode'), ['EDQM']);
      const instructions = entryRelationships(act, 'SUBJ').find((r) =>
        hasTemplate('1.3.6.1.4.1.19376.1.5.3.1.4.3')(first(r, 'act') ?? {}),
      );
      fields.dosage = referencedText(first(instructions, 'act', 'text'), texts);
      break;
    }
    case 'occupationalRisks':
    case 'vigilance':
    case 'therapeuticProject':
      break;
  }
  // Only the fields the section takes (another producer may date the end of an active problem, say).
  const allowed = new Set<string>(sectionCoding[key].fields);
  return Object.fromEntries(
    Object.entries(fields).filter(([name, value]) => value !== undefined && allowed.has(name)),
  ) as ItemFields;
}

/** The act, observation, organizer… an entry holds. */
const actOf = (entry: XmlNode): XmlNode | undefined => kids(entry).find((k) => nameOf(k) !== '#text');

/** The entry's own reference: its `text`, else the first reference below it. */
function entryReference(entry: XmlNode): string | undefined {
  const act = actOf(entry);
  const direct = references(first(act, 'text') ?? {})[0];
  return direct ?? references(entry)[0];
}

interface SectionRead {
  readonly items: VsmItem[];
  readonly note: string[];
}

function readSection(key: VsmSectionKey, section: XmlNode, texts: Map<string, string>): SectionRead {
  const { items, note } = linesOf(first(section, 'text'));
  const lineOfId = new Map<string, number>();
  items.forEach((line, index) => line.ids.forEach((id) => lineOfId.set(id, index)));
  const fields = new Map<number, ItemFields>();
  for (const entry of all(section, 'entry')) {
    const id = entryReference(entry);
    const index = id === undefined ? undefined : lineOfId.get(id);
    if (index === undefined || fields.has(index)) continue;
    fields.set(index, fieldsOf(key, entry, texts));
  }
  return {
    items: items.map((line, index) => normalizeItem({ ...fields.get(index), text: line.text })),
    note,
  };
}

function sectionsIn(node: XmlNode | undefined): XmlNode[] {
  return all(node, 'component').flatMap((c) => all(c, 'section'));
}

/**
 * The VSM content of a CDA (Carnet's or another producer's, e.g. the ANS example): sections found by their LOINC
 * code at any depth, each narrative line an item, completed by the entry that points to it (codes, dates, values);
 * sections of other codes are left out (the generic CDA view shows them). Throws the API's 422 for text that is not
 * a readable CDA, and a CarnetError for a CDA that is not a VSM.
 */
export function readVsmContent(xml: string): VsmContent {
  const document = parseCda(xml);
  if (document instanceof CdaError) throw document.toCarnetError();
  if (!isVsmType(document.header.type.code)) {
    throw new CarnetError('unprocessable', 'not-vsm', 'Ce document n’est pas un volet de synthèse médicale.');
  }
  const nodes = readCdaXml(xml);
  const clinical =
    typeof nodes === 'string' ? undefined : nodes.find((n) => nameOf(n) === 'ClinicalDocument');
  const body = first(clinical, 'component', 'structuredBody');
  const texts = textsById(body ?? {}, new Map());
  const found = new Map<VsmSectionKey, SectionRead>();
  const visit = (section: XmlNode) => {
    const key = sectionKeyByCode.get(attr(first(section, 'code'), 'code') ?? '');
    if (key) {
      const part = readSection(key, section, texts);
      const sofar = found.get(key);
      found.set(
        key,
        sofar ? { items: [...sofar.items, ...part.items], note: [...sofar.note, ...part.note] } : part,
      );
    }
    sectionsIn(section).forEach(visit);
  };
  sectionsIn(body).forEach(visit);
  return mapVsmSections((k) => {
    const part = found.get(k);
    return part ? { items: part.items, note: part.note.join('\n') } : emptyVsmSection;
  });
}
