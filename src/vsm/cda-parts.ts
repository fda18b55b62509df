/**
 * The CDA R2 parts the two CI-SIS volets Carnet writes share, the VSM 2023.01 (body.ts, cda-builder.ts) and the
 * IPS-FR 2024.01 (src/ips/ips-cda.ts): XML writing, the header's recordTarget, dates, codes, narrative references and
 * the IHE entry shapes both write alike. Where the volets differ (templateIds of their own, what an entry adds) the
 * caller passes its part.
 */
import { firstFirstName, type InsuredPerson } from '../insured/index.ts';
import { ABSENT_UNKNOWN_OID, codeSystems } from './codes.ts';
import type { PartialDate, VsmCode } from './items.ts';
import { normalizeLine } from './model.ts';

export const escapeXml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

/**
 * `<name a="v"/>`, attributes as one escaped XML-safe line (values come from many sources: profile, VSM, identity);
 * undefined values left out.
 */
export function el(name: string, attrs: Record<string, string | undefined>, ...children: string[]): string {
  const attributes = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(normalizeLine(v!))}"`)
    .join('');
  const inner = children.join('');
  return inner === '' ? `<${name}${attributes}/>` : `<${name}${attributes}>${inner}</${name}>`;
}

/** An element with a text, the text as one escaped XML-safe line. */
export const textEl = (name: string, text: string, attrs: Record<string, string | undefined> = {}): string =>
  el(name, attrs, escapeXml(normalizeLine(text)));

export const templateIds = (...roots: readonly string[]) =>
  roots.map((root) => el('templateId', { root })).join('');

/** Narrative references: an entry's `text`, a code's `originalText`, pointing at the narrative's ID. */
const reference = (id: string) => el('reference', { value: `#${id}` });
export const textReference = (id: string) => el('text', {}, reference(id));
export const originalText = (id: string) => el('originalText', {}, reference(id));

/** HL7 TS in UTC: `YYYYMMDDHHMMSS+0000`. */
export function hl7Time(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}+0000`;
}

/** `2019-08` → `201908`: HL7 TS keeps a partial date's precision (an ISO instant gives its date). */
const hl7Date = (date: PartialDate): string => date.slice(0, 10).replace(/-/g, '');

/** A TS element: the date, else the null flavor. */
export const time = (name: string, date: PartialDate | undefined, nullFlavor = 'UNK') =>
  date ? el(name, { value: hl7Date(date) }) : el(name, { nullFlavor });

/** `2019-08-11` → `11/08/2019`, `2019-08` → `08/2019`, as French doctors write dates. */
export function frenchPartialDate(date: PartialDate): string {
  return date.slice(0, 10).split('-').reverse().join('/');
}

/** A new globally unique OID (ITU-T X.667: `2.25.` + the UUID as a decimal integer). */
export function uuidOid(uuid: string = crypto.randomUUID()): string {
  return `2.25.${BigInt(`0x${uuid.replace(/-/g, '')}`).toString(10)}`;
}

/** A coded item's attributes, with the CI-SIS code system OID and name. */
export const codeAttrs = (code: VsmCode) => ({
  code: code.code,
  displayName: code.display,
  codeSystem: codeSystems[code.system].oid,
  codeSystemName: codeSystems[code.system].name,
});

/** A JDV_AbsentOrUnknown* code: what an empty section's one entry says. */
export const absentAttrs = (code: string, display: string) => ({
  code,
  displayName: display,
  codeSystem: ABSENT_UNKNOWN_OID,
});

export const loincCode = (code: string, display: string) =>
  el('code', codeAttrs({ system: 'LOINC', code, display }));

export const completed = el('statusCode', { code: 'completed' });

/** 282291009 "interprétation diagnostique": the problem observations' code in the ANS examples. */
export const DIAGNOSIS = el(
  'code',
  codeAttrs({ system: 'SNOMED CT', code: '282291009', display: 'interprétation diagnostique' }),
);

/** The patient as the CI-SIS header names them (INS, birth and used names and first names, birthplace). */
export type HeaderPatient = Pick<
  InsuredPerson,
  'ins' | 'insOid' | 'birthName' | 'usedName' | 'firstNames' | 'birthDate' | 'sex' | 'birthPlaceInsee'
>;

function recordTarget(patient: HeaderPatient): string {
  const first = firstFirstName(patient);
  const name = el(
    'name',
    {},
    textEl('family', patient.birthName, { qualifier: 'BR' }),
    textEl('given', patient.firstNames),
    textEl('given', first, { qualifier: 'BR' }),
    textEl('family', patient.usedName ?? patient.birthName, { qualifier: 'CL' }),
    textEl('given', first, { qualifier: 'CL' }),
  );
  const birthplace = patient.birthPlaceInsee
    ? el('birthplace', {}, el('place', {}, el('addr', {}, textEl('county', patient.birthPlaceInsee))))
    : '';
  const person = el(
    'patient',
    { classCode: 'PSN' },
    name,
    el('administrativeGenderCode', {
      code: patient.sex === 'female' ? 'F' : 'M',
      displayName: patient.sex === 'female' ? 'Féminin' : 'Masculin',
      codeSystem: '2.16.840.1.113883.5.1',
    }),
    el('birthTime', { value: hl7Date(patient.birthDate) }),
    birthplace,
  );
  return el(
    'recordTarget',
    {},
    el('patientRole', {}, el('id', { root: patient.insOid, extension: patient.ins }), person),
  );
}

/** TRE_R02 SecteurActivite: where the care took place. */
const ACTIVITY_SECTOR_OID = '1.2.250.1.71.4.2.4';

/** The encounter the document belongs to, in an individual practice ("Cabinet individuel"). */
export const encompassingEncounter = (effectiveTime: string) =>
  el(
    'componentOf',
    {},
    el(
      'encompassingEncounter',
      {},
      effectiveTime,
      el(
        'location',
        {},
        el(
          'healthCareFacility',
          {},
          el('code', { code: 'SA07', displayName: 'Cabinet individuel', codeSystem: ACTIVITY_SECTOR_OID }),
        ),
      ),
    ),
  );

/** What opens every CI-SIS header, the volet's own parts given. */
export interface DocumentHead {
  /** The volet's templateIds after the CI-SIS ones. */
  readonly templates: string;
  readonly id: string;
  /** The document type's code element. */
  readonly code: string;
  readonly title: string;
  /** HL7 TS. */
  readonly time: string;
  readonly setId: { readonly root: string; readonly extension: string | undefined };
  readonly versionNumber: number;
  readonly patient: HeaderPatient;
  /** What the author is after its id: the person or the device, the organisation. */
  readonly assignedAuthor: readonly string[];
  /** The custodian's `representedCustodianOrganization`. */
  readonly custodian: string;
}

/** The whole document: the header's opening to the custodian, then `rest` (what follows, the body's component). */
export function clinicalDocument(head: DocumentHead, ...rest: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${el(
    'ClinicalDocument',
    { xmlns: 'urn:hl7-org:v3', 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance' },
    el('realmCode', { code: 'FR' }),
    el('typeId', { root: '2.16.840.1.113883.1.3', extension: 'POCD_HD000040' }),
    templateIds('2.16.840.1.113883.2.8.2.1', '1.2.250.1.213.1.1.1.1'),
    head.templates,
    el('id', { root: head.id }),
    head.code,
    textEl('title', head.title),
    el('effectiveTime', { value: head.time }),
    el('confidentialityCode', { code: 'N', displayName: 'Normal', codeSystem: '2.16.840.1.113883.5.25' }),
    el('languageCode', { code: 'fr-FR' }),
    el('setId', head.setId),
    el('versionNumber', { value: String(head.versionNumber) }),
    recordTarget(head.patient),
    el('author', {}, el('time', { value: head.time }), el('assignedAuthor', {}, ...head.assignedAuthor)),
    el('custodian', {}, el('assignedCustodian', {}, head.custodian)),
    ...rest,
  )}\n`;
}

/** What a section says of itself: its templateIds, LOINC code and title. */
export interface SectionHeading {
  readonly templates: readonly string[];
  readonly code: string;
  readonly display: string;
  readonly title: string;
}

/** A section: its heading and id, then its narrative `text`, entries and sub-sections. */
export const section = (heading: SectionHeading, id: string, ...content: string[]) =>
  el(
    'component',
    {},
    el(
      'section',
      {},
      templateIds(...heading.templates),
      el('id', { root: id }),
      loincCode(heading.code, heading.display),
      textEl('title', heading.title),
      ...content,
    ),
  );

// ---- Entries: the IHE shapes both volets write, with the CI-SIS templateIds --------------------------------------

/** The entries' ids: the VSM numbers them under the document's OID, the IPS gives each a new OID. */
export type NewId = () => string;

export interface ConcernKind {
  readonly concern: readonly string[];
  readonly observation: readonly string[];
}

export const PROBLEM_CONCERN: ConcernKind = {
  concern: [
    '2.16.840.1.113883.10.20.1.27',
    '1.3.6.1.4.1.19376.1.5.3.1.4.5.1',
    '1.3.6.1.4.1.19376.1.5.3.1.4.5.2',
    '1.2.250.1.213.1.1.3.39',
  ],
  observation: ['2.16.840.1.113883.10.20.1.28', '1.3.6.1.4.1.19376.1.5.3.1.4.5', '1.2.250.1.213.1.1.3.37'],
};

export const ALLERGY_CONCERN: ConcernKind = {
  concern: [
    '2.16.840.1.113883.10.20.1.27',
    '1.3.6.1.4.1.19376.1.5.3.1.4.5.1',
    '1.3.6.1.4.1.19376.1.5.3.1.4.5.3',
    '1.2.250.1.213.1.1.3.40',
  ],
  observation: [
    '2.16.840.1.113883.10.20.1.18',
    '2.16.840.1.113883.10.20.1.28',
    '1.3.6.1.4.1.19376.1.5.3.1.4.5',
    '1.3.6.1.4.1.19376.1.5.3.1.4.6',
    '1.2.250.1.213.1.1.3.41',
  ],
};

/** An IHE concern act holding its one observation; `observation` is what follows the observation's id. */
export function concern(
  kind: ConcernKind,
  newId: NewId,
  status: 'active' | 'completed',
  effectiveTime: string,
  ...observation: string[]
): string {
  return el(
    'act',
    { classCode: 'ACT', moodCode: 'EVN' },
    templateIds(...kind.concern),
    el('id', { root: newId() }),
    el('code', { nullFlavor: 'NA' }),
    el('statusCode', { code: status }),
    effectiveTime,
    el(
      'entryRelationship',
      { typeCode: 'SUBJ', inversionInd: 'false' },
      el(
        'observation',
        { classCode: 'OBS', moodCode: 'EVN', negationInd: 'false' },
        templateIds(...kind.observation),
        el('id', { root: newId() }),
        ...observation,
      ),
    ),
  );
}

/** The allergy's agent (a participant of the allergy observation). */
export const allergyAgent = (...entity: string[]) =>
  el(
    'participant',
    { typeCode: 'CSM' },
    el('participantRole', { classCode: 'MANU' }, el('playingEntity', { classCode: 'MMAT' }, ...entity)),
  );

/** IHE Procedure entry: `code` the act, done on `date`; `extra` after the effective time. */
export const procedure = (
  newId: NewId,
  code: string,
  textId: string,
  date: PartialDate | undefined,
  ...extra: string[]
) =>
  el(
    'procedure',
    { classCode: 'PROC', moodCode: 'EVN' },
    templateIds('1.3.6.1.4.1.19376.1.5.3.1.4.19', '2.16.840.1.113883.10.20.1.29', '1.2.250.1.213.1.1.3.62'),
    el('id', { root: newId() }),
    code,
    textReference(textId),
    completed,
    time('effectiveTime', date),
    ...extra,
  );

/** IHE Medication entry (a drug taken from `start` to `end`); `rest` the route, the product, what follows. */
export const medication = (
  newId: NewId,
  textId: string,
  period: { readonly start?: PartialDate | undefined; readonly end?: PartialDate | undefined },
  ...rest: string[]
) =>
  el(
    'substanceAdministration',
    { classCode: 'SBADM', moodCode: 'EVN' },
    templateIds(
      '2.16.840.1.113883.10.20.1.24',
      '1.3.6.1.4.1.19376.1.5.3.1.4.7',
      '1.2.250.1.213.1.1.3.42',
      '1.3.6.1.4.1.19376.1.5.3.1.4.7.1',
    ),
    el('id', { root: newId() }),
    el('code', {
      code: 'DRUG',
      displayName: 'Médicament',
      codeSystem: '2.16.840.1.113883.5.4',
      codeSystemName: 'HL7:ActCode',
    }),
    textReference(textId),
    completed,
    el('effectiveTime', { 'xsi:type': 'IVL_TS' }, time('low', period.start), time('high', period.end)),
    ...rest,
  );

/** IHE product entry (FR-Produit-de-sante's templates) around a `manufacturedMaterial`'s children. */
export const manufacturedProduct = (attrs: Record<string, string>, ...material: string[]) =>
  el(
    'manufacturedProduct',
    attrs,
    templateIds('2.16.840.1.113883.10.20.1.53', '1.3.6.1.4.1.19376.1.5.3.1.4.7.2', '1.2.250.1.213.1.1.3.43'),
    el('manufacturedMaterial', {}, ...material),
  );

/**
 * FR-Produit-de-sante's material: a health product is coded in CIS, with its brand name; without a CIS code, the code
 * is NA and what is known (the ATC class, or "no information") is its translation, and the name is NA.
 */
export const productMaterial = (textId: string, cis: VsmCode | undefined, translation: string) =>
  cis
    ? el('code', codeAttrs(cis), originalText(textId), translation) + textEl('name', cis.display)
    : el('code', { nullFlavor: 'NA' }, originalText(textId), translation) + el('name', { nullFlavor: 'NA' });

/** IHE vital signs: the organizer's and observation's templates both volets write, and the organizer's code. */
export const VITAL_SIGNS_ORGANIZER = [
  '2.16.840.1.113883.10.20.1.32',
  '2.16.840.1.113883.10.20.1.35',
  '1.3.6.1.4.1.19376.1.5.3.1.4.13.1',
];
export const VITAL_SIGN_OBSERVATION = [
  '2.16.840.1.113883.10.20.1.31',
  '1.3.6.1.4.1.19376.1.5.3.1.4.13',
  '1.3.6.1.4.1.19376.1.5.3.1.4.13.2',
];
export const VITAL_SIGNS_CODE = loincCode('85353-1', 'Signes vitaux');

/** IHE Social History Observation (FR-Habitus-Mode-de-vie). */
export const SOCIAL_HISTORY_OBSERVATION = [
  '2.16.840.1.113883.10.20.1.33',
  '1.3.6.1.4.1.19376.1.5.3.1.4.13',
  '1.3.6.1.4.1.19376.1.5.3.1.4.13.4',
  '1.2.250.1.213.1.1.3.52',
];
