import { codeSystemName } from './code-systems.ts';
import { hl7TimeToIso } from './dates.ts';
import type {
  CdaCoding,
  CdaEntry,
  CdaEntryKind,
  CdaPeriod,
  CdaProduct,
  CdaQuantity,
  CdaValue,
} from './types.ts';
import { all, attr, first, kids, nameOf, optionalText, textOf, type XmlNode } from './xml.ts';

/**
 * Coded entries of a section as small trees of plain values (never markup). Nested statements
 * (`entryRelationship`, organizer `component`) are read down to MAX_ENTRY_DEPTH levels: real documents nest 3 or 4,
 * and an entry deeper than that says nothing a reader could follow.
 */
export const MAX_ENTRY_DEPTH = 6;

const STATEMENT_KINDS: ReadonlySet<string> = new Set<CdaEntryKind>([
  'observation',
  'act',
  'procedure',
  'substanceAdministration',
  'supply',
  'encounter',
  'organizer',
]);

const LOINC = '2.16.840.1.113883.6.1';
/** IHE PCC status observation: its value is the clinical status of the problem or allergy holding it. */
const STATUS_OBSERVATION = '33999-4';

/** The section narrative's texts by `ID`, for `reference/@value="#ID"`. */
type Narrative = ReadonlyMap<string, string>;

function narrativeIds(text: XmlNode | undefined): Narrative {
  const ids = new Map<string, string>();
  const visit = (node: XmlNode) => {
    const id = attr(node, 'ID');
    if (id && !ids.has(id)) {
      const content = textOf(node);
      if (content) ids.set(id, content);
    }
    kids(node).forEach(visit);
  };
  kids(text).forEach(visit);
  return ids;
}

/** The narrative text a `reference` child of `node` points to. */
function referenced(node: XmlNode | undefined, narrative: Narrative): string | undefined {
  const target = attr(first(node, 'reference'), 'value');
  return target?.startsWith('#') ? narrative.get(target.slice(1)) : undefined;
}

/** A `text` or `originalText`: the narrative it references, else its own words. */
function wording(node: XmlNode | undefined, narrative: Narrative): string | undefined {
  return referenced(node, narrative) ?? optionalText(node);
}

function codingOf(node: XmlNode | undefined): CdaCoding | undefined {
  if (!node) return undefined;
  const code = attr(node, 'code');
  const nullFlavor = attr(node, 'nullFlavor');
  if (!code && !nullFlavor) return undefined;
  const system = attr(node, 'codeSystem');
  return {
    code,
    system,
    systemName: code ? codeSystemName(system, attr(node, 'codeSystemName')) : undefined,
    display: attr(node, 'displayName')?.replace(/\s+/g, ' ').trim() || undefined,
    nullFlavor: code ? undefined : nullFlavor,
  };
}

/** A coded element with what its `originalText` says when it has no display of its own. */
function describedCoding(node: XmlNode | undefined, narrative: Narrative): CdaCoding | undefined {
  const coding = codingOf(node);
  const original = wording(first(node, 'originalText'), narrative);
  if (!coding) return original ? { ...noCode, display: original } : undefined;
  return coding.display || !original ? coding : { ...coding, display: original };
}

const noCode: CdaCoding = {
  code: undefined,
  system: undefined,
  systemName: undefined,
  display: undefined,
  nullFlavor: undefined,
};

function periodOf(node: XmlNode | undefined): CdaPeriod | undefined {
  if (!node) return undefined;
  const at = hl7TimeToIso(attr(node, 'value'));
  const low = hl7TimeToIso(attr(first(node, 'low'), 'value'));
  const high = hl7TimeToIso(attr(first(node, 'high'), 'value'));
  return at || low || high ? { at, low, high } : undefined;
}

function quantityOf(node: XmlNode | undefined): CdaQuantity | undefined {
  const value = attr(node, 'value');
  return value ? { value, unit: attr(node, 'unit') } : undefined;
}

/** A value read by its `xsi:type` (the parser drops the `xsi:` prefix). */
function valueOf(node: XmlNode | undefined, narrative: Narrative): CdaValue | undefined {
  if (!node) return undefined;
  const type = attr(node, 'type') ?? '';
  if (['PQ', 'INT', 'REAL', 'MO'].includes(type) || (!type && attr(node, 'value'))) {
    const quantity = quantityOf(node);
    return quantity ? { kind: 'quantity', quantity } : undefined;
  }
  if (type === 'IVL_PQ' || (!type && (first(node, 'low') || first(node, 'high')))) {
    const low = quantityOf(first(node, 'low'));
    const high = quantityOf(first(node, 'high'));
    return low || high ? { kind: 'range', low, high } : undefined;
  }
  if (['CD', 'CE', 'CV', 'CO', 'CS'].includes(type)) {
    const coding = describedCoding(node, narrative);
    return coding ? { kind: 'coded', coding } : undefined;
  }
  if (type === 'BL') {
    const value = attr(node, 'value');
    return value === 'true' || value === 'false' ? { kind: 'boolean', value: value === 'true' } : undefined;
  }
  if (type === 'TS' || type === 'IVL_TS') {
    const period = periodOf(node);
    return period ? { kind: 'time', period } : undefined;
  }
  // ST, ED and other textual types: their words (or the narrative they reference), never their markup.
  const text = wording(node, narrative);
  return text ? { kind: 'text', text } : undefined;
}

const periodUnits: Readonly<Record<string, [singular: string, plural: string]>> = {
  min: ['minute', 'minutes'],
  h: ['heure', 'heures'],
  d: ['jour', 'jours'],
  wk: ['semaine', 'semaines'],
  mo: ['mois', 'mois'],
  a: ['an', 'ans'],
};

/** `PIVL_TS` period in French (« 1 fois par jour », « toutes les 12 heures »), or the narrative's own wording. */
function frequencyOf(times: XmlNode[], narrative: Narrative): string | undefined {
  for (const time of times) {
    const type = attr(time, 'type');
    if (type === 'EIVL_TS') {
      const event = first(time, 'event');
      return attr(event, 'displayName') ?? attr(event, 'code');
    }
    if (type !== 'PIVL_TS') continue;
    const period = first(time, 'period');
    const told = wording(first(period, 'translation', 'originalText'), narrative);
    if (told) return told;
    const value = attr(period, 'value');
    const unit = attr(period, 'unit');
    if (!value || !unit) continue;
    const names = periodUnits[unit];
    if (!names) return `toutes les ${value} ${unit}`;
    if (value === '1') return `1 fois par ${names[0]}`;
    return `${unit === 'wk' || unit === 'h' || unit === 'min' ? 'toutes les' : 'tous les'} ${value} ${names[1]}`;
  }
  return undefined;
}

function productOf(material: XmlNode | undefined, narrative: Narrative): CdaProduct | undefined {
  if (!material) return undefined;
  const code = first(material, 'code');
  const main = describedCoding(code, narrative);
  const translations = all(code, 'translation').flatMap((t) => codingOf(t) ?? []);
  const name = optionalText(first(material, 'name'));
  const codings = [...(main ? [main] : []), ...translations];
  if (codings.length === 0 && !name) return undefined;
  return { codings, name, lot: optionalText(first(material, 'lotNumberText')) };
}

/** The medication, vaccine, device or allergy agent an entry is about. */
function entryProduct(statement: XmlNode, narrative: Narrative): CdaProduct | undefined {
  for (const holder of ['consumable', 'product'])
    for (const product of all(statement, holder)) {
      const found = productOf(first(product, 'manufacturedProduct', 'manufacturedMaterial'), narrative);
      if (found) return found;
    }
  // Consumed agents (an allergy's) and devices; other participants are places and people, not products.
  for (const participant of all(statement, 'participant')) {
    if (!['CSM', 'DEV'].includes(attr(participant, 'typeCode') ?? '')) continue;
    const role = first(participant, 'participantRole');
    const found = productOf(first(role, 'playingEntity') ?? first(role, 'playingDevice'), narrative);
    if (found) return found;
  }
  return undefined;
}

const isStatusObservation = (statement: XmlNode) => {
  const code = first(statement, 'code');
  return (
    nameOf(statement) === 'observation' &&
    attr(code, 'code') === STATUS_OBSERVATION &&
    attr(code, 'codeSystem') === LOINC
  );
};

/** The clinical statements an entry holds, each with its relation (`entryRelationship`, organizer `component`). */
function nestedStatements(statement: XmlNode): { relation: string | undefined; node: XmlNode }[] {
  return kids(statement)
    .filter((k) => nameOf(k) === 'entryRelationship' || nameOf(k) === 'component')
    .flatMap((holder) =>
      kids(holder)
        .filter((k) => STATEMENT_KINDS.has(nameOf(k) ?? ''))
        .map((node) => ({ relation: attr(holder, 'typeCode'), node })),
    );
}

function labelOf(statement: XmlNode, kind: CdaEntryKind, parts: Partial<CdaEntry>, narrative: Narrative) {
  const code = first(statement, 'code');
  const valueCoding = parts.value?.kind === 'coded' ? parts.value.coding : undefined;
  return (
    wording(first(statement, 'text'), narrative) ??
    wording(first(code, 'originalText'), narrative) ??
    (kind === 'substanceAdministration' || kind === 'supply'
      ? (parts.product?.codings[0]?.display ?? parts.product?.name)
      : undefined) ??
    valueCoding?.display ??
    attr(code, 'displayName')
  );
}

function readEntry(
  statement: XmlNode,
  relation: string | undefined,
  depth: number,
  narrative: Narrative,
): CdaEntry {
  const kind = nameOf(statement) as CdaEntryKind;
  const times = all(statement, 'effectiveTime');
  const plainTime = times.find((t) => !['PIVL_TS', 'EIVL_TS'].includes(attr(t, 'type') ?? ''));
  const nested = depth < MAX_ENTRY_DEPTH ? nestedStatements(statement) : [];
  const statusObservation = nested.find((n) => isStatusObservation(n.node))?.node;
  const value = valueOf(first(statement, 'value'), narrative);
  const product = entryProduct(statement, narrative);
  const label = labelOf(statement, kind, { value, product }, narrative);
  return {
    kind,
    relation,
    negated: attr(statement, 'negationInd') === 'true',
    code: describedCoding(first(statement, 'code'), narrative),
    label,
    status: attr(first(statement, 'statusCode'), 'code'),
    clinicalStatus: statusObservation
      ? describedCoding(first(statusObservation, 'value'), narrative)
      : undefined,
    effective: periodOf(plainTime),
    value,
    interpretation: codingOf(first(statement, 'interpretationCode')),
    referenceRange: valueOf(first(statement, 'referenceRange', 'observationRange', 'value'), narrative),
    product,
    route: describedCoding(first(statement, 'routeCode'), narrative),
    dose: valueOf(first(statement, 'doseQuantity'), narrative),
    frequency: frequencyOf(times, narrative),
    relative: describedCoding(first(statement, 'subject', 'relatedSubject', 'code'), narrative),
    entries: nested
      .filter((n) => n.node !== statusObservation)
      .map((n) => readEntry(n.node, n.relation, depth + 1, narrative)),
  };
}

/**
 * The coded entries of a section (`section/entry`), their labels resolved into the section's narrative.
 * An entry holding only a file (`observationMedia`) or an unknown class is left out.
 */
export function sectionEntries(section: XmlNode): CdaEntry[] {
  const narrative = narrativeIds(first(section, 'text'));
  return all(section, 'entry').flatMap((entry) => {
    const statement = kids(entry).find((k) => STATEMENT_KINDS.has(nameOf(k) ?? ''));
    return statement ? [readEntry(statement, undefined, 1, narrative)] : [];
  });
}
