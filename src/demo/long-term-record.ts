import { createHash } from 'node:crypto';
import type { Rpps } from '../identity/index.ts';
import { ENCOUNTER_ID_TYPE, type DocumentCoding, type RelatedIdentifier } from '../record/index.ts';
import { valueSetConcepts, type ValueSetName } from '../terminology/index.ts';
import { demoProfessionals } from './professionals.ts';

/**
 * Hélène Brunet's record: ten years of a long-term patient (born 1955, type 2 diabetes, heart failure, atrial
 * fibrillation on a vitamin K antagonist later, a hospital stay every year or two), about a thousand documents from
 * her GP, her pharmacy, the laboratory in town, her nurse, podiatrist, physiotherapist and dentist, and the
 * hospital's cardiologist, endocrinologist, radiologist and biologist. Generated, not random: the same anchor day,
 * span and seed give the same plan, document for document (dates count back from the anchor, as the rest of the
 * demo's do from today).
 */
export const LONG_TERM_INS = '255042123104707';

export interface PlannedDocument {
  /** Stable: derived from the seed and the document's place in the plan. */
  readonly masterIdentifier: string;
  readonly typeCode: string;
  readonly title: string;
  /** ISO instant, before the anchor day. */
  readonly createdAt: string;
  readonly serviceStart: string | undefined;
  readonly serviceEnd: string | undefined;
  readonly facilityType: DocumentCoding;
  readonly practiceSetting: DocumentCoding;
  /** The hospital stay the document belongs to (XDS referenceIdList), shared by every document of the stay. */
  readonly related: readonly RelatedIdentifier[];
  /** What the document says, line by line (the first one a heading). */
  readonly lines: readonly string[];
}

/** What one professional deposits at once (one ITI-65 submission set): a day of care, or their part of a stay. */
export interface PlannedSubmission {
  readonly masterIdentifier: string;
  readonly authorRpps: Rpps;
  readonly title: string;
  readonly documents: readonly PlannedDocument[];
}

export interface LongTermOptions {
  /** The span of the record, counted back from the anchor day (default ten years). */
  readonly years?: number;
  readonly seed?: number;
}

export { ENCOUNTER_ID_TYPE };

// ---------------------------------------------------------------------------------------------------------------
// Who writes, and where they work (facility type J02 / TRE_R02, practice setting J04 / TRE_A01).

type Who =
  | 'gp'
  | 'nurse'
  | 'pharmacist'
  | 'podiatrist'
  | 'physio'
  | 'dentist'
  | 'cardiologist'
  | 'endocrinologist'
  | 'radiologist'
  | 'hospitalBiologist'
  | 'cityBiologist';

function concept(valueSet: ValueSetName, code: string): DocumentCoding {
  const found = valueSetConcepts(valueSet).find((c) => c.code === code);
  if (!found) throw new Error(`demo: ${code} is not in ${valueSet}`);
  return { system: found.system, code: found.code, display: found.display };
}

interface Place {
  readonly rpps: Rpps;
  readonly facility: string;
  readonly setting: string;
  /** How the document names its author. */
  readonly signature: string;
}

const places: Record<Who, Place> = {
  gp: {
    rpps: '10001000115' as Rpps,
    facility: 'SA08',
    setting: 'AMBULATOIRE',
    signature: 'Médecin généraliste',
  },
  nurse: {
    rpps: '10001000214' as Rpps,
    facility: 'SA08',
    setting: 'SAD',
    signature: 'Infirmier diplômé d’État',
  },
  pharmacist: {
    rpps: '10001000313' as Rpps,
    facility: 'SA33',
    setting: 'AMBULATOIRE',
    signature: 'Pharmacien',
  },
  dentist: {
    rpps: '10001000511' as Rpps,
    facility: 'SA07',
    setting: 'AMBULATOIRE',
    signature: 'Chirurgien-dentiste',
  },
  physio: {
    rpps: '10001000610' as Rpps,
    facility: 'SA07',
    setting: 'AMBULATOIRE',
    signature: 'Masseur-kinésithérapeute',
  },
  podiatrist: {
    rpps: '10001000719' as Rpps,
    facility: 'SA07',
    setting: 'AMBULATOIRE',
    signature: 'Pédicure-podologue',
  },
  cardiologist: {
    rpps: '10001000818' as Rpps,
    facility: 'SA01',
    setting: 'ETABLISSEMENT',
    signature: 'Service de cardiologie',
  },
  endocrinologist: {
    rpps: '10001001014' as Rpps,
    facility: 'SA01',
    setting: 'ETABLISSEMENT',
    signature: 'Service d’endocrinologie, diabétologie et maladies métaboliques',
  },
  radiologist: {
    rpps: '10001001113' as Rpps,
    facility: 'SA01',
    setting: 'ETABLISSEMENT',
    signature: 'Service d’imagerie médicale',
  },
  hospitalBiologist: {
    rpps: '10001001212' as Rpps,
    facility: 'SA01',
    setting: 'ETABLISSEMENT',
    signature: 'Laboratoire de biologie médicale du centre hospitalier',
  },
  cityBiologist: {
    rpps: '10001001311' as Rpps,
    facility: 'SA25',
    setting: 'AMBULATOIRE',
    signature: 'Biologiste médical',
  },
};

/** The demo professionals who write in this record, by role. */
export const longTermAuthors: Readonly<Record<Who, Rpps>> = Object.fromEntries(
  Object.entries(places).map(([who, place]) => [who, place.rpps]),
) as Record<Who, Rpps>;

function professional(rpps: Rpps) {
  const found = demoProfessionals.find((p) => p.rpps === rpps);
  if (!found) throw new Error(`demo: no demo professional ${rpps}`);
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Determinism: a small seeded generator (mulberry32) and stable identifiers.

function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    around: (value: number, spread: number) => value + (next() * 2 - 1) * spread,
  };
}
type Rng = ReturnType<typeof generator>;

/** A name-based UUID (version 5 layout over SHA-256): the same name, the same identifier. */
function stableUuid(name: string): string {
  const hex = createHash('sha256').update(`carnet:demo:long-term:${name}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Dates: whole days before the anchor day, at an hour of the working day.

const DAY_MS = 86_400_000;

const frenchDate = (ms: number) => {
  const d = new Date(ms);
  return `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
};

const decimal = (value: number, digits = 1) => value.toFixed(digits).replace('.', ',');

// ---------------------------------------------------------------------------------------------------------------
// The plan.

interface Draft {
  readonly who: Who;
  /** Days before the anchor day (1 = the day before). */
  readonly ago: number;
  readonly hour: number;
  readonly typeCode: string;
  readonly title: string;
  readonly body: readonly string[];
  readonly stay?: Stay;
  readonly service?: { readonly startAgo: number; readonly endAgo: number };
}

interface Stay {
  readonly id: string;
  readonly service: 'cardiologist' | 'endocrinologist';
  readonly startAgo: number;
  readonly endAgo: number;
  readonly reason: string;
  readonly kind: StayKind;
}

type StayKind =
  'decompensation' | 'atrial-fibrillation' | 'coronary' | 'glycaemia' | 'pneumonia' | 'foot' | 'day-hospital';

const stayKinds: readonly StayKind[] = [
  'decompensation',
  'glycaemia',
  'atrial-fibrillation',
  'pneumonia',
  'decompensation',
  'foot',
  'coronary',
  'decompensation',
];

const stayReasons: Record<StayKind, { service: Stay['service']; reason: string; viaEmergency: boolean }> = {
  decompensation: {
    service: 'cardiologist',
    reason: 'décompensation cardiaque globale',
    viaEmergency: true,
  },
  'atrial-fibrillation': {
    service: 'cardiologist',
    reason: 'fibrillation atriale rapide inaugurale',
    viaEmergency: true,
  },
  coronary: {
    service: 'cardiologist',
    reason: 'coronarographie programmée pour angor d’effort',
    viaEmergency: false,
  },
  glycaemia: {
    service: 'endocrinologist',
    reason: 'déséquilibre glycémique majeur (HbA1c à 10,2 %)',
    viaEmergency: false,
  },
  pneumonia: {
    service: 'cardiologist',
    reason: 'pneumopathie aiguë compliquée d’une décompensation cardiaque',
    viaEmergency: true,
  },
  foot: {
    service: 'endocrinologist',
    reason: 'plaie chronique du pied droit chez une patiente diabétique',
    viaEmergency: false,
  },
  'day-hospital': {
    service: 'endocrinologist',
    reason: 'bilan annuel du diabète en hôpital de jour',
    viaEmergency: false,
  },
};

/**
 * The plan of Hélène Brunet's record, oldest first: submissions of documents with their metadata and text. Pure:
 * depends only on the anchor day (its UTC date), the span and the seed.
 */
export function longTermRecord(anchor: Date, options: LongTermOptions = {}): PlannedSubmission[] {
  const years = options.years ?? 10;
  const seed = options.seed ?? 1955;
  const rng = generator(seed);
  const anchorDay = Date.UTC(anchor.getUTCFullYear(), anchor.getUTCMonth(), anchor.getUTCDate());
  const span = Math.round(years * 365.25);
  const dayMs = (ago: number) => anchorDay - ago * DAY_MS;
  const birth = Date.UTC(1955, 3, 14);
  const ageAt = (ago: number) => Math.floor((dayMs(ago) - birth) / (365.25 * DAY_MS));

  // ---- Hospital stays, every year or two.
  const stays: Stay[] = [];
  let first = span - rng.int(60, 200);
  let index = 0;
  while (first - 14 > 1) {
    const kind = stayKinds[index % stayKinds.length]!;
    const length = rng.int(4, 11);
    const { service, reason } = stayReasons[kind];
    const startMs = dayMs(first);
    stays.push({
      id: `SEJ-${new Date(startMs).getUTCFullYear()}-${String(rng.int(10000, 99999))}`,
      service,
      startAgo: first,
      endAgo: first - length,
      reason,
      kind,
    });
    index++;
    first -= rng.int(300, 600);
  }

  // Milestones of her story, as days before the anchor: the stays that began a treatment, or a fraction of the
  // span (a shorter plan still tells it all).
  const at = (fraction: number) => Math.max(2, Math.round(span * (1 - fraction)));
  const fibrillationFrom = stays.find((s) => s.kind === 'atrial-fibrillation')?.startAgo ?? at(0.3);
  const insulinFrom = stays.find((s) => s.kind === 'glycaemia')?.endAgo ?? at(0.5);
  const sacubitrilFrom = at(0.7);
  // A nurse comes home for the INR blood draws once she is on warfarin, then for the insulin too.
  const nurseFrom = fibrillationFrom;

  const drafts: Draft[] = [];
  const add = (draft: Draft) => {
    if (draft.ago >= 1 && draft.ago <= span) drafts.push(draft);
  };
  /** A working day near `ago`: weekends move to the Friday before or the Monday after. */
  const weekday = (ago: number) => {
    const day = new Date(dayMs(ago)).getUTCDay();
    if (day === 6) return ago + 1;
    if (day === 0) return ago - 1 >= 1 ? ago - 1 : ago + 2;
    return ago;
  };

  // Her treatment at a given time, for prescriptions and dispensations.
  const treatment = (ago: number): string[] => [
    ago > insulinFrom
      ? 'Metformine 1000 mg : 1 comprimé matin et soir'
      : 'Metformine 500 mg : 1 comprimé matin et soir',
    ...(ago <= insulinFrom ? ['Insuline glargine 100 U/ml : 18 unités le soir, à adapter'] : []),
    ...(ago <= sacubitrilFrom
      ? [
          'Sacubitril/valsartan 49 mg/51 mg : 1 comprimé matin et soir',
          'Dapagliflozine 10 mg : 1 comprimé le matin',
        ]
      : ['Ramipril 5 mg : 1 comprimé le matin']),
    'Bisoprolol 5 mg : 1 comprimé le matin',
    'Furosémide 40 mg : 1 comprimé le matin',
    'Atorvastatine 40 mg : 1 comprimé le soir',
    ...(ago <= fibrillationFrom ? ['Warfarine 5 mg : dose selon INR (carnet de suivi AVK)'] : []),
  ];

  // Biology, drifting over the years: kidney function declines, HbA1c improves once on insulin.
  const hba1c = (ago: number) =>
    Math.max(6.2, rng.around(ago > insulinFrom ? 7.6 + (span - ago) / span : 7.1, 0.4));
  const creatinine = (ago: number) => Math.round(rng.around(72 + 58 * ((span - ago) / span), 6));
  const dfg = (ago: number, creat: number) =>
    Math.round(175 * Math.pow(creat / 88.4, -1.154) * Math.pow(ageAt(ago), -0.203) * 0.742);
  const kidneyLines = (ago: number) => {
    const creat = creatinine(ago);
    return [
      `Créatininémie : ${creat} µmol/l (45 – 90)`,
      `DFG estimé (MDRD) : ${dfg(ago, creat)} ml/min/1,73 m²`,
      `Kaliémie : ${decimal(rng.around(4.4, 0.5))} mmol/l (3,5 – 5,0)`,
      `Natrémie : ${Math.round(rng.around(138, 3))} mmol/l (136 – 145)`,
    ];
  };
  const diabetesLines = (ago: number) => [
    `HbA1c : ${decimal(hba1c(ago))} % (objectif inférieur à 7,5 %)`,
    `Glycémie à jeun : ${decimal(rng.around(1.45, 0.35), 2)} g/l (0,70 – 1,10)`,
  ];

  for (const stay of stays) {
    const { startAgo: s, endAgo: e, service } = stay;
    const period = `du ${frenchDate(dayMs(s))} au ${frenchDate(dayMs(e))}`;
    const serviceName = service === 'cardiologist' ? 'Cardiologie' : 'Endocrinologie-diabétologie';
    const inStay = (draft: Omit<Draft, 'stay'>) => add({ ...draft, stay });
    if (stayReasons[stay.kind].viaEmergency) {
      inStay({
        who: 'cardiologist',
        ago: s,
        hour: rng.int(0, 23),
        typeCode: '15507-7',
        title: `CR de passage aux urgences — ${stay.kind === 'atrial-fibrillation' ? 'palpitations' : 'dyspnée aiguë'}`,
        body: [
          `Motif : ${stay.kind === 'atrial-fibrillation' ? 'palpitations et malaise' : 'dyspnée de repos, œdèmes des membres inférieurs'}.`,
          `Orientation : hospitalisation en ${serviceName.toLowerCase()}.`,
        ],
      });
    }
    inStay({
      who: 'hospitalBiologist',
      ago: s,
      hour: rng.int(8, 22),
      typeCode: '11502-2',
      title: 'Bilan biologique d’entrée',
      body: [
        ...kidneyLines(s),
        `NT-proBNP : ${Math.round(rng.around(service === 'cardiologist' ? 6500 : 1400, 900))} ng/l (< 450)`,
        `Troponine T hs : ${Math.round(rng.around(24, 8))} ng/l (< 14)`,
        `Hémoglobine : ${decimal(rng.around(11.8, 0.8))} g/dl`,
        ...diabetesLines(s),
      ],
    });
    for (let day = s - rng.int(2, 3); day > e; day -= rng.int(2, 3)) {
      inStay({
        who: 'hospitalBiologist',
        ago: day,
        hour: 7,
        typeCode: '11502-2',
        title: 'Bilan biologique de contrôle',
        body: [
          ...kidneyLines(day),
          ...(day <= fibrillationFrom ? [`INR : ${decimal(rng.around(2.3, 0.6))}`] : []),
        ],
      });
    }
    if (stay.kind === 'foot') {
      inStay({
        who: 'radiologist',
        ago: s - 1,
        hour: 10,
        typeCode: '18748-4',
        title: 'Radiographie du pied droit (face et trois quarts)',
        body: ['Pas d’image d’ostéite. Déminéralisation modérée.', 'Calcifications artérielles diffuses.'],
      });
      inStay({
        who: 'radiologist',
        ago: s - 2,
        hour: 14,
        typeCode: '18748-4',
        title: 'Écho-doppler artériel des membres inférieurs',
        body: ['Médiacalcose diffuse, pas de sténose hémodynamiquement significative.'],
      });
    } else {
      inStay({
        who: 'radiologist',
        ago: s,
        hour: rng.int(9, 20),
        typeCode: '18748-4',
        title: 'Radiographie thoracique de face',
        body: [
          stay.kind === 'pneumonia'
            ? 'Opacité alvéolaire du lobe inférieur droit. Épanchement pleural droit de faible abondance.'
            : 'Cardiomégalie. Surcharge vasculaire bilatérale, épanchements pleuraux de faible abondance.',
        ],
      });
    }
    if (service === 'cardiologist') {
      inStay({
        who: 'cardiologist',
        ago: s - 1,
        hour: 11,
        typeCode: '70004-7',
        title: 'Échocardiographie transthoracique',
        body: [
          `FEVG estimée à ${rng.int(30, 40)} % (Simpson biplan). VG dilaté.`,
          'Insuffisance mitrale fonctionnelle grade 2. PAPS estimée à 45 mmHg.',
        ],
      });
      if (stay.kind === 'coronary') {
        inStay({
          who: 'cardiologist',
          ago: s - 1,
          hour: 15,
          typeCode: '11505-5',
          title: 'CR de coronarographie et d’angioplastie',
          body: [
            'Sténose serrée de l’IVA moyenne : angioplastie avec mise en place d’un stent actif.',
            'Voie radiale droite. Pas de complication.',
          ],
        });
      }
      if (stay.kind === 'atrial-fibrillation') {
        inStay({
          who: 'cardiologist',
          ago: s - 3,
          hour: 10,
          typeCode: '11505-5',
          title: 'CR de cardioversion électrique',
          body: ['Cardioversion sous anesthésie générale brève après ETO : retour en rythme sinusal.'],
        });
      }
    }
    const reasonLine =
      `Motif d’hospitalisation : ${stay.reason}.` +
      (stay.kind === 'glycaemia' ? ' Mise en route d’une insulinothérapie basale.' : '') +
      (stay.kind === 'atrial-fibrillation' ? ' Anticoagulation par AVK (warfarine) débutée.' : '');
    inStay({
      who: service,
      ago: e,
      hour: 11,
      typeCode: '34112-3',
      title: `CR d’hospitalisation — ${serviceName}, séjour ${period}`,
      service: { startAgo: s, endAgo: e },
      body: [
        reasonLine,
        'Antécédents : diabète de type 2, insuffisance cardiaque à fraction d’éjection réduite, HTA, dyslipidémie.',
        'Évolution favorable sous traitement ; sortie au domicile.',
        'Traitement de sortie :',
        ...treatment(e).map((line) => `• ${line}`),
      ],
    });
    inStay({
      who: service,
      ago: e,
      hour: 12,
      typeCode: '11490-0',
      title: `Lettre de liaison à la sortie — ${serviceName}`,
      service: { startAgo: s, endAgo: e },
      body: [
        'Chère consœur, votre patiente Mme Brunet a été hospitalisée dans notre service ' + period + '.',
        reasonLine,
        'Suites à prévoir : consultation avec vous sous huit jours, bilan biologique à une semaine.',
        'Traitement de sortie : voir ordonnance jointe.',
      ],
    });
    inStay({
      who: service,
      ago: e,
      hour: 12,
      typeCode: '57833-6',
      title: 'Ordonnance de sortie',
      body: treatment(e),
    });
    if (stay.kind === 'foot' || rng.chance(0.4)) {
      inStay({
        who: service,
        ago: e,
        hour: 12,
        typeCode: 'PRESC-INF',
        title:
          stay.kind === 'foot'
            ? 'Prescription de soins infirmiers — pansements du pied'
            : 'Prescription de soins infirmiers à domicile',
        body: [
          'Soins infirmiers à domicile pendant un mois : surveillance du poids, des œdèmes et de la glycémie.',
        ],
      });
    }
    if (service === 'cardiologist') {
      inStay({
        who: service,
        ago: e,
        hour: 12,
        typeCode: 'PRESC-KINE',
        title: 'Prescription de réadaptation à l’effort',
        body: ['Kinésithérapie de réadaptation à l’effort : 20 séances.'],
      });
      const rehab = e - rng.int(7, 14);
      add({
        who: 'physio',
        ago: weekday(rehab),
        hour: 9,
        typeCode: '47420-5',
        title: 'Bilan kinésithérapique — réadaptation à l’effort',
        body: [
          `Test de marche de 6 minutes : ${rng.int(250, 380)} m.`,
          'Objectif : 20 séances, 2 par semaine.',
        ],
      });
      for (let k = 1; k <= 2; k++) {
        add({
          who: 'physio',
          ago: weekday(rehab - 30 * k),
          hour: 9,
          typeCode: '11506-3',
          title: 'Fiche de suivi de kinésithérapie',
          body: [`Séances ${(k - 1) * 10 + 1} à ${k * 10} réalisées. Bonne tolérance à l’effort.`],
        });
      }
    }
  }

  // ---- Her GP, every month or so: consultation, the treatment renewed every three months, a biology prescription.
  let lastRenewal = Infinity;
  for (let ago = span - rng.int(5, 20); ago >= 1; ago -= rng.int(20, 38)) {
    const day = weekday(ago);
    const afterStay = stays.find((s) => s.endAgo - day >= 3 && s.endAgo - day <= 20);
    const winter = [11, 0, 1].includes(new Date(dayMs(day)).getUTCMonth());
    const title = afterStay
      ? 'Consultation de suivi après hospitalisation'
      : winter && rng.chance(0.3)
        ? rng.pick(['Consultation pour bronchite aiguë', 'Consultation pour syndrome grippal'])
        : rng.pick([
            'Consultation de suivi — diabète de type 2 et insuffisance cardiaque',
            'Consultation de renouvellement de traitement',
            'Consultation de suivi — diabète de type 2',
            'Consultation — contrôle tensionnel et poids',
          ]);
    add({
      who: 'gp',
      ago: day,
      hour: rng.int(8, 18),
      typeCode: '11488-4',
      title,
      body: [
        `Poids : ${decimal(rng.around(78 - ((span - day) / span) * 4, 1.5))} kg. PA : ${rng.int(118, 148)}/${rng.int(66, 88)} mmHg. FC : ${rng.int(58, 84)}/min.`,
        afterStay
          ? `Retour d’hospitalisation (${afterStay.reason}) : pas de signe de surcharge.`
          : 'Pas de signe de décompensation. Examen des pieds sans particularité.',
      ],
    });
    if (title.startsWith('Consultation pour')) {
      add({
        who: 'gp',
        ago: day,
        hour: 18,
        typeCode: '57833-6',
        title: 'Ordonnance',
        body: [
          'Amoxicilline 1 g : 1 comprimé matin, midi et soir pendant 7 jours',
          'Paracétamol 1 g : si douleur ou fièvre, 3 par jour au plus',
        ],
      });
      add({
        who: 'pharmacist',
        ago: day,
        hour: 19,
        typeCode: '60593-1',
        title: 'Dispensation — ordonnance ponctuelle',
        body: ['Délivré : Amoxicilline 1 g', 'Délivré : Paracétamol 1 g'],
      });
    }
    if (rng.chance(0.1)) {
      const to = rng.pick(['cardiologue', 'endocrinologue'] as const);
      add({
        who: 'gp',
        ago: day,
        hour: 18,
        typeCode: '96349-6',
        title: `Lettre d’adressage — avis ${to === 'cardiologue' ? 'cardiologique' : 'endocrinologique'}`,
        body: [
          `Cher confrère, je vous adresse Mme Brunet pour avis ${to === 'cardiologue' ? 'sur son insuffisance cardiaque' : 'sur l’équilibre de son diabète'}.`,
        ],
      });
    }
    if (lastRenewal - day >= 80) {
      lastRenewal = day;
      add({
        who: 'gp',
        ago: day,
        hour: 18,
        typeCode: '57833-6',
        title: 'Ordonnance — traitement de fond (3 mois)',
        body: treatment(day),
      });
      add({
        who: 'gp',
        ago: day,
        hour: 18,
        typeCode: 'PRESC-BIO',
        title: 'Ordonnance de biologie — HbA1c, créatininémie, ionogramme',
        body: [
          'HbA1c, glycémie à jeun, créatininémie avec DFG, ionogramme sanguin.',
          ...(day <= fibrillationFrom ? ['INR toutes les 3 à 4 semaines.'] : []),
        ],
      });
    }
  }
  // Her protocols of care for two long-term conditions (ALD), and a synthesis every January.
  add({
    who: 'gp',
    ago: weekday(span - 10),
    hour: 17,
    typeCode: 'PROT_ALD',
    title: 'Protocole de soins ALD — diabète de type 2',
    body: ['ALD n° 8 : diabète de type 1 et diabète de type 2.'],
  });
  if (stays[0]) {
    add({
      who: 'gp',
      ago: weekday(stays[0].endAgo - 25),
      hour: 17,
      typeCode: 'PROT_ALD',
      title: 'Protocole de soins ALD — insuffisance cardiaque grave',
      body: [
        'ALD n° 5 : insuffisance cardiaque grave, troubles du rythme graves, cardiopathies valvulaires graves.',
      ],
    });
  }
  const firstYear = new Date(dayMs(span)).getUTCFullYear();
  const lastYear = new Date(anchorDay).getUTCFullYear();
  for (let year = firstYear; year <= lastYear; year++) {
    const ago = weekday(Math.round((anchorDay - Date.UTC(year, 0, rng.int(10, 28))) / DAY_MS));
    add({
      who: 'gp',
      ago,
      hour: 18,
      typeCode: '60591-5',
      title: `Volet de synthèse médicale — ${year}`,
      body: [
        'Problèmes actifs : diabète de type 2 (2008), insuffisance cardiaque à FEVG réduite, HTA, dyslipidémie' +
          (ago <= fibrillationFrom ? ', fibrillation atriale sous AVK.' : '.'),
        'Allergies : aucune connue.',
        'Traitements :',
        ...treatment(ago).map((line) => `• ${line}`),
      ],
    });
  }

  // ---- The laboratory in town: every one to three months; an INR every three or four weeks once on warfarin.
  for (let ago = span - rng.int(10, 30); ago >= 1; ago -= rng.int(25, 65)) {
    const day = weekday(ago);
    const full = rng.chance(0.6);
    add({
      who: 'cityBiologist',
      ago: day,
      hour: rng.int(7, 10),
      typeCode: '11502-2',
      title: full
        ? 'Bilan biologique — HbA1c, créatininémie, ionogramme'
        : 'Bilan biologique — bilan lipidique et HbA1c',
      body: full
        ? [...diabetesLines(day), ...kidneyLines(day)]
        : [
            ...diabetesLines(day),
            `LDL-cholestérol : ${decimal(rng.around(0.85, 0.2), 2)} g/l (objectif < 0,70 g/l)`,
          ],
    });
  }
  for (let ago = fibrillationFrom - rng.int(5, 12); ago >= 1; ago -= rng.int(18, 30)) {
    const day = weekday(ago);
    const inr = rng.around(2.5, 0.7);
    add({
      who: 'cityBiologist',
      ago: day,
      hour: 8,
      typeCode: '11502-2',
      title: 'INR — surveillance du traitement par AVK',
      body: [
        `INR : ${decimal(inr)} (zone cible 2 – 3)`,
        inr < 2 || inr > 3
          ? 'Résultat hors zone cible : transmis au médecin traitant.'
          : 'Résultat dans la zone cible.',
      ],
    });
  }

  // ---- The pharmacy: the monthly dispensation, monitoring supplies, a yearly medication review, vaccinations.
  for (let ago = span - rng.int(3, 15); ago >= 1; ago -= rng.int(27, 32)) {
    const day = ago;
    add({
      who: 'pharmacist',
      ago: day,
      hour: rng.int(9, 19),
      typeCode: '60593-1',
      title: 'Dispensation — traitement de fond',
      body: treatment(day).map((line) => `Délivré : ${line.split(' : ')[0]}`),
    });
    if (rng.chance(day <= insulinFrom ? 0.5 : 0.15)) {
      add({
        who: 'pharmacist',
        ago: day,
        hour: 19,
        typeCode: 'DISP_AUT',
        title:
          day <= insulinFrom
            ? 'Délivrance — aiguilles, bandelettes et lancettes'
            : 'Délivrance — bandelettes et lancettes de glycémie',
        body: ['Matériel d’autosurveillance glycémique (LPP).'],
      });
    }
  }
  for (let year = firstYear; year <= lastYear; year++) {
    const ago = weekday(Math.round((anchorDay - Date.UTC(year, 5, rng.int(1, 28))) / DAY_MS));
    add({
      who: 'pharmacist',
      ago,
      hour: 15,
      typeCode: ago <= fibrillationFrom && year % 2 === 0 ? '78601-2' : '56445-0',
      title:
        ago <= fibrillationFrom && year % 2 === 0
          ? 'Entretien pharmaceutique — patiente sous AVK'
          : 'Bilan partagé de médication',
      body: ['Revue des traitements : pas d’interaction majeure. Observance bonne.'],
    });
    const flu = Math.round((anchorDay - Date.UTC(year, 9, rng.int(15, 45))) / DAY_MS);
    add({
      who: year >= 2019 ? 'pharmacist' : 'nurse',
      ago: flu,
      hour: 11,
      typeCode: '87273-9',
      title: `Vaccination contre la grippe saisonnière ${year}-${year + 1}`,
      body: [
        `Vaccin antigrippal quadrivalent, lot ${String.fromCharCode(65 + (year % 26))}${rng.int(1000, 9999)}. Voie intramusculaire, deltoïde gauche.`,
      ],
    });
  }
  const dated = (y: number, m: number, d: number) => Math.round((anchorDay - Date.UTC(y, m - 1, d)) / DAY_MS);
  const oneOff: ReadonlyArray<[number, Who, string]> = [
    [dated(2020, 4, 21), 'gp', 'Rappel diphtérie, tétanos, poliomyélite (65 ans)'],
    [dated(2021, 2, 12), 'gp', 'Vaccination contre la COVID-19 — 1re dose'],
    [dated(2021, 3, 12), 'gp', 'Vaccination contre la COVID-19 — 2e dose'],
    [dated(2021, 11, 25), 'pharmacist', 'Vaccination contre la COVID-19 — rappel'],
    [dated(2022, 10, 27), 'pharmacist', 'Vaccination contre la COVID-19 — rappel automnal'],
    [dated(2023, 10, 24), 'pharmacist', 'Vaccination contre la COVID-19 — rappel automnal'],
    [dated(2024, 10, 22), 'pharmacist', 'Vaccination contre la COVID-19 — rappel automnal'],
    [dated(2024, 3, 7), 'gp', 'Vaccination contre le pneumocoque (vaccin conjugué 20-valent)'],
    [dated(2025, 2, 18), 'pharmacist', 'Vaccination contre le zona — 1re dose'],
    [dated(2025, 4, 22), 'pharmacist', 'Vaccination contre le zona — 2e dose'],
  ];
  for (const [ago, who, title] of oneOff) {
    add({
      who,
      ago: weekday(ago),
      hour: 10,
      typeCode: '87273-9',
      title,
      body: ['Injection intramusculaire, sans incident.'],
    });
  }

  // ---- Specialists in consultation at the hospital.
  for (let ago = span - rng.int(40, 90); ago >= 1; ago -= rng.int(110, 200)) {
    const day = weekday(ago);
    add({
      who: 'cardiologist',
      ago: day,
      hour: rng.int(9, 16),
      typeCode: '11488-4',
      title: 'Consultation de cardiologie — suivi de l’insuffisance cardiaque',
      body: [
        `NYHA ${rng.pick(['I', 'II', 'II', 'III'])}. Poids stable.`,
        'ECG : ' + (day <= fibrillationFrom ? 'fibrillation atriale à 72/min.' : 'rythme sinusal.'),
      ],
    });
    if (rng.chance(0.5)) {
      add({
        who: 'cardiologist',
        ago: day,
        hour: 16,
        typeCode: '70004-7',
        title: rng.chance(0.8) ? 'Échocardiographie transthoracique de contrôle' : 'Holter ECG des 24 heures',
        body: [`FEVG estimée à ${rng.int(32, 45)} %.`],
      });
    }
  }
  for (let ago = span - rng.int(60, 120); ago >= 1; ago -= rng.int(150, 220)) {
    const day = weekday(ago);
    const starting = Math.abs(day - insulinFrom) < 110;
    add({
      who: 'endocrinologist',
      ago: day,
      hour: rng.int(9, 16),
      typeCode: '11488-4',
      title: starting
        ? 'Consultation d’endocrinologie — instauration d’une insuline basale'
        : 'Consultation d’endocrinologie — diabète de type 2',
      body: [
        ...diabetesLines(day),
        'Fond d’œil : pas de rétinopathie diabétique. Monofilament : sensibilité diminuée aux deux pieds.',
      ],
    });
    if (starting) {
      add({
        who: 'endocrinologist',
        ago: day,
        hour: 17,
        typeCode: '18776-5',
        title: 'Plan personnalisé de soins — insulinothérapie',
        body: [
          'Titration de l’insuline glargine : +2 unités tous les 3 jours jusqu’à une glycémie à jeun < 1,30 g/l.',
        ],
      });
    }
  }

  // ---- Heart-failure telemonitoring for the last three years: the cardiologist's quarterly telemedicine report
  // (a type the matrix hides from dentists, whose search then shows fewer documents and says so).
  for (let ago = Math.min(span - 1, 3 * 365) - rng.int(10, 40); ago >= 1; ago -= rng.int(80, 100)) {
    const day = weekday(ago);
    add({
      who: 'cardiologist',
      ago: day,
      hour: rng.int(8, 12),
      typeCode: '85208-7',
      title: 'Télésurveillance de l’insuffisance cardiaque — compte rendu trimestriel',
      body: [
        `Poids moyen : ${decimal(rng.around(71, 2))} kg, sans prise de plus de 2 kg en 3 jours.`,
        `${rng.int(0, 3)} alerte(s) de poids traitée(s) par téléphone. Observance déclarée : bonne.`,
        ...treatment(day),
      ],
    });
  }

  // ---- A day at the hospital every year for the diabetes check-up (hôpital de jour): an episode of its own.
  for (let year = firstYear; year <= lastYear; year++) {
    const day = weekday(Math.round((anchorDay - Date.UTC(year, 8, rng.int(1, 28))) / DAY_MS));
    const stay: Stay = {
      id: `HDJ-${year}-${String(rng.int(10000, 99999))}`,
      service: 'endocrinologist',
      startAgo: day,
      endAgo: day,
      reason: stayReasons['day-hospital'].reason,
      kind: 'day-hospital',
    };
    add({
      who: 'hospitalBiologist',
      ago: day,
      hour: 8,
      typeCode: '11502-2',
      title: 'Bilan biologique — hôpital de jour de diabétologie',
      stay,
      body: [
        ...diabetesLines(day),
        ...kidneyLines(day),
        `Microalbuminurie : ${Math.round(rng.around(45, 20))} mg/g de créatinine`,
      ],
    });
    add({
      who: 'cardiologist',
      ago: day,
      hour: 10,
      typeCode: '70004-7',
      title: 'ECG de repos',
      stay,
      body: [
        day <= fibrillationFrom
          ? 'Fibrillation atriale à réponse ventriculaire contrôlée.'
          : 'Rythme sinusal, bloc de branche gauche incomplet.',
      ],
    });
    add({
      who: 'endocrinologist',
      ago: day,
      hour: 16,
      typeCode: '34112-3',
      title: `CR d’hospitalisation de jour — bilan annuel du diabète ${year}`,
      stay,
      service: { startAgo: day, endAgo: day },
      body: [
        ...diabetesLines(day),
        'Complications : neuropathie périphérique, néphropathie débutante ; pas de rétinopathie.',
        'Éducation thérapeutique : atelier alimentation et activité physique.',
      ],
    });
  }

  // ---- Care at home and in town: the nurse once on insulin, the podiatrist for her feet, imaging, the dentist.
  for (let ago = nurseFrom - rng.int(3, 10); ago >= 1; ago -= rng.int(20, 32)) {
    add({
      who: 'nurse',
      ago,
      hour: 8,
      typeCode: '11506-3',
      title:
        ago <= insulinFrom
          ? 'Fiche de suivi infirmier — insulinothérapie et surveillance glycémique'
          : 'Fiche de suivi infirmier — prélèvement sanguin à domicile (INR)',
      body: [
        ago <= insulinFrom
          ? `Glycémies capillaires de la période : ${decimal(rng.around(1.3, 0.2), 2)} à ${decimal(rng.around(2.1, 0.3), 2)} g/l.`
          : 'Prélèvement veineux réalisé à domicile, transmis au laboratoire des Lilas.',
      ],
    });
  }
  for (let year = firstYear; year <= lastYear; year++) {
    const yearStart = Math.round((anchorDay - Date.UTC(year, 0, 1)) / DAY_MS);
    if (yearStart < nurseFrom) {
      add({
        who: 'nurse',
        ago: weekday(yearStart - rng.int(60, 120)),
        hour: 9,
        typeCode: '96163-1',
        title: 'Bilan de soins infirmiers',
        body: ['Autonomie partielle pour les injections. Aide à la préparation du pilulier.'],
      });
    }
    const bilan = weekday(yearStart - rng.int(120, 200));
    add({
      who: 'podiatrist',
      ago: bilan,
      hour: 14,
      typeCode: '34120-6',
      title: 'Bilan podologique — pied diabétique de grade 2',
      body: [
        'Perte de sensibilité au monofilament. Hyperkératose plantaire. Semelles orthopédiques renouvelées.',
      ],
    });
    for (let k = 1; k <= 3; k++) {
      add({
        who: 'podiatrist',
        ago: weekday(bilan - 85 * k),
        hour: 14,
        typeCode: '11506-3',
        title: 'Séance de soins de prévention — pied diabétique',
        body: ['Soins de pédicurie, éducation au chaussage.'],
      });
    }
    add({
      who: 'radiologist',
      ago: weekday(yearStart - rng.int(200, 300)),
      hour: 10,
      typeCode: '18748-4',
      title: 'Écho-doppler artériel des membres inférieurs',
      body: ['Médiacalcose diffuse sans sténose significative.'],
    });
    if (year % 2 === 1) {
      add({
        who: 'dentist',
        ago: weekday(yearStart - rng.int(60, 300)),
        hour: 10,
        typeCode: '28617-9',
        title: 'Bilan bucco-dentaire',
        body: ['Parodontite modérée. Détartrage réalisé. Patiente diabétique : contrôle à six mois.'],
      });
    }
  }

  return plan(drafts, { seed, dayMs, rng });
}

/** Sorts the drafts, gives them their identifiers, and groups them into submissions (one author's day or stay). */
function plan(
  drafts: readonly Draft[],
  { seed, dayMs, rng }: { seed: number; dayMs: (ago: number) => number; rng: Rng },
): PlannedSubmission[] {
  const dated = drafts.map((d) => ({
    draft: d,
    at: dayMs(d.ago) + d.hour * 3_600_000 + rng.int(0, 59) * 60_000,
  }));
  dated.sort((a, b) => a.at - b.at || a.draft.title.localeCompare(b.draft.title));
  const groups = new Map<string, { who: Who; stay: Stay | undefined; day: number; docs: typeof dated }>();
  for (const item of dated) {
    const { who, stay } = item.draft;
    const day = Math.floor(item.at / DAY_MS);
    const key = stay ? `${stay.id}|${who}` : `${day}|${who}`;
    const group = groups.get(key) ?? { who, stay, day, docs: [] };
    group.docs.push(item);
    groups.set(key, group);
  }
  let n = 0;
  const submissions = [...groups.entries()].map(([key, group]) => {
    const place = places[group.who];
    const author = professional(place.rpps);
    const name = `${author.professionCode === '10' ? 'Dr ' : ''}${author.givenName} ${author.familyName}`;
    const facilityType = concept('facility', place.facility);
    const practiceSetting = concept('practiceSetting', place.setting);
    const documents = group.docs.map(({ draft, at }): PlannedDocument => {
      const index = n++;
      const stay = draft.stay;
      return {
        masterIdentifier: stableUuid(`${seed}:document:${index}`),
        typeCode: draft.typeCode,
        title: draft.title,
        createdAt: new Date(at).toISOString(),
        serviceStart: draft.service ? new Date(dayMs(draft.service.startAgo)).toISOString() : undefined,
        serviceEnd: draft.service ? new Date(dayMs(draft.service.endAgo)).toISOString() : undefined,
        facilityType,
        practiceSetting,
        related: stay ? [{ system: undefined, value: stay.id, type: ENCOUNTER_ID_TYPE }] : [],
        lines: [
          draft.title,
          `${author.structure.name} — ${place.signature}`,
          `${name}, le ${frenchDate(at)}`,
          'Patiente : Mme Hélène BRUNET née VIDAL, née le 14/04/1955 — INS 255042123104707',
          ...draft.body,
        ],
      };
    });
    const first = group.docs[0]!.at;
    const title =
      group.stay?.kind === 'day-hospital'
        ? `Hôpital de jour en endocrinologie le ${frenchDate(dayMs(group.stay.startAgo))}`
        : group.stay
          ? `Séjour ${group.stay.service === 'cardiologist' ? 'en cardiologie' : 'en endocrinologie'} du ${frenchDate(dayMs(group.stay.startAgo))} au ${frenchDate(dayMs(group.stay.endAgo))}`
          : `${name} — ${frenchDate(first)}`;
    return {
      masterIdentifier: stableUuid(`${seed}:submission:${key}`),
      authorRpps: place.rpps,
      title,
      documents,
      first,
    };
  });
  submissions.sort((a, b) => a.first - b.first);
  return submissions.map(({ first: _first, ...submission }) => submission);
}
