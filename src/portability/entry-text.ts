import {
  allergyCategoryLabels,
  allergySeverityLabels,
  contactRoleLabels,
  familyRelationLabels,
  lifestyleTopicLabels,
  measurementKinds,
  type MeasurementData,
  type MeasurementKind,
  type ProfileEntry,
  type ProfileSection,
  type SectionData,
} from '../medical-profile/index.ts';

/** 1985-03-28 (or an instant) → 28/03/1985, the calendar day in Paris for an instant. */
export function frenchDate(value: string): string {
  const day =
    value.length > 10
      ? new Intl.DateTimeFormat('fr-CA', { timeZone: 'Europe/Paris' }).format(new Date(value))
      : value;
  const [year, month, date] = day.split('-');
  return year && month && date ? `${date}/${month}/${year}` : value;
}

const decimal = (value: number, decimals: number) =>
  new Intl.NumberFormat('fr-FR', { maximumFractionDigits: decimals, useGrouping: false }).format(value);

/** "7,2 %", "128/82 mmHg": the value as the patient typed it, with the unit they know. */
export function measurementValue(m: Pick<MeasurementData, 'kind' | 'value' | 'value2'>): string {
  const info = measurementKinds[m.kind];
  const value =
    m.kind === 'blood-pressure' && m.value2 !== undefined
      ? `${decimal(m.value, info.decimals)}/${decimal(m.value2, info.decimals)}`
      : decimal(m.value, info.decimals);
  return `${value} ${info.unitLabel}`;
}

const since = (date: string | undefined, word = 'depuis le') => (date ? `${word} ${frenchDate(date)}` : '');
const joined = (...parts: (string | undefined | false)[]) =>
  parts.filter((part): part is string => Boolean(part && part.trim())).join(' · ');

export interface EntryText {
  /** The line that names the entry. */
  readonly title: string;
  /** What follows, on the same line after a dash when short, else below. */
  readonly detail: string;
}

type Formatter<S extends ProfileSection> = (data: SectionData[S]) => EntryText;

const formatters: { [S in ProfileSection]: Formatter<S> } = {
  treatments: (d) => ({
    title: d.medication,
    detail: joined(
      d.dosage,
      d.reason && `pour : ${d.reason}`,
      since(d.startDate),
      d.endDate && `arrêté le ${frenchDate(d.endDate)}`,
    ),
  }),
  allergies: (d) => ({
    title: d.substance,
    detail: joined(
      allergyCategoryLabels[d.category].toLowerCase(),
      d.reaction && `réaction : ${d.reaction}`,
      d.severity && `gravité ${allergySeverityLabels[d.severity].toLowerCase()}`,
      since(d.since),
    ),
  }),
  conditions: (d) => ({
    title: d.label,
    detail: joined(since(d.since), d.resolvedOn && `guérie le ${frenchDate(d.resolvedOn)}`, d.note),
  }),
  hospitalisations: (d) => ({
    title: d.reason,
    detail: joined(
      d.place,
      d.endDate
        ? `du ${frenchDate(d.startDate)} au ${frenchDate(d.endDate)}`
        : `le ${frenchDate(d.startDate)}`,
    ),
  }),
  disabilities: (d) => ({ title: d.label, detail: joined(since(d.since), d.note) }),
  'family-history': (d) => ({
    title: `${familyRelationLabels[d.relation]} : ${d.condition}`,
    detail: joined(d.ageAtOnset !== undefined && `à ${d.ageAtOnset} ans`, d.note),
  }),
  vaccinations: (d) => ({
    title: d.vaccine,
    detail: joined(
      `le ${frenchDate(d.date)}`,
      d.doseLabel,
      d.lot && `lot ${d.lot}`,
      d.performer && `par ${d.performer}`,
    ),
  }),
  measurements: (d) => ({
    title: measurementKinds[d.kind].label,
    detail: joined(measurementValue(d), `le ${frenchDate(d.at)}`),
  }),
  lifestyle: (d) => ({
    title: lifestyleTopicLabels[d.topic],
    detail: joined(d.description, since(d.since)),
  }),
  contacts: (d) => ({
    title: `${contactRoleLabels[d.role]} : ${d.name}`,
    detail: joined(d.relationship, d.phone && `tél. ${d.phone}`, d.email),
  }),
  wishes: (d) =>
    d.kind === 'organ-donation'
      ? {
          title: 'Don d’organes',
          detail: joined(
            d.choice === 'accept' ? 'J’accepte de donner mes organes' : 'Je refuse le don d’organes',
            d.note,
          ),
        }
      : { title: 'Volonté', detail: d.text },
  'blood-group': (d) => ({
    title: `${d.abo} ${d.rhesus === 'positive' ? 'Rhésus positif (+)' : 'Rhésus négatif (−)'}`,
    detail: '',
  }),
};

export function entryText(entry: ProfileEntry): EntryText {
  const format = formatters[entry.section] as Formatter<ProfileSection>;
  return format(entry.data);
}

/** Where an entry came from, when not from the patient: "Assurance Maladie", an app's name. */
export function entrySourceNote(entry: ProfileEntry): string | undefined {
  if (entry.source === 'patient') return undefined;
  return entry.sourceName ?? (entry.source === 'insurer' ? 'Assurance Maladie' : 'Application connectée');
}

export interface MeasurementSeries {
  readonly kind: MeasurementKind;
  /** Newest first. */
  readonly points: readonly MeasurementData[];
}

/** Measurements grouped by kind in the catalogue's order, each newest first. */
export function measurementSeries(entries: readonly ProfileEntry[]): MeasurementSeries[] {
  const byKind = new Map<MeasurementKind, MeasurementData[]>();
  for (const entry of entries) {
    if (entry.section !== 'measurements') continue;
    const data = entry.data as MeasurementData;
    byKind.set(data.kind, [...(byKind.get(data.kind) ?? []), data]);
  }
  return (Object.keys(measurementKinds) as MeasurementKind[])
    .filter((kind) => byKind.has(kind))
    .map((kind) => ({
      kind,
      points: byKind.get(kind)!.sort((a, b) => Date.parse(b.at) - Date.parse(a.at)),
    }));
}
