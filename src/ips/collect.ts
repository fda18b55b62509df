import {
  lifestyleTopicCodes,
  measurementKinds,
  vaccineAtcCodes,
  type ProfileEntry,
  type SectionData,
} from '../medical-profile/index.ts';
import type { VsmContent, VsmSectionKey } from '../vsm/index.ts';
import type { IpsContent, IpsImmunization, IpsItem } from './model.ts';

/**
 * Pure assembly of the summary: the latest VSM's sections and the profile's entries (as the reader may see them)
 * into the IPS sections. The VSM's items come first and win: a profile entry of the same concept (same code, or the
 * same words) is left out.
 */

const vsmItems = (vsm: VsmContent | undefined, key: VsmSectionKey): IpsItem[] =>
  vsm ? [...vsm[key].items] : [];

const vsmLines = (vsm: VsmContent | undefined, key: VsmSectionKey): string[] =>
  vsm ? [...vsm[key].items.map((i) => i.text), ...vsm[key].note.split('\n').filter((l) => l !== '')] : [];

const sameWords = (a: string, b: string) =>
  a.localeCompare(b, 'fr', { sensitivity: 'base', ignorePunctuation: true }) === 0;

/** The VSM's items, then the profile's that say something the VSM does not. */
function merge<T extends { text: string; code?: IpsItem['code'] }>(
  first: readonly T[],
  then: readonly T[],
): T[] {
  const kept = then.filter(
    (p) =>
      !first.some(
        (v) =>
          (v.code && p.code && v.code.system === p.code.system && v.code.code === p.code.code) ||
          sameWords(v.text, p.text),
      ),
  );
  return [...first, ...kept];
}

const reported = (entry: ProfileEntry): Pick<IpsItem, 'reportedBy' | 'reporterName'> =>
  entry.source === 'patient'
    ? { reportedBy: 'patient' }
    : { reportedBy: entry.source, ...(entry.sourceName ? { reporterName: entry.sourceName } : {}) };

const ofSection = <S extends keyof SectionData>(entries: readonly ProfileEntry[], section: S) =>
  entries.filter((e) => e.section === section).map((e) => ({ entry: e, data: e.data as SectionData[S] }));

function conditionItem(entry: ProfileEntry, d: SectionData['conditions']): IpsItem {
  return {
    text: d.label,
    ...(d.cim10 ? { code: { system: 'CIM-10', ...d.cim10 } } : {}),
    ...(d.since ? { start: d.since } : {}),
    ...(d.resolvedOn ? { end: d.resolvedOn } : {}),
    ...reported(entry),
  };
}

const lifestyleLabels: Record<SectionData['lifestyle']['topic'], string> = {
  tobacco: 'Tabac',
  alcohol: 'Alcool',
  'physical-activity': 'Activité physique',
  diet: 'Alimentation',
  sleep: 'Sommeil',
  other: 'Mode de vie',
};

/** The profile's entries as IPS sections (the entries are those the reader may see). */
export function contentFromProfile(entries: readonly ProfileEntry[], today: string): IpsContent {
  const conditions = ofSection(entries, 'conditions').map(({ entry, data }) => conditionItem(entry, data));
  const disabilities = ofSection(entries, 'disabilities').map(({ entry, data }) => ({
    text: `Handicap : ${data.label}`,
    ...(data.since ? { start: data.since } : {}),
    ...reported(entry),
  }));
  const medications = ofSection(entries, 'treatments')
    .filter(({ data }) => !data.endDate || data.endDate >= today)
    .map(({ entry, data }): IpsItem => {
      return {
        text: data.medication,
        ...(data.atc ? { code: { system: 'ATC', ...data.atc } } : {}),
        ...(data.dosage ? { dosage: data.dosage } : {}),
        ...(data.startDate ? { start: data.startDate } : {}),
        ...(data.endDate ? { end: data.endDate } : {}),
        ...reported(entry),
      };
    });
  const allergies = ofSection(entries, 'allergies').map(({ entry, data }): IpsItem => {
    return {
      text: data.substance,
      category: data.category,
      ...(data.code ? { code: data.code } : {}),
      ...(data.reaction ? { reaction: data.reaction } : {}),
      ...(data.severity ? { severity: data.severity } : {}),
      ...(data.since ? { start: data.since } : {}),
      ...reported(entry),
    };
  });
  const immunizations = ofSection(entries, 'vaccinations').map(({ entry, data }): IpsImmunization => {
    const atc = vaccineAtcCodes[data.vaccineCode];
    return {
      text: data.vaccine,
      ...(atc ? { atc: { code: atc, display: data.vaccine } } : {}),
      date: data.date,
      ...(data.lot ? { lot: data.lot } : {}),
      ...(data.doseLabel ? { doseLabel: data.doseLabel } : {}),
      ...(data.performer ? { performer: data.performer } : {}),
      ...reported(entry),
    };
  });
  // The latest reading of each kind: a summary, not the chart.
  const latest = new Map<string, { entry: ProfileEntry; data: SectionData['measurements'] }>();
  for (const m of ofSection(entries, 'measurements')) {
    const known = latest.get(m.data.kind);
    if (!known || known.data.at < m.data.at) latest.set(m.data.kind, m);
  }
  const vitalSigns = [...latest.values()].map(({ entry, data }): IpsItem => {
    const info = measurementKinds[data.kind];
    return {
      text: info.label,
      code: { system: 'LOINC', code: info.loinc, display: info.label },
      start: data.at.slice(0, 10),
      value:
        data.kind === 'blood-pressure'
          ? { text: `${data.value}/${data.value2 ?? '?'} ${info.unitLabel}` }
          : { quantity: data.value, unit: data.unit },
      ...reported(entry),
    };
  });
  const socialHistory = ofSection(entries, 'lifestyle').map(({ entry, data }): IpsItem => {
    const code = lifestyleTopicCodes[data.topic];
    return {
      text: lifestyleLabels[data.topic],
      ...(code ? { code: { system: 'LOINC', ...code } } : {}),
      value: { text: data.description },
      ...(data.since ? { start: data.since } : {}),
      ...reported(entry),
    };
  });
  const procedures = ofSection(entries, 'hospitalisations').map(({ entry, data }) => ({
    text: `Hospitalisation : ${data.reason}${data.place ? ` (${data.place})` : ''}`,
    start: data.startDate,
    ...reported(entry),
  }));
  const advanceDirectives = ofSection(entries, 'wishes').map(({ data }) =>
    data.kind === 'organ-donation'
      ? `Don d’organes : ${data.choice === 'accept' ? 'accepte' : 'refuse'}${data.note ? ` (${data.note})` : ''}`
      : data.text,
  );
  return {
    problems: [...conditions.filter((c) => !c.end), ...disabilities],
    pastIllnesses: conditions.filter((c) => c.end),
    procedures,
    allergies,
    medications,
    immunizations,
    vitalSigns,
    socialHistory,
    advanceDirectives,
    planOfCare: [],
  };
}

/** The VSM's sections that the IPS has (family history, vigilance and occupational risks are not IPS sections). */
export function contentFromVsm(vsm: VsmContent | undefined): IpsContent {
  return {
    problems: vsmItems(vsm, 'activeProblems'),
    pastIllnesses: vsmItems(vsm, 'personalHistory'),
    procedures: vsmItems(vsm, 'medicalHistory'),
    allergies: vsmItems(vsm, 'allergies'),
    medications: vsmItems(vsm, 'treatments'),
    immunizations: [],
    vitalSigns: vsmItems(vsm, 'vitalSigns'),
    socialHistory: vsmItems(vsm, 'riskFactors'),
    advanceDirectives: [],
    planOfCare: vsmLines(vsm, 'therapeuticProject'),
  };
}

/** The VSM's content completed with the profile's; `directives` lists the advance directives documents seen. */
export function assembleIpsContent(
  vsm: VsmContent | undefined,
  profileEntries: readonly ProfileEntry[],
  directives: readonly string[],
  today: string,
): IpsContent {
  const a = contentFromVsm(vsm);
  const b = contentFromProfile(profileEntries, today);
  return {
    problems: merge(a.problems, b.problems),
    pastIllnesses: merge(a.pastIllnesses, b.pastIllnesses),
    procedures: merge(a.procedures, b.procedures),
    allergies: merge(a.allergies, b.allergies),
    medications: merge(a.medications, b.medications),
    immunizations: b.immunizations,
    vitalSigns: merge(a.vitalSigns, b.vitalSigns),
    socialHistory: merge(a.socialHistory, b.socialHistory),
    advanceDirectives: [...directives, ...b.advanceDirectives],
    planOfCare: a.planOfCare,
  };
}
