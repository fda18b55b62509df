import type { MeasurementData, ProfileEntry, ProfileSection, SectionData } from '../medical-profile/index.ts';
import { measurementKinds } from '../medical-profile/index.ts';
import { mapVsmSections, normalizeLine, type VsmContent, type VsmSectionKey } from './model.ts';

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
const severities = { mild: 'légère', moderate: 'modérée', severe: 'sévère' } as const;
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

function measurementLine(data: MeasurementData): string {
  const info = measurementKinds[data.kind];
  const value =
    data.value2 === undefined ? french(data.value) : `${french(data.value)}/${french(data.value2)}`;
  return `${info.label} : ${value} ${info.unitLabel} (${frenchDate(data.at) ?? data.at})`;
}

/** Where one profile entry goes in the VSM, and how it reads; undefined when it has no place there. */
function lineOf(entry: ProfileEntry, today: string): [VsmSectionKey, string] | undefined {
  switch (entry.section) {
    case 'conditions': {
      const d = entry.data as SectionData['conditions'];
      const since = d.since && `depuis le ${frenchDate(d.since)}`;
      if (d.resolvedOn) {
        const period = d.since
          ? `du ${frenchDate(d.since)} au ${frenchDate(d.resolvedOn)}`
          : `jusqu’au ${frenchDate(d.resolvedOn)}`;
        return ['personalHistory', join(d.label, `(${period})`, d.note && `– ${d.note}`)];
      }
      return ['activeProblems', join(d.label, since && `(${since})`, d.note && `– ${d.note}`)];
    }
    case 'disabilities': {
      const d = entry.data as SectionData['disabilities'];
      return [
        'activeProblems',
        join(`Handicap : ${d.label}`, d.since && `(depuis le ${frenchDate(d.since)})`),
      ];
    }
    case 'hospitalisations': {
      const d = entry.data as SectionData['hospitalisations'];
      const period =
        d.endDate && d.endDate !== d.startDate
          ? `Du ${frenchDate(d.startDate)} au ${frenchDate(d.endDate)}`
          : `Le ${frenchDate(d.startDate)}`;
      return ['medicalHistory', join(`${period} : hospitalisation –`, d.reason, d.place && `(${d.place})`)];
    }
    case 'allergies': {
      const d = entry.data as SectionData['allergies'];
      const kind = `allergie ${allergyKinds[d.category]}${d.severity ? ` ${severities[d.severity]}` : ''}`;
      return ['allergies', join(`${d.substance} (${kind})`, d.reaction && `: ${d.reaction}`)];
    }
    case 'family-history': {
      const d = entry.data as SectionData['family-history'];
      return [
        'familyHistory',
        join(
          `${relations[d.relation]} : ${d.condition}`,
          d.ageAtOnset !== undefined && `(à ${d.ageAtOnset} ans)`,
          d.note && `– ${d.note}`,
        ),
      ];
    }
    case 'treatments': {
      const d = entry.data as SectionData['treatments'];
      if (d.endDate && d.endDate < today) return undefined; // a finished treatment is no long-term treatment
      return [
        'treatments',
        join(
          d.medication,
          d.dosage && `– ${d.dosage}`,
          d.reason && `(motif : ${d.reason})`,
          d.startDate && `depuis le ${frenchDate(d.startDate)}`,
        ),
      ];
    }
    case 'lifestyle': {
      const d = entry.data as SectionData['lifestyle'];
      return ['riskFactors', `${lifestyleTopics[d.topic]} : ${d.description}`];
    }
    case 'blood-group': {
      const d = entry.data as SectionData['blood-group'];
      return ['vigilance', `Groupe sanguin : ${d.abo} ${d.rhesus === 'positive' ? 'Rh+' : 'Rh−'}`];
    }
    default:
      return undefined;
  }
}

/** The profile as VSM items: one line per entry, the latest measurement of each kind as a main constant. */
export function contentFromProfile(entries: readonly ProfileEntry[], now: Date): VsmContent {
  const today = now.toISOString().slice(0, 10);
  const items = new Map<VsmSectionKey, string[]>();
  const add = (key: VsmSectionKey, line: string) =>
    items.set(key, [...(items.get(key) ?? []), normalizeLine(line)]);
  const latest = new Map<string, MeasurementData>();
  for (const entry of entries) {
    if (entry.section === 'measurements') {
      const data = entry.data as MeasurementData;
      const known = latest.get(data.kind);
      if (!known || known.at < data.at) latest.set(data.kind, data);
      continue;
    }
    const line = lineOf(entry, today);
    if (line) add(...line);
  }
  for (const data of latest.values()) add('vitalSigns', measurementLine(data));
  return mapVsmSections((k) => ({ items: items.get(k) ?? [], note: '' }));
}

const sameItem = (a: string) => a.toLocaleLowerCase('fr').replace(/\s+/g, ' ').trim();

/** The previous VSM first (the doctor's own words), then what the profile adds that it does not already say. */
export function mergeContents(previous: VsmContent, profile: VsmContent): VsmContent {
  return mapVsmSections((k) => {
    const seen = new Set(previous[k].items.map(sameItem));
    const added = profile[k].items.filter((item) => {
      const key = sameItem(item);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    return { items: [...previous[k].items, ...added], note: previous[k].note };
  });
}
