import {
  allergenTerms,
  conditionTerms,
  medicationTerms,
  termNamed,
  type CodedTerm,
} from '../../../../src/medical-profile/pick-lists.ts';
import type { ProfileCatalogue } from './profile-types.ts';

/**
 * A text field that suggests terms as the patient types: a term picked (or typed exactly) is sent with its code
 * under `key`; other words stay free text, without a code. The lists ship in the bundle: they are small and never
 * change between releases, suggestions come with no round trip, and nothing typed leaves the browser before saving.
 */
export interface CodedField {
  readonly terms: readonly (CodedTerm & { system?: string; category?: string })[];
  readonly key: 'atc' | 'cim10' | 'code';
  /** The code system when the terms do not say it. */
  readonly system?: string;
}

const medications: CodedField = { terms: medicationTerms, key: 'atc', system: 'ATC' };
const diseases: CodedField = { terms: conditionTerms, key: 'cim10', system: 'CIM-10' };
const allergens: CodedField = { terms: allergenTerms, key: 'code' };

/** One input of a section's form; `options` names a label table of the catalogue (or a fixed list). */
export interface FieldSpec {
  readonly name: string;
  readonly label: string;
  readonly type: 'text' | 'textarea' | 'date' | 'datetime' | 'number' | 'select';
  readonly required?: boolean;
  readonly hint?: string;
  readonly options?: (catalogue: ProfileCatalogue) => readonly { value: string; label: string }[];
  readonly coded?: CodedField;
  /** Shown only when this returns true for the values typed so far. */
  readonly when?: (values: Record<string, string>) => boolean;
}

const table = (t: Record<string, string>) => Object.entries(t).map(([value, label]) => ({ value, label }));

export const sectionIntro: Record<string, string> = {
  treatments: 'Les médicaments que vous prenez, avec leur posologie.',
  allergies: 'Vos allergies et intolérances, et ce qu’elles provoquent.',
  conditions: 'Vos maladies actuelles et vos antécédents (opérations, maladies passées).',
  hospitalisations: 'Vos séjours à l’hôpital.',
  disabilities: 'Vos handicaps, si vous souhaitez les signaler.',
  'family-history': 'Les maladies de vos proches parents, utiles à votre médecin.',
  vaccinations: 'Vos vaccins, y compris ceux transmis par l’Assurance Maladie.',
  measurements: 'Vos mesures (poids, tension, glycémie…), et leur évolution dans le temps.',
  lifestyle: 'Vos habitudes de vie : tabac, alcool, activité physique, alimentation, sommeil.',
  contacts: 'Les personnes à prévenir en cas d’urgence, votre personne de confiance, vos aidants.',
  wishes: 'Votre position sur le don d’organes et vos directives anticipées.',
  'blood-group': 'Votre groupe sanguin et votre rhésus.',
};

export const sectionFields: Record<string, readonly FieldSpec[]> = {
  treatments: [
    {
      name: 'medication',
      label: 'Médicament',
      type: 'text',
      required: true,
      hint: 'Choisissez-le dans la liste proposée, ou écrivez son nom, par exemple « Metformine 1000 mg ».',
      coded: medications,
    },
    { name: 'dosage', label: 'Posologie', type: 'text', hint: 'Par exemple « 1 comprimé matin et soir ».' },
    { name: 'reason', label: 'Pour quoi', type: 'text' },
    { name: 'startDate', label: 'Début', type: 'date' },
    { name: 'endDate', label: 'Fin (si le traitement est arrêté)', type: 'date' },
  ],
  allergies: [
    {
      name: 'substance',
      label: 'Substance',
      type: 'text',
      required: true,
      hint: 'Choisissez-la dans la liste proposée, ou écrivez son nom.',
      coded: allergens,
    },
    {
      name: 'category',
      label: 'Catégorie',
      type: 'select',
      required: true,
      options: (c) => table(c.allergyCategories),
    },
    { name: 'reaction', label: 'Réaction', type: 'text', hint: 'Par exemple « urticaire », « gonflement ».' },
    { name: 'severity', label: 'Gravité', type: 'select', options: (c) => table(c.allergySeverities) },
    { name: 'since', label: 'Depuis', type: 'date' },
  ],
  conditions: [
    {
      name: 'label',
      label: 'Maladie ou antécédent',
      type: 'text',
      required: true,
      hint: 'Choisissez-la dans la liste proposée, ou écrivez-la avec vos mots.',
      coded: diseases,
    },
    { name: 'since', label: 'Depuis', type: 'date' },
    { name: 'resolvedOn', label: 'Guérie le (pour un antécédent)', type: 'date' },
    { name: 'note', label: 'Précisions', type: 'textarea' },
  ],
  hospitalisations: [
    { name: 'reason', label: 'Motif', type: 'text', required: true },
    { name: 'place', label: 'Établissement', type: 'text' },
    { name: 'startDate', label: 'Entrée', type: 'date', required: true },
    { name: 'endDate', label: 'Sortie', type: 'date' },
  ],
  disabilities: [
    { name: 'label', label: 'Handicap', type: 'text', required: true },
    { name: 'since', label: 'Depuis', type: 'date' },
    { name: 'note', label: 'Précisions', type: 'textarea' },
  ],
  'family-history': [
    {
      name: 'relation',
      label: 'Lien de parenté',
      type: 'select',
      required: true,
      options: (c) => table(c.familyRelations),
    },
    {
      name: 'condition',
      label: 'Maladie',
      type: 'text',
      required: true,
      hint: 'Choisissez-la dans la liste proposée, ou écrivez-la avec vos mots.',
      coded: diseases,
    },
    { name: 'ageAtOnset', label: 'Âge de survenue', type: 'number' },
    { name: 'note', label: 'Précisions', type: 'textarea' },
  ],
  vaccinations: [
    {
      name: 'vaccineCode',
      label: 'Vaccin',
      type: 'select',
      required: true,
      options: (c) => c.vaccines.map((v) => ({ value: v.code, label: v.label })),
    },
    {
      name: 'vaccine',
      label: 'Nom du vaccin',
      type: 'text',
      required: true,
      when: (v) => v.vaccineCode === 'autre',
    },
    { name: 'date', label: 'Date', type: 'date', required: true },
    { name: 'doseLabel', label: 'Dose', type: 'text', hint: 'Par exemple « 2e dose », « rappel ».' },
    { name: 'lot', label: 'Numéro de lot', type: 'text' },
    { name: 'performer', label: 'Vacciné par', type: 'text' },
  ],
  measurements: [
    {
      name: 'kind',
      label: 'Mesure',
      type: 'select',
      required: true,
      options: (c) => c.measurementKinds.map((k) => ({ value: k.kind, label: measurementOptionLabel(k) })),
    },
    {
      name: 'value',
      label: 'Valeur (pour la tension : systolique, le grand chiffre)',
      type: 'number',
      required: true,
    },
    {
      name: 'value2',
      label: 'Tension diastolique (le petit chiffre)',
      type: 'number',
      required: true,
      when: (v) => v.kind === 'blood-pressure',
    },
    { name: 'at', label: 'Date et heure', type: 'datetime', required: true },
  ],
  lifestyle: [
    {
      name: 'topic',
      label: 'Sujet',
      type: 'select',
      required: true,
      options: (c) => table(c.lifestyleTopics),
    },
    { name: 'description', label: 'Description', type: 'textarea', required: true },
    { name: 'since', label: 'Depuis', type: 'date' },
  ],
  contacts: [
    { name: 'role', label: 'Rôle', type: 'select', required: true, options: (c) => table(c.contactRoles) },
    { name: 'name', label: 'Nom et prénom', type: 'text', required: true },
    { name: 'relationship', label: 'Lien avec vous', type: 'text' },
    { name: 'phone', label: 'Téléphone', type: 'text' },
    { name: 'email', label: 'Courriel', type: 'text' },
  ],
  wishes: [
    {
      name: 'kind',
      label: 'Type',
      type: 'select',
      required: true,
      options: () => [
        { value: 'organ-donation', label: 'Don d’organes et de tissus' },
        { value: 'other', label: 'Autre volonté' },
      ],
    },
    {
      name: 'choice',
      label: 'Ma position',
      type: 'select',
      required: true,
      options: (c) => table(c.organDonation),
      when: (v) => v.kind !== 'other',
    },
    { name: 'note', label: 'Précisions', type: 'textarea', when: (v) => v.kind !== 'other' },
    { name: 'text', label: 'Ma volonté', type: 'textarea', required: true, when: (v) => v.kind === 'other' },
  ],
  'blood-group': [
    {
      name: 'abo',
      label: 'Groupe',
      type: 'select',
      required: true,
      options: () => ['A', 'B', 'AB', 'O'].map((g) => ({ value: g, label: g })),
    },
    {
      name: 'rhesus',
      label: 'Rhésus',
      type: 'select',
      required: true,
      options: () => [
        { value: 'positive', label: 'Positif (+)' },
        { value: 'negative', label: 'Négatif (−)' },
      ],
    },
  ],
};

/** The values of an entry as the form's strings (datetime-local wants local time without seconds). */
export function formValuesOf(data: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    if (key === 'at' && typeof value === 'string') values[key] = toLocalInput(value);
    // Numbers as a French user types them (81,8), which the form reads back.
    else if (typeof value === 'number')
      values[key] = value.toLocaleString('fr-FR', { useGrouping: false, maximumFractionDigits: 6 });
    // A code ({ code, display }) is not typed: it follows the words (payloadOf).
    else if (value !== undefined && value !== null && typeof value !== 'object') values[key] = String(value);
  }
  return values;
}

export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** What the API takes: empty fields left out, numbers as numbers, local date-times as instants. */
export function payloadOf(section: string, values: Record<string, string>): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const spec of sectionFields[section] ?? []) {
    const raw = values[spec.name]?.trim();
    if (!raw || (spec.when && !spec.when(values))) continue;
    if (spec.type === 'number') payload[spec.name] = Number(raw.replace(',', '.'));
    else if (spec.type === 'datetime')
      payload[spec.name] = Number.isNaN(Date.parse(raw)) ? raw : new Date(raw).toISOString();
    else payload[spec.name] = raw;
    const term = spec.coded && pickedTerm(spec.coded, raw);
    if (term) payload[spec.coded!.key] = codeOf(spec.coded!, term);
  }
  return payload;
}

/** The term the words name, if any: the one picked in the list, or typed as it is there. */
export const pickedTerm = (coded: CodedField, words: string) => termNamed(coded.terms, words);

function codeOf(coded: CodedField, term: CodedField['terms'][number]) {
  const { code, display } = term;
  return term.system ? { system: term.system, code, display } : { code, display };
}

/** « ATC A10BA02 »: how a code is shown, discreetly, beside the patient's words. */
export const codeLabel = (coded: CodedField, term: CodedField['terms'][number]) =>
  `${term.system ?? coded.system} ${term.code}`;

/** What picking a term sets in the other fields: an allergen's category. */
export function impliedBy(spec: FieldSpec, words: string): Record<string, string> {
  const term = spec.coded && pickedTerm(spec.coded, words);
  return term?.category ? { category: term.category } : {};
}

/** The code an entry carries (« ATC A10BA02 », « CIM-10 E11 »), shown beside it; none for free text. */
export function entryCodeLabel(data: Record<string, unknown>): string | undefined {
  const [system, value] = data.atc
    ? ['ATC', data.atc]
    : data.cim10
      ? ['CIM-10', data.cim10]
      : data.code && typeof data.code === 'object'
        ? [(data.code as { system?: unknown }).system, data.code]
        : [];
  const code = (value as { code?: unknown } | undefined)?.code;
  return typeof system === 'string' && typeof code === 'string' ? `${system} ${code}` : undefined;
}

/** « Poids (kg) »; a name already in brackets takes its unit after a dash, and a score (« / 10 ») none. */
function measurementOptionLabel(kind: { label: string; unitLabel: string }): string {
  if (kind.unitLabel.startsWith('/')) return kind.label;
  return kind.label.endsWith(')') ? `${kind.label} – ${kind.unitLabel}` : `${kind.label} (${kind.unitLabel})`;
}
