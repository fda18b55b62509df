import { invalid } from '../shared/index.ts';
import { type ProfileSection, isKnownCode } from '../terminology/index.ts';
import { isMeasurementKind, measurementKinds } from './measurements.ts';
import { allergenSystems, isListedCode, type AllergenSystem, type CodedTerm } from './pick-lists.ts';
import {
  aboGroups,
  allergyCategories,
  allergySeverities,
  contactRoles,
  familyRelations,
  lifestyleTopics,
  organDonationChoices,
  type SectionData,
} from './types.ts';
import { isVaccineCode, vaccineLabels } from './vaccines.ts';

const MAX_TEXT = 500;
const MAX_DISPLAY = 200;
type Fields = Record<string, unknown>;

const fail = (field: string, message: string) => invalid('profile-invalid', message, field);

function text(fields: Fields, key: string, label: string): string {
  const value = fields[key];
  if (typeof value !== 'string' || !value.trim()) throw fail(key, `${label} : ce champ est obligatoire.`);
  if (value.length > MAX_TEXT) throw fail(key, `${label} : ${MAX_TEXT} caractères au plus.`);
  return value.trim();
}

function optionalText(fields: Fields, key: string, label: string): string | undefined {
  const value = fields[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw fail(key, `${label} : texte attendu.`);
  if (value.length > MAX_TEXT) throw fail(key, `${label} : ${MAX_TEXT} caractères au plus.`);
  return value.trim() || undefined;
}

const isCalendarDate = (value: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
};

function date(fields: Fields, key: string, label: string): string {
  const value = fields[key];
  if (typeof value !== 'string' || !isCalendarDate(value)) {
    throw fail(key, `${label} : date invalide (attendu AAAA-MM-JJ).`);
  }
  if (value < '1900-01-01') throw fail(key, `${label} : date trop ancienne.`);
  return value;
}

function optionalDate(fields: Fields, key: string, label: string): string | undefined {
  const value = fields[key];
  if (value === undefined || value === null || value === '') return undefined;
  return date(fields, key, label);
}

function oneOf<T extends string>(fields: Fields, key: string, label: string, values: readonly T[]): T {
  const value = fields[key];
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
    throw fail(key, `${label} : valeur non reconnue.`);
  }
  return value as T;
}

function optionalOneOf<T extends string>(
  fields: Fields,
  key: string,
  label: string,
  values: readonly T[],
): T | undefined {
  const value = fields[key];
  if (value === undefined || value === null || value === '') return undefined;
  return oneOf(fields, key, label, values);
}

/** ATC and CIM-10 codes are checked against the official lists; SNOMED CT (no list in the kit) only as listed. */
const isKnownProfileCode = (system: 'ATC' | 'CIM-10' | 'SNOMED CT', code: string): boolean =>
  system === 'SNOMED CT' ? isListedCode(system, code) : isKnownCode(system, code);

/** A code picked from a list, `{ code, display }`: a code Carnet knows in `system`, with the words shown for it. */
function optionalCode(
  fields: Fields,
  key: string,
  system: 'ATC' | 'CIM-10' | 'SNOMED CT',
): CodedTerm | undefined {
  const value = fields[key];
  if (value === undefined || value === null || value === '') return undefined;
  const { code, display } = (typeof value === 'object' ? value : {}) as Record<string, unknown>;
  // The message names no code: error messages carry no health data.
  if (typeof code !== 'string' || !isKnownProfileCode(system, code)) {
    throw fail(key, `Code ${system} : ce code n’est pas un code ${system} reconnu.`);
  }
  if (typeof display !== 'string' || !display.trim()) {
    throw fail(key, `Code ${system} : le libellé du code est obligatoire.`);
  }
  if (display.length > MAX_DISPLAY) {
    throw fail(key, `Code ${system} : libellé de ${MAX_DISPLAY} caractères au plus.`);
  }
  return { code, display: display.trim() };
}

/** An allergen's code says its system: a drug's ATC code or a substance's SNOMED CT concept. */
function optionalAllergenCode(fields: Fields): (CodedTerm & { system: AllergenSystem }) | undefined {
  const value = fields['code'];
  if (value === undefined || value === null || value === '') return undefined;
  const system = typeof value === 'object' ? (value as Record<string, unknown>)['system'] : undefined;
  if (typeof system !== 'string' || !(allergenSystems as readonly string[]).includes(system)) {
    throw fail('code', 'Code de la substance : système attendu ATC ou SNOMED CT.');
  }
  const term = optionalCode(fields, 'code', system as AllergenSystem)!;
  return { system: system as AllergenSystem, ...term };
}

const compact = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

function notBefore(start: string | undefined, end: string | undefined, key: string) {
  if (start && end && end < start) throw fail(key, 'La date de fin précède la date de début.');
}

/** What already happened (a vaccination, an allergy, a measurement) is not dated after `latest`. */
function notFuture<T extends string | undefined>(value: T, latest: string, key: string, label: string): T {
  if (value !== undefined && value > latest)
    throw fail(key, `${label} : la date ne peut pas être dans le futur.`);
  return value;
}

interface Clock {
  /** The latest day a past fact may carry: tomorrow in UTC, so that no time zone of France is refused today. */
  readonly latestDay: string;
  /** The latest instant a measurement may carry (a device's clock may run a little fast). */
  readonly latestInstant: string;
}

type Validators = { [S in ProfileSection]: (fields: Fields, clock: Clock) => SectionData[S] };

const validators: Validators = {
  treatments: (f) => {
    const data = compact({
      medication: text(f, 'medication', 'Médicament'),
      atc: optionalCode(f, 'atc', 'ATC'),
      dosage: optionalText(f, 'dosage', 'Posologie'),
      reason: optionalText(f, 'reason', 'Motif'),
      startDate: optionalDate(f, 'startDate', 'Début'),
      endDate: optionalDate(f, 'endDate', 'Fin'),
    });
    notBefore(data.startDate, data.endDate, 'endDate');
    return data;
  },
  allergies: (f, clock) =>
    compact({
      substance: text(f, 'substance', 'Substance'),
      code: optionalAllergenCode(f),
      category: oneOf(f, 'category', 'Catégorie', allergyCategories),
      reaction: optionalText(f, 'reaction', 'Réaction'),
      severity: optionalOneOf(f, 'severity', 'Gravité', allergySeverities),
      since: notFuture(optionalDate(f, 'since', 'Depuis'), clock.latestDay, 'since', 'Depuis'),
    }),
  conditions: (f, clock) => {
    const data = compact({
      label: text(f, 'label', 'Maladie'),
      cim10: optionalCode(f, 'cim10', 'CIM-10'),
      since: notFuture(optionalDate(f, 'since', 'Depuis'), clock.latestDay, 'since', 'Depuis'),
      resolvedOn: notFuture(
        optionalDate(f, 'resolvedOn', 'Guérie le'),
        clock.latestDay,
        'resolvedOn',
        'Guérie le',
      ),
      note: optionalText(f, 'note', 'Précisions'),
    });
    notBefore(data.since, data.resolvedOn, 'resolvedOn');
    return data;
  },
  hospitalisations: (f) => {
    const data = compact({
      reason: text(f, 'reason', 'Motif'),
      place: optionalText(f, 'place', 'Établissement'),
      startDate: date(f, 'startDate', 'Entrée'),
      endDate: optionalDate(f, 'endDate', 'Sortie'),
    });
    notBefore(data.startDate, data.endDate, 'endDate');
    return data;
  },
  disabilities: (f, clock) =>
    compact({
      label: text(f, 'label', 'Handicap'),
      since: notFuture(optionalDate(f, 'since', 'Depuis'), clock.latestDay, 'since', 'Depuis'),
      note: optionalText(f, 'note', 'Précisions'),
    }),
  'family-history': (f) => {
    const age = f['ageAtOnset'];
    let ageAtOnset: number | undefined;
    if (age !== undefined && age !== null && age !== '') {
      const n = typeof age === 'string' ? Number(age) : age;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 120) {
        throw fail('ageAtOnset', 'Âge de survenue : un nombre entier entre 0 et 120.');
      }
      ageAtOnset = n;
    }
    return compact({
      relation: oneOf(f, 'relation', 'Lien de parenté', familyRelations),
      condition: text(f, 'condition', 'Maladie'),
      cim10: optionalCode(f, 'cim10', 'CIM-10'),
      ageAtOnset,
      note: optionalText(f, 'note', 'Précisions'),
    });
  },
  vaccinations: (f, clock) => {
    const code = f['vaccineCode'];
    if (!isVaccineCode(code)) throw fail('vaccineCode', 'Vaccin : valeur non reconnue.');
    const label = optionalText(f, 'vaccine', 'Vaccin');
    if (code === 'autre' && !label) throw fail('vaccine', 'Vaccin : précisez le nom du vaccin.');
    return compact({
      vaccine: label ?? vaccineLabels[code],
      vaccineCode: code,
      date: notFuture(date(f, 'date', 'Date'), clock.latestDay, 'date', 'Date'),
      lot: optionalText(f, 'lot', 'Lot'),
      doseLabel: optionalText(f, 'doseLabel', 'Dose'),
      performer: optionalText(f, 'performer', 'Vaccinateur'),
    });
  },
  measurements: (f, clock) => {
    const kind = f['kind'];
    if (!isMeasurementKind(kind)) throw fail('kind', 'Type de mesure : valeur non reconnue.');
    const info = measurementKinds[kind];
    const number = (key: string, label: string): number => {
      const raw = f[key];
      const n =
        typeof raw === 'string' && raw.trim() ? Number(raw.replace(',', '.')) : (raw as number | undefined);
      if (typeof n !== 'number' || !Number.isFinite(n)) throw fail(key, `${label} : un nombre est attendu.`);
      if (n < info.min || n > info.max) {
        const bound = (n: number) => n.toLocaleString('fr-FR');
        throw fail(
          key,
          `${label} : la valeur doit être entre ${bound(info.min)} et ${bound(info.max)} ${info.unitLabel}.`,
        );
      }
      const factor = 10 ** info.decimals;
      return Math.round(n * factor) / factor;
    };
    const unit = f['unit'];
    if (unit !== undefined && unit !== info.unit) {
      throw fail('unit', `Unité : ${info.label} se mesure en ${info.unitLabel}.`);
    }
    const at = f['at'];
    if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) {
      throw fail('at', 'Date et heure : date invalide.');
    }
    if (new Date(at).toISOString() > clock.latestInstant)
      throw fail('at', 'Date et heure : une mesure ne peut pas être datée dans le futur.');
    const value = number('value', info.label);
    if (kind === 'blood-pressure') {
      const value2 = number('value2', 'Tension diastolique');
      if (value2 >= value)
        throw fail('value2', 'La tension diastolique doit être inférieure à la systolique.');
      return { kind, value, value2, unit: info.unit, at: new Date(at).toISOString() };
    }
    return { kind, value, unit: info.unit, at: new Date(at).toISOString() };
  },
  lifestyle: (f, clock) =>
    compact({
      topic: oneOf(f, 'topic', 'Sujet', lifestyleTopics),
      description: text(f, 'description', 'Description'),
      since: notFuture(optionalDate(f, 'since', 'Depuis'), clock.latestDay, 'since', 'Depuis'),
    }),
  contacts: (f) => {
    const email = optionalText(f, 'email', 'Courriel');
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
      throw fail('email', 'Courriel : adresse invalide.');
    const phone = optionalText(f, 'phone', 'Téléphone');
    if (phone && !/^\+?[0-9 .-]{6,20}$/.test(phone)) throw fail('phone', 'Téléphone : numéro invalide.');
    return compact({
      role: oneOf(f, 'role', 'Rôle', contactRoles),
      name: text(f, 'name', 'Nom'),
      relationship: optionalText(f, 'relationship', 'Lien'),
      phone,
      email,
    });
  },
  wishes: (f) => {
    const kind = oneOf(f, 'kind', 'Type de volonté', ['organ-donation', 'other'] as const);
    if (kind === 'organ-donation') {
      return compact({
        kind,
        choice: oneOf(f, 'choice', 'Don d’organes', organDonationChoices),
        note: optionalText(f, 'note', 'Précisions'),
      });
    }
    return { kind, text: text(f, 'text', 'Volonté') };
  },
  'blood-group': (f) => ({
    abo: oneOf(f, 'abo', 'Groupe', aboGroups),
    rhesus: oneOf(f, 'rhesus', 'Rhésus', ['positive', 'negative'] as const),
  }),
};

/** Checks what a patient or a feed sent for a section; French messages name the field. */
export function validateSectionData<S extends ProfileSection>(
  section: S,
  data: unknown,
  now: Date,
): SectionData[S] {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw invalid('profile-invalid', 'Les données de cette rubrique sont invalides.');
  }
  const clock: Clock = {
    latestDay: new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10),
    latestInstant: new Date(now.getTime() + 10 * 60_000).toISOString(),
  };
  return validators[section](data as Fields, clock);
}
