import {
  absentAttrs,
  ALLERGY_CONCERN,
  allergyAgent,
  clinicalDocument,
  codeAttrs,
  completed,
  concern,
  DIAGNOSIS,
  el,
  encompassingEncounter,
  frenchPartialDate,
  hl7Time,
  loincCode,
  manufacturedProduct,
  medication,
  originalText,
  PROBLEM_CONCERN,
  procedure,
  productMaterial,
  section as sectionXml,
  SOCIAL_HISTORY_OBSERVATION,
  templateIds,
  textEl,
  textReference as reference,
  time,
  uuidOid,
  VITAL_SIGN_OBSERVATION,
  VITAL_SIGNS_CODE,
  VITAL_SIGNS_ORGANIZER,
  type SectionHeading,
  OTHER_SOCIAL_ELEMENT,
  isVitalSign,
  type VsmCode,
} from '../vsm/index.ts';
import type { IpsContent, IpsImmunization, IpsInput, IpsItem } from './model.ts';

export const IPS_TYPE_CODE = '60591-5';
export const IPS_TITLE = 'Synthèse médicale du patient (IPS-FR)';
/** CI-SIS volet "International Patient Summary - France" (header templateId of the ANS example). */
export const IPS_FR_TEMPLATE = { root: '1.2.250.1.213.1.1.1.51', extension: '2024.01' } as const;
/** Carnet as the software that writes the summary (author device, custodian): a fixed UUID-based OID. */
export const CARNET_SYSTEM_OID = uuidOid('5b0f3c1e-7d1a-4c47-9a55-2f8f0e6c1a01');

/** TA_ASIP "autre …" codes the ANS example uses for an item given as text only. */
const TA_ASIP = '1.2.250.1.213.1.1.4.322';

/** A code as the IPS writes it: the code system named as the VSM items name it (`CIM-10`). */
const cd = (name: string, code: VsmCode, type?: string, originalRef?: string) =>
  el(
    name,
    { 'xsi:type': type, ...codeAttrs(code), codeSystemName: code.system },
    originalRef ? originalText(originalRef) : '',
  );

const frDate = (date: string | undefined) => (date ? frenchPartialDate(date) : '');

/** A narrative cell; one with an id is a `content` an entry refers to. */
type Cell = string | { readonly text: string; readonly id: string };

const cell = (value: Cell) =>
  typeof value === 'string'
    ? textEl('td', value)
    : el('td', {}, textEl('content', value.text, { ID: value.id }));

/** The narrative table of a section. */
function table(header: readonly string[], rows: readonly (readonly Cell[])[]) {
  return el(
    'table',
    { border: '0' },
    el('thead', {}, el('tr', {}, ...header.map((h) => textEl('th', h)))),
    el('tbody', {}, ...rows.map((cells) => el('tr', {}, ...cells.map(cell)))),
  );
}

function section(spec: SectionHeading, text: string, entries: readonly string[]): string {
  return sectionXml(
    spec,
    uuidOid(),
    el('text', {}, text),
    ...entries.map((entry) => (entry.startsWith('<entry') ? entry : el('entry', {}, entry))),
  );
}

const reporterLabel = (item: { reportedBy?: string; reporterName?: string }) =>
  item.reportedBy === 'patient'
    ? 'Déclaré par le patient'
    : item.reportedBy
      ? `Transmis par ${item.reporterName ?? 'une application'}`
      : 'Volet de synthèse médicale';

/** An entry the patient (or a feed) reported, not a clinician: the CDA informant of the entry. */
const informant = (item: { reportedBy?: string }) =>
  item.reportedBy === 'patient' ? el('informant', {}, el('relatedEntity', { classCode: 'PAT' })) : '';

const comment = (id: string) =>
  el(
    'entryRelationship',
    { typeCode: 'SUBJ', inversionInd: 'true' },
    el(
      'act',
      { classCode: 'ACT', moodCode: 'EVN' },
      templateIds('2.16.840.1.113883.10.20.1.40', '1.3.6.1.4.1.19376.1.5.3.1.4.2', '1.2.250.1.213.1.1.3.32'),
      loincCode('48767-8', 'Commentaire'),
      reference(id),
      completed,
    ),
  );

/** A JDV_AbsentOrUnknown* code (an empty required section's one entry), pointing at the narrative that says so. */
const absentCode = (name: string, code: string, display: string, ref: string, type?: string) =>
  el(name, { 'xsi:type': type, ...absentAttrs(code, display) }, originalText(ref));

/** The narrative of an empty section. */
const absentText = (id: string, text: string) => el('paragraph', {}, textEl('content', text, { ID: id }));

// ---- Problems (active and past) -------------------------------------------------------------------------------

function problemStatus(resolved: boolean, id: string) {
  return el(
    'entryRelationship',
    { typeCode: 'REFR', inversionInd: 'false' },
    el(
      'observation',
      { classCode: 'OBS', moodCode: 'EVN', negationInd: 'false' },
      templateIds(
        '2.16.840.1.113883.10.20.1.50',
        '2.16.840.1.113883.10.20.1.57',
        '1.3.6.1.4.1.19376.1.5.3.1.4.1.1',
        '1.2.250.1.213.1.1.3.30',
      ),
      loincCode('33999-4', 'Status'),
      reference(id),
      completed,
      el('value', {
        'xsi:type': 'CE',
        code: resolved ? 'resolved' : 'active',
        displayName: resolved ? 'Résolu' : 'Actif',
        codeSystem: '2.16.840.1.113883.4.642.1.1074',
        codeSystemName: 'HL7:condition-clinical',
      }),
    ),
  );
}

/** FR-Liste-des-problemes holding one FR-Probleme; `value` is the CIM-10 code, or what says the list is empty. */
function problemEntry(id: string, item: IpsItem | undefined, value: string, resolved: boolean): string {
  const period = el('effectiveTime', {}, time('low', item?.start), resolved ? time('high', item?.end) : '');
  return concern(
    PROBLEM_CONCERN,
    uuidOid,
    resolved ? 'completed' : 'active',
    period,
    item?.reportedBy === 'patient'
      ? el(
          'code',
          codeAttrs({
            system: 'SNOMED CT',
            code: '418799008',
            display: 'symptôme rapporté par le patient ou le répondant',
          }),
        )
      : DIAGNOSIS,
    reference(id),
    completed,
    period,
    value,
    item ? informant(item) : '',
    item ? problemStatus(resolved, `${id}-statut`) : '',
  );
}

function problemValue(item: IpsItem, id: string): string {
  if (item.code?.system === 'CIM-10') return cd('value', item.code, 'CD', id);
  // Text only: the ANS example's CIM-10 code for an unspecified problem, the words in the narrative.
  return cd(
    'value',
    { system: 'CIM-10', code: 'R69', display: 'Causes inconnues et non précisées de morbidité' },
    'CD',
    id,
  );
}

function problemsSection(spec: SectionHeading, items: readonly IpsItem[], resolved: boolean, prefix: string) {
  const ids = items.map((_, i) => `${prefix}-${i + 1}`);
  const header = ['Problème', 'Début', ...(resolved ? ['Fin'] : []), 'Statut', 'Source'];
  const rows = items.map((item, i) => [
    { text: item.text, id: ids[i]! },
    frDate(item.start),
    ...(resolved ? [frDate(item.end)] : []),
    { text: resolved ? 'Résolu' : 'Actif', id: `${ids[i]}-statut` },
    reporterLabel(item),
  ]);
  if (items.length === 0) {
    const id = `${prefix}-absent`;
    return section(spec, absentText(id, 'Pas d’information sur les problèmes.'), [
      problemEntry(
        id,
        undefined,
        absentCode('value', 'no-problem-info', "Pas d'information sur les problèmes", id, 'CD'),
        resolved,
      ),
    ]);
  }
  return section(
    spec,
    table(header, rows),
    items.map((item, i) => problemEntry(ids[i]!, item, problemValue(item, ids[i]!), resolved)),
  );
}

// ---- Procedures ---------------------------------------------------------------------------------------------

function proceduresSection(items: readonly IpsItem[]) {
  const spec: SectionHeading = {
    templates: [
      '2.16.840.1.113883.10.20.1.12',
      '1.3.6.1.4.1.19376.1.5.3.1.3.11',
      '1.3.6.1.4.1.19376.1.5.3.1.3.12',
      '1.2.250.1.213.1.1.2.136',
    ],
    code: '47519-4',
    display: 'Historique des actes',
    title: 'Historique des actes',
  };
  if (items.length === 0) {
    return section(spec, absentText('acte-absent', 'Pas d’information sur les actes et interventions.'), [
      procedure(
        uuidOid,
        absentCode(
          'code',
          'no-procedure-info',
          "Pas d'information sur les actes et interventions",
          'acte-absent',
        ),
        'acte-absent',
        undefined,
      ),
    ]);
  }
  const ids = items.map((_, i) => `acte-${i + 1}`);
  return section(
    spec,
    table(
      ['Acte', 'Date', 'Source'],
      items.map((item, i) => [{ text: item.text, id: ids[i]! }, frDate(item.start), reporterLabel(item)]),
    ),
    items.map((item, i) =>
      procedure(
        uuidOid,
        item.code?.system === 'CCAM'
          ? cd('code', item.code, undefined, ids[i])
          : el(
              'code',
              {
                code: 'GEN-092.04.13',
                displayName: 'Autre acte',
                codeSystem: TA_ASIP,
                codeSystemName: 'TA_ASIP',
              },
              originalText(ids[i]!),
            ),
        ids[i]!,
        item.start,
        informant(item),
      ),
    ),
  );
}

// ---- Allergies ----------------------------------------------------------------------------------------------

const allergyTypes = {
  medication: ['416098002', 'allergie médicamenteuse'],
  food: ['414285001', 'allergie alimentaire'],
  environment: ['419199007', 'allergie à une substance'],
  biologic: ['419199007', 'allergie à une substance'],
  unknown: ['609328004', 'allergie'],
} as const;

const allergyEntry = (start: string | undefined, ...observation: string[]) =>
  concern(ALLERGY_CONCERN, uuidOid, 'active', el('effectiveTime', {}, time('low', start)), ...observation);

function allergiesSection(items: readonly IpsItem[]) {
  const spec: SectionHeading = {
    templates: ['2.16.840.1.113883.10.20.1.2', '1.3.6.1.4.1.19376.1.5.3.1.3.13', '1.2.250.1.213.1.1.2.137'],
    code: '48765-2',
    display: 'Allergies et hypersensibilités',
    title: 'Allergies et intolérances',
  };
  if (items.length === 0) {
    return section(spec, absentText('allergie-absent', 'Pas d’information sur les allergies.'), [
      allergyEntry(
        undefined,
        el('code', codeAttrs({ system: 'SNOMED CT', code: '609328004', display: 'allergie' })),
        reference('allergie-absent'),
        completed,
        el('effectiveTime', {}, time('low', undefined)),
        absentCode(
          'value',
          'no-allergy-info',
          'Pas d’information sur les allergies/hypersensibilités',
          'allergie-absent',
          'CD',
        ),
      ),
    ]);
  }
  const ids = items.map((_, i) => `allergie-${i + 1}`);
  const severity = { mild: 'légère', moderate: 'modérée', severe: 'sévère' } as const;
  return section(
    spec,
    table(
      ['Agent', 'Réaction', 'Sévérité', 'Depuis', 'Source'],
      items.map((item, i) => [
        { text: item.text, id: ids[i]! },
        item.reaction ?? '',
        item.severity ? severity[item.severity] : '',
        frDate(item.start),
        reporterLabel(item),
      ]),
    ),
    items.map((item, i) => {
      const [code, display] = allergyTypes[item.category ?? 'unknown'];
      const agent = item.code
        ? cd('code', item.code, undefined, ids[i])
        : el('code', { nullFlavor: 'OTH' }, originalText(ids[i]!));
      return allergyEntry(
        item.start,
        el('code', codeAttrs({ system: 'SNOMED CT', code, display })),
        reference(ids[i]!),
        completed,
        el('effectiveTime', {}, time('low', item.start)),
        el('value', { 'xsi:type': 'CD' }, originalText(ids[i]!)),
        informant(item),
        allergyAgent(agent, textEl('name', item.text)),
      );
    }),
  );
}

// ---- Medications --------------------------------------------------------------------------------------------

const translation = (code: VsmCode) => el('translation', codeAttrs(code));
const absentTranslation = (code: string, display: string) => el('translation', absentAttrs(code, display));

function medicationEntry(id: string, item: IpsItem | undefined, material: string) {
  return el(
    'entry',
    { typeCode: 'DRIV' },
    medication(
      uuidOid,
      id,
      { start: item?.start, end: item?.end },
      item?.route ? cd('routeCode', item.route) : '',
      el('consumable', {}, manufacturedProduct({ classCode: 'MANU' }, material)),
      item ? informant(item) : '',
      item?.dosage ? comment(`${id}-posologie`) : '',
    ),
  );
}

function medicationsSection(items: readonly IpsItem[]) {
  const spec: SectionHeading = {
    templates: ['2.16.840.1.113883.10.20.1.8', '1.3.6.1.4.1.19376.1.5.3.1.3.19', '1.2.250.1.213.1.1.2.143'],
    code: '10160-0',
    display: 'Historique de la prise médicamenteuse',
    title: 'Traitements',
  };
  if (items.length === 0) {
    const id = 'traitement-absent';
    return section(spec, absentText(id, 'Pas d’information sur les traitements médicamenteux.'), [
      medicationEntry(
        id,
        undefined,
        productMaterial(
          id,
          undefined,
          absentTranslation('no-medication-info', "Pas d'information sur les traitements médicamenteux"),
        ),
      ),
    ]);
  }
  const ids = items.map((_, i) => `traitement-${i + 1}`);
  const text = table(
    ['Traitement', 'Posologie', 'Début', 'Fin', 'Source'],
    items.map((item, i) => [
      { text: item.text, id: ids[i]! },
      item.dosage ? { text: item.dosage, id: `${ids[i]}-posologie` } : '',
      frDate(item.start),
      frDate(item.end),
      reporterLabel(item),
    ]),
  );
  return section(
    spec,
    text,
    items.map((item, i) =>
      medicationEntry(
        ids[i]!,
        item,
        productMaterial(ids[i]!, item.product, item.code?.system === 'ATC' ? translation(item.code) : ''),
      ),
    ),
  );
}

// ---- Medical devices (Carnet keeps none: the required section says so) ----------------------------------------

function devicesSection() {
  const spec: SectionHeading = {
    templates: ['2.16.840.1.11383.10.20.1.7', '1.3.6.1.4.1.19376.1.5.3.1.1.5.3.5', '1.2.250.1.213.1.1.2.1'],
    code: '46264-8',
    display: 'Dispositifs médicaux',
    title: 'Dispositifs médicaux',
  };
  const id = 'dispositif-absent';
  return section(spec, absentText(id, 'Pas d’information sur les dispositifs médicaux.'), [
    el(
      'supply',
      { classCode: 'SPLY', moodCode: 'EVN' },
      templateIds('2.16.840.1.113883.10.20.1.34', '1.2.250.1.213.1.1.3.20'),
      el('id', { nullFlavor: 'UNK' }),
      reference(id),
      el('effectiveTime', { 'xsi:type': 'IVL_TS' }, el('low', { nullFlavor: 'UNK' })),
      el(
        'participant',
        { typeCode: 'DEV' },
        el(
          'participantRole',
          { classCode: 'MANU' },
          el('id', { nullFlavor: 'UNK' }),
          el(
            'playingDevice',
            { classCode: 'DEV', determinerCode: 'INSTANCE' },
            absentCode('code', 'no-device-info', "Pas d'information sur les dispositifs médicaux", id),
          ),
        ),
      ),
    ),
  ]);
}

// ---- Vital signs --------------------------------------------------------------------------------------------

/** A vital sign of JDV_SignesVitaux in an accepted unit gets an entry; other measurements (HbA1c…) stay narrative. */
const measured = (
  item: IpsItem,
): item is IpsItem & { code: VsmCode; value: { quantity: number; unit: string } } => isVitalSign(item);

const valueText = (item: IpsItem) =>
  !item.value ? '' : 'quantity' in item.value ? `${item.value.quantity} ${item.value.unit}` : item.value.text;

function vitalSignsSection(items: readonly IpsItem[]) {
  if (items.length === 0) return '';
  const ids = items.map((_, i) => `mesure-${i + 1}`);
  const components = items.flatMap((item, i) =>
    measured(item)
      ? [
          el(
            'component',
            { typeCode: 'COMP' },
            el(
              'observation',
              { classCode: 'OBS', moodCode: 'EVN' },
              templateIds(...VITAL_SIGN_OBSERVATION, '1.2.250.1.213.1.1.3.50'),
              el('id', { root: uuidOid() }),
              cd('code', item.code),
              reference(ids[i]!),
              completed,
              time('effectiveTime', item.start),
              el('value', { 'xsi:type': 'PQ', value: String(item.value.quantity), unit: item.value.unit }),
              informant(item),
            ),
          ),
        ]
      : [],
  );
  const organizer =
    components.length === 0
      ? []
      : [
          el(
            'organizer',
            { classCode: 'CLUSTER', moodCode: 'EVN' },
            templateIds(...VITAL_SIGNS_ORGANIZER, '1.2.250.1.213.1.1.3.49'),
            el('id', { root: uuidOid() }),
            VITAL_SIGNS_CODE,
            completed,
            el('effectiveTime', { nullFlavor: 'NA' }),
            ...components,
          ),
        ];
  // The coded section (IHE Coded Vital Signs, FR-Signes-vitaux) needs an organizer: measurements known only as text
  // make the plain IHE Vital Signs section.
  const spec: SectionHeading = {
    templates: [
      '2.16.840.1.113883.10.20.1.16',
      '1.3.6.1.4.1.19376.1.5.3.1.3.25',
      ...(organizer.length > 0 ? ['1.3.6.1.4.1.19376.1.5.3.1.1.5.3.2', '1.2.250.1.213.1.1.2.75'] : []),
    ],
    code: '8716-3',
    display: 'Signes vitaux',
    title: 'Signes vitaux et mesures',
  };
  return section(
    spec,
    table(
      ['Mesure', 'Valeur', 'Date', 'Source'],
      items.map((item, i) => [
        { text: item.text, id: ids[i]! },
        valueText(item),
        frDate(item.start),
        reporterLabel(item),
      ]),
    ),
    organizer,
  );
}

// ---- Social history -----------------------------------------------------------------------------------------

/** JDV_SocialHistoryCodes-CISIS: the codes a FR-Habitus-Mode-de-vie entry may carry. */
const socialHistoryCodes = new Set([
  '72166-2',
  '74011-8',
  '74013-4',
  '11343-1',
  '73985-4',
  '81663-7',
  '11345-6',
]);

function socialHistorySection(items: readonly IpsItem[]) {
  if (items.length === 0) return '';
  const spec: SectionHeading = {
    templates: [
      '2.16.840.1.113883.10.20.1.15',
      '1.3.6.1.4.1.19376.1.5.3.1.3.16',
      '1.3.6.1.4.1.19376.1.5.3.1.3.16.1',
      '1.2.250.1.213.1.1.2.141',
    ],
    code: '29762-2',
    display: 'Habitus, Mode de vie',
    title: 'Mode de vie',
  };
  const ids = items.map((_, i) => `habitus-${i + 1}`);
  return section(
    spec,
    table(
      ['Habitude', 'Précision', 'Depuis', 'Source'],
      items.map((item, i) => [
        { text: item.text, id: ids[i]! },
        valueText(item),
        frDate(item.start),
        reporterLabel(item),
      ]),
    ),
    items.map((item, i) => {
      const code =
        item.code?.system === 'LOINC' && socialHistoryCodes.has(item.code.code)
          ? cd('code', item.code)
          : el('code', codeAttrs(OTHER_SOCIAL_ELEMENT));
      return el(
        'observation',
        { classCode: 'OBS', moodCode: 'EVN' },
        templateIds(...SOCIAL_HISTORY_OBSERVATION),
        el('id', { root: uuidOid() }),
        code,
        reference(ids[i]!),
        completed,
        item.start
          ? el('effectiveTime', {}, time('low', item.start))
          : el('effectiveTime', { nullFlavor: 'NA' }),
        textEl('value', valueText(item) || item.text, { 'xsi:type': 'ST' }),
        informant(item),
      );
    }),
  );
}

// ---- Immunizations ------------------------------------------------------------------------------------------

function immunizationEntry(id: string, item: IpsImmunization | undefined, material: string) {
  return el(
    'substanceAdministration',
    { classCode: 'SBADM', moodCode: 'EVN', negationInd: 'false' },
    templateIds('2.16.840.1.113883.10.20.1.24', '1.3.6.1.4.1.19376.1.5.3.1.4.12', '1.2.250.1.213.1.1.3.45'),
    el('id', { root: uuidOid() }),
    el('code', {
      code: 'IMMUNIZ',
      displayName: 'Vaccination',
      codeSystem: '2.16.840.1.113883.5.4',
      codeSystemName: 'ActSubstanceAdministrationImmunizationCode',
    }),
    reference(id),
    completed,
    time('effectiveTime', item?.date),
    el('consumable', { typeCode: 'CSM' }, manufacturedProduct({}, material)),
    item ? informant(item) : '',
  );
}

function immunizationsSection(items: readonly IpsImmunization[]) {
  const spec: SectionHeading = {
    templates: ['2.16.840.1.113883.10.20.1.6', '1.3.6.1.4.1.19376.1.5.3.1.3.23', '1.2.250.1.213.1.1.2.147'],
    code: '11369-6',
    display: 'Historique des vaccinations',
    title: 'Vaccinations',
  };
  if (items.length === 0) {
    const id = 'vaccin-absent';
    return section(spec, absentText(id, 'Pas d’information sur les vaccinations.'), [
      immunizationEntry(
        id,
        undefined,
        productMaterial(
          id,
          undefined,
          absentTranslation('no-immunization-info', "Pas d'information sur les vaccins"),
        ),
      ),
    ]);
  }
  const ids = items.map((_, i) => `vaccin-${i + 1}`);
  return section(
    spec,
    table(
      ['Vaccin', 'Date', 'Dose', 'Lot', 'Source'],
      items.map((item, i) => [
        { text: item.text, id: ids[i]! },
        frDate(item.date),
        item.doseLabel ?? '',
        item.lot ?? '',
        reporterLabel(item),
      ]),
    ),
    items.map((item, i) => {
      const atc = item.atc ? translation({ system: 'ATC', ...item.atc }) : '';
      return immunizationEntry(
        ids[i]!,
        item,
        productMaterial(ids[i]!, undefined, atc) + (item.lot ? textEl('lotNumberText', item.lot) : ''),
      );
    }),
  );
}

// ---- Text-only sections -------------------------------------------------------------------------------------

function textSection(spec: SectionHeading, lines: readonly string[]) {
  if (lines.length === 0) return '';
  return section(spec, lines.map((l) => textEl('paragraph', l)).join(''), []);
}

// ---- Header -------------------------------------------------------------------------------------------------

const carnetOrganization = (element: string) =>
  el(element, {}, el('id', { root: CARNET_SYSTEM_OID }), textEl('name', 'Carnet — Mon espace santé'));

/**
 * The IPS-FR 2024.01 as a CDA R2 document, laid out as the ANS example: CI-SIS header with the IPS templateIds,
 * author the software that assembled it; the required sections (active problems, procedures, allergies,
 * medications, medical devices) always present, with the JDV_AbsentOrUnknown* code when empty; the others when
 * they have content. Each item is an entry coded where its code is known, its words in the narrative.
 */
export function buildIpsCda(input: IpsInput): string {
  const { content, patient } = input;
  const time = hl7Time(input.generatedAt);
  return clinicalDocument(
    {
      templates: templateIds('2.16.840.1.113883.10.22.1.1') + el('templateId', IPS_FR_TEMPLATE),
      id: input.documentOid,
      code: loincCode(IPS_TYPE_CODE, 'Synthèse médicale'),
      title: IPS_TITLE,
      time,
      setId: { root: input.documentOid, extension: undefined },
      versionNumber: 1,
      patient,
      assignedAuthor: [
        el('id', { root: CARNET_SYSTEM_OID, extension: 'ips' }),
        el(
          'assignedAuthoringDevice',
          {},
          textEl('manufacturerModelName', 'Carnet'),
          textEl('softwareName', 'Carnet — synthèse IPS-FR'),
        ),
        carnetOrganization('representedOrganization'),
      ],
      custodian: carnetOrganization('representedCustodianOrganization'),
    },
    el('documentationOf', {}, el('serviceEvent', {}, el('effectiveTime', {}, el('low', { value: time })))),
    encompassingEncounter(el('effectiveTime', { nullFlavor: 'NA' })),
    el('component', {}, el('structuredBody', {}, ...bodySections(content))),
  );
}

function bodySections(content: IpsContent): string[] {
  return [
    problemsSection(
      {
        templates: [
          '2.16.840.1.113883.10.20.1.11',
          '1.3.6.1.4.1.19376.1.5.3.1.3.6',
          '1.2.250.1.213.1.1.2.132',
        ],
        code: '11450-4',
        display: 'Liste des problèmes actifs',
        title: 'Problèmes actifs',
      },
      content.problems,
      false,
      'probleme',
    ),
    content.pastIllnesses.length > 0
      ? problemsSection(
          {
            templates: ['1.3.6.1.4.1.19376.1.5.3.1.3.8', '1.2.250.1.213.1.1.2.134'],
            code: '11348-0',
            display: 'Antécédents médicaux',
            title: 'Antécédents',
          },
          content.pastIllnesses,
          true,
          'antecedent',
        )
      : '',
    proceduresSection(content.procedures),
    allergiesSection(content.allergies),
    medicationsSection(content.medications),
    devicesSection(),
    vitalSignsSection(content.vitalSigns),
    socialHistorySection(content.socialHistory),
    immunizationsSection(content.immunizations),
    textSection(
      {
        templates: [
          '2.16.840.1.113883.10.20.1.10',
          '1.3.6.1.4.1.19376.1.5.3.1.3.36',
          '1.2.250.1.213.1.1.2.158',
        ],
        code: '18776-5',
        display: 'Plan de soins',
        title: 'Plan de soins',
      },
      content.planOfCare,
    ),
    textSection(
      {
        templates: [
          '2.16.840.1.113883.10.20.1.1',
          '1.3.6.1.4.1.19376.1.5.3.1.3.34',
          '1.2.250.1.213.1.1.2.157',
        ],
        code: '42348-3',
        display: 'Directives anticipées',
        title: 'Directives anticipées',
      },
      content.advanceDirectives,
    ),
  ].filter((s) => s !== '');
}
