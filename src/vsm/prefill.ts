import type { MeasurementData, ProfileEntry, ProfileSection, SectionData } from '../medical-profile/index.ts';
import { lifestyleTopicCodes, measurementKinds } from '../medical-profile/index.ts';
import type { FamilyRelative, PartialDate, VsmCode, VsmItem } from './items.ts';
import { mapVsmSections, normalizeVsmContent, type VsmContent, type VsmSectionKey } from './model.ts';

/** The profile sections a VSM draws on (contacts and wishes are not a medical synthesis). */
export const prefillSections: readonly ProfileSection[] = [
  'conditions',
  'disabilities',
  'hospitalisations',
  'allergies',
  'family-history',
  'treatments',
  'lifestyle',
  'measurements',
  'blood-group',
];

/** YYYY-MM-DD (or an ISO instant) → DD/MM/YYYY, as French doctors write dates. */
export function frenchDate(iso: string | undefined): string | undefined {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})/.exec(iso) : null;
  return m ? `${m[3]}/${m[2]}/${m[1]}` : undefined;
}

const join = (...parts: (string | undefined | false)[]) => parts.filter(Boolean).join(' ');

const relations: Record<SectionData['family-history']['relation'], string> = {
  mother: 'Mère',
  father: 'Père',
  sibling: 'Frère ou sœur',
  grandparent: 'Grand-parent',
  child: 'Enfant',
  'uncle-aunt': 'Oncle ou tante',
  other: 'Autre apparenté',
};
const allergyKinds = {
  medication: 'médicamenteuse',
  food: 'alimentaire',
  environment: 'environnementale',
  biologic: 'biologique',
} as const;
const lifestyleTopics: Record<SectionData['lifestyle']['topic'], string> = {
  tobacco: 'Tabac',
  alcohol: 'Alcool',
  'physical-activity': 'Activité physique',
  diet: 'Alimentation',
  sleep: 'Sommeil',
  other: 'Mode de vie',
};

/** French decimals (6,7 %), as the doctor and the patient read them. */
const french = (n: number) => n.toLocaleString('fr-FR', { maximumFractionDigits: 2 });

/** `YYYY-MM-DD…` (or a partial date) → the item's partial date; undefined when it is none. */
function partial(date: string | undefined): PartialDate | undefined {
  const m = date ? /^\d{4}(-\d{2}(-\d{2})?)?/.exec(date) : null;
  return m ? m[0] : undefined;
}

/** Only the fields that have a value (the items' optional fields are absent, never undefined). */
function item(fields: { [K in keyof VsmItem]: VsmItem[K] | undefined }): VsmItem {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as unknown as VsmItem;
}

/** A profile entry's CIM-10 code as a VSM code. */
type Coded = { readonly code: string; readonly display: string };
const cim10 = (coded: Coded | undefined): VsmCode | undefined =>
  coded && { system: 'CIM-10', code: coded.code, display: coded.display };

const relatives: Record<SectionData['family-history']['relation'], FamilyRelative> = {
  mother: 'mother',
  father: 'father',
  sibling: 'sibling',
  grandparent: 'grandparent',
  child: 'child',
  'uncle-aunt': 'relative',
  other: 'relative',
};

/** The latest measurement of a kind as main constants: LOINC and UCUM; a blood pressure is its two readings. */
function measurementItems(data: MeasurementData): VsmItem[] {
  const info = measurementKinds[data.kind];
  const date = `(${frenchDate(data.at) ?? data.at})`;
  const start = partial(data.at);
  if (data.kind === 'blood-pressure' && data.value2 !== undefined) {
    return [
      ['8480-6', 'Pression artérielle systolique', data.value],
      ['8462-4', 'Pression artérielle diastolique', data.value2],
    ].map(([code, display, value]) =>
      item({
        text: `${display as string} : ${french(value as number)} ${info.unitLabel} ${date}`,
        code: { system: 'LOINC', code: code as string, display: display as string },
        value: { quantity: value as number, unit: info.unit },
        start,
      }),
    );
  }
  return [
    item({
      text: `${info.label} : ${french(data.value)} ${info.unitLabel} ${date}`,
      code: { system: 'LOINC', code: info.loinc, display: info.label },
      value: { quantity: data.value, unit: info.unit },
      start,
    }),
  ];
}

/** Where one profile entry goes in the VSM, and how it reads; undefined when it has no place there. */
function itemOf(entry: ProfileEntry, today: string): [VsmSectionKey, VsmItem] | undefined {
  switch (entry.section) {
    case 'conditions': {
      const d = entry.data as SectionData['conditions'];
      const text = join(d.label, d.note && `– ${d.note}`);
      const code = cim10(d.cim10);
      if (d.resolvedOn) {
        return ['personalHistory', item({ text, code, start: partial(d.since), end: partial(d.resolvedOn) })];
      }
      return ['activeProblems', item({ text, code, start: partial(d.since) })];
    }
    case 'disabilities': {
      const d = entry.data as SectionData['disabilities'];
      return ['activeProblems', item({ text: `Handicap : ${d.label}`, start: partial(d.since) })];
    }
    case 'hospitalisations': {
      const d = entry.data as SectionData['hospitalisations'];
      const period =
        d.endDate && d.endDate !== d.startDate
          ? `du ${frenchDate(d.startDate)} au ${frenchDate(d.endDate)}`
          : `le ${frenchDate(d.startDate)}`;
      return [
        'medicalHistory',
        item({
          text: join(`Hospitalisation ${period} :`, d.reason, d.place && `(${d.place})`),
          start: partial(d.startDate),
        }),
      ];
    }
    case 'allergies': {
      const d = entry.data as SectionData['allergies'];
      return [
        'allergies',
        item({
          text: `${d.substance} (allergie ${allergyKinds[d.category]})`,
          code: d.code && { system: d.code.system, code: d.code.code, display: d.code.display },
          reaction: d.reaction,
          severity: d.severity,
          start: partial(d.since),
        }),
      ];
    }
    case 'family-history': {
      const d = entry.data as SectionData['family-history'];
      return [
        'familyHistory',
        item({
          text: join(
            `${relations[d.relation]} : ${d.condition}`,
            d.ageAtOnset !== undefined && `(à ${d.ageAtOnset} ans)`,
            d.note && `– ${d.note}`,
          ),
          code: cim10(d.cim10),
          relative: relatives[d.relation],
        }),
      ];
    }
    case 'treatments': {
      const d = entry.data as SectionData['treatments'];
      if (d.endDate && d.endDate < today) return undefined; // a finished treatment is no long-term treatment
      return [
        'treatments',
        item({
          text: join(d.medication, d.reason && `(motif : ${d.reason})`),
          code: d.atc && { system: 'ATC', code: d.atc.code, display: d.atc.display },
          dosage: d.dosage,
          start: partial(d.startDate),
          end: partial(d.endDate),
        }),
      ];
    }
    case 'lifestyle': {
      const d = entry.data as SectionData['lifestyle'];
      const topic = lifestyleTopicCodes[d.topic];
      const code: VsmCode | undefined = topic && { system: 'LOINC', ...topic };
      return [
        'riskFactors',
        item({
          text: `${lifestyleTopics[d.topic]} : ${d.description}`,
          code,
          value: code && { text: d.description },
          start: partial(d.since),
        }),
      ];
    }
    case 'blood-group': {
      const d = entry.data as SectionData['blood-group'];
      return ['vigilance', { text: `Groupe sanguin : ${d.abo} ${d.rhesus === 'positive' ? 'Rh+' : 'Rh−'}` }];
    }
    default:
      return undefined;
  }
}

/** The profile as VSM items: one per entry, coded where the profile knows the code; the latest measurements. */
export function contentFromProfile(entries: readonly ProfileEntry[], now: Date): VsmContent {
  const today = now.toISOString().slice(0, 10);
  const items = new Map<VsmSectionKey, VsmItem[]>();
  const add = (key: VsmSectionKey, added: VsmItem) => items.set(key, [...(items.get(key) ?? []), added]);
  const latest = new Map<string, MeasurementData>();
  for (const entry of entries) {
    if (entry.section === 'measurements') {
      const data = entry.data as MeasurementData;
      const known = latest.get(data.kind);
      if (!known || known.at < data.at) latest.set(data.kind, data);
      continue;
    }
    const found = itemOf(entry, today);
    if (found) add(...found);
  }
  for (const data of latest.values()) measurementItems(data).forEach((i) => add('vitalSigns', i));
  return normalizeVsmContent(mapVsmSections((k) => ({ items: items.get(k) ?? [], note: '' })));
}

const sameText = (item: VsmItem) => item.text.toLocaleLowerCase('fr').replace(/\s+/g, ' ').trim();
const sameCode = (item: VsmItem) => (item.code ? `${item.code.system}|${item.code.code}` : undefined);

/**
 * The previous VSM first (the doctor's own words), then what the profile adds that it does not already say (same
 * text, or same code).
 */
export function mergeContents(previous: VsmContent, profile: VsmContent): VsmContent {
  return mapVsmSections((k) => {
    const seen = new Set(previous[k].items.flatMap((i) => [sameText(i), sameCode(i) ?? []].flat()));
    const added = profile[k].items.filter((i) => {
      const keys = [sameText(i), sameCode(i) ?? []].flat();
      if (keys.some((key) => seen.has(key))) return false;
      keys.forEach((key) => seen.add(key));
      return true;
    });
    return { items: [...previous[k].items, ...added], note: previous[k].note };
  });
}
