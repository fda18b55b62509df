import {
  absentAttrs,
  ALLERGY_CONCERN,
  allergyAgent,
  codeAttrs,
  completed,
  concern,
  DIAGNOSIS,
  el,
  escapeXml,
  frenchPartialDate,
  manufacturedProduct,
  medication,
  originalText,
  PROBLEM_CONCERN,
  procedure,
  productMaterial,
  section,
  SOCIAL_HISTORY_OBSERVATION,
  templateIds as templates,
  textEl,
  textReference as textRef,
  time,
  VITAL_SIGN_OBSERVATION,
  VITAL_SIGNS_CODE,
  VITAL_SIGNS_ORGANIZER,
  type NewId,
} from './cda-parts.ts';
import { OTHER_SOCIAL_ELEMENT, relativeRoles, severityCodes, vitalSignUnits } from './codes.ts';
import type { PartialDate, VsmCode, VsmItem, VsmValue } from './items.ts';
import {
  CODED_FAMILY_HISTORY_TEMPLATE,
  CODED_SOCIAL_HISTORY_TEMPLATE,
  CODED_VITAL_SIGNS_TEMPLATE,
  vsmLayout,
  type SectionSpec,
} from './layout.ts';
import type { VsmContent, VsmSection, VsmSectionKey } from './model.ts';

/**
 * The body of a VSM 2023.01: each section's narrative (the items as a list, each item's own words in a `content`
 * the entries point to, its coded details after them; the free text as paragraphs) and one entry per item, shaped
 * as in the ANS example (VSM_1.4_2022.01.xml). An empty section says "no information" with the HL7 absent-or-unknown
 * code (JDV_AbsentOrUnknown*_CISIS) where the model wants an entry.
 */

const XSI_TYPE = 'xsi:type';

/** Section and entry ids: the document's OID with a running number, so a document's ids are its own. */
const idsUnder = (root: string): NewId => {
  let n = 0;
  return () => `${root}.${++n}`;
};
const idEl = (newId: NewId) => el('id', { root: newId() });

/** What an empty section's entry says, and its narrative. */
const absent: Partial<Record<VsmSectionKey, { readonly code: string; readonly display: string }>> = {
  activeProblems: { code: 'no-problem-info', display: 'Pas d’information sur les problèmes' },
  personalHistory: { code: 'no-problem-info', display: 'Pas d’information sur les problèmes' },
  medicalHistory: { code: 'no-procedure-info', display: 'Pas d’information sur les actes et interventions' },
  allergies: { code: 'no-allergy-info', display: 'Pas d’information sur les allergies/hypersensibilités' },
  treatments: { code: 'no-medication-info', display: 'Pas d’information sur les traitements médicamenteux' },
};
const NOTHING = 'Non renseigné';

/** The narrative's marks for what is not the doctor's words: an item's coded details, an empty section's notice. */
export const DETAILS_STYLE = 'xVsmDetails';
export const ABSENT_STYLE = 'xVsmAbsent';

/** The narrative ID of an item, and of its details. */
export const itemRef = (key: VsmSectionKey, index: number) => `${key}-${index + 1}`;
export const absentRef = (key: VsmSectionKey) => `${key}-absent`;

const formatValue = (value: VsmValue) => ('text' in value ? value.text : `${value.quantity} ${value.unit}`);
const formatCode = (code: VsmCode) => `${code.system} ${code.code} : ${code.display}`;

/** One narrative item: the doctor's words, then what the entry codes (each detail an ID the entry points to). */
function narrativeItem(key: VsmSectionKey, index: number, item: VsmItem): string {
  const id = itemRef(key, index);
  const details: string[] = [];
  const detail = (label: string, suffix: string, text: string) =>
    details.push(`${label}${textEl('content', text, { ID: `${id}-${suffix}` })}`);
  const plain = (text: string) => details.push(escapeXml(text));
  if (item.relative) detail('lien : ', 'relative', relativeRoles[item.relative].display);
  if (item.code) plain(formatCode(item.code));
  if (item.product) plain(`spécialité : ${formatCode(item.product)}`);
  if (item.route) detail('voie : ', 'route', item.route.display);
  if (item.dosage) detail('posologie : ', 'dosage', item.dosage);
  if (item.reaction) detail('réaction : ', 'reaction', item.reaction);
  if (item.severity) detail('sévérité : ', 'severity', severityCodes[item.severity].display);
  if (item.value) detail('valeur : ', 'value', formatValue(item.value));
  if (item.start && item.end) plain(`du ${frenchPartialDate(item.start)} au ${frenchPartialDate(item.end)}`);
  else if (item.start) {
    const ongoing = key === 'activeProblems' || key === 'treatments' || key === 'allergies';
    plain(`${ongoing ? 'depuis' : 'date :'} ${frenchPartialDate(item.start)}`);
  } else if (item.end) plain(`jusqu’au ${frenchPartialDate(item.end)}`);
  const shown = details.length
    ? el('content', { styleCode: DETAILS_STYLE }, ` (${details.join(' ; ')})`)
    : '';
  return el('item', {}, textEl('content', item.text, { ID: id }), shown);
}

function narrative(key: VsmSectionKey, section: VsmSection, empty: string | undefined): string {
  const list = section.items.length
    ? el('list', {}, ...section.items.map((item, i) => narrativeItem(key, i, item)))
    : '';
  const paragraphs =
    section.note === '' ? [] : section.note.split('\n').map((line) => textEl('paragraph', line));
  // An empty section still says so: the model's sections are never silent.
  const none =
    list === '' && empty !== undefined
      ? textEl('paragraph', empty, { ID: absentRef(key), styleCode: ABSENT_STYLE })
      : '';
  return el('text', {}, none, list, ...paragraphs);
}

/** Problem concern + problem observation (active problems, personal history). */
function problemEntry(ids: NewId, textId: string, item: VsmItem | undefined, history: boolean): string {
  const empty = absent.activeProblems!;
  const period = (low: PartialDate | undefined, high: PartialDate | undefined, withHigh: boolean) =>
    el('effectiveTime', {}, time('low', low), withHigh ? time('high', high) : '');
  const value = item?.code
    ? el('value', { [XSI_TYPE]: 'CD', ...codeAttrs(item.code) }, originalText(textId))
    : item
      ? el('value', { [XSI_TYPE]: 'CD' }, originalText(textId))
      : el('value', { [XSI_TYPE]: 'CD', ...absentAttrs(empty.code, empty.display) }, originalText(textId));
  return el(
    'entry',
    {},
    concern(
      PROBLEM_CONCERN,
      ids,
      history ? 'completed' : 'active',
      period(item?.start, item?.end, history),
      DIAGNOSIS,
      textRef(textId),
      completed,
      period(item?.start, item?.end, history && item?.end !== undefined),
      value,
    ),
  );
}

/** Procedure entry (medical history: CCAM acts, hospital stays). */
function procedureEntry(ids: NewId, textId: string, item: VsmItem | undefined): string {
  const empty = absent.medicalHistory!;
  const code = item?.code
    ? el('code', codeAttrs(item.code), originalText(textId))
    : item
      ? el('code', { nullFlavor: 'OTH' }, originalText(textId))
      : el('code', absentAttrs(empty.code, empty.display), originalText(textId));
  return el('entry', {}, procedure(ids, code, textId, item?.start));
}

/** Allergy concern + allergy observation, with the agent, the reaction and the severity when known. */
function allergyEntry(ids: NewId, textId: string, item: VsmItem | undefined): string {
  const empty = absent.allergies!;
  const code = item?.code;
  const value =
    code?.system === 'SNOMED CT'
      ? el('value', { [XSI_TYPE]: 'CD', ...codeAttrs(code) }, originalText(textId))
      : item
        ? el('value', { [XSI_TYPE]: 'CD' }, originalText(textId))
        : el('value', { [XSI_TYPE]: 'CD', ...absentAttrs(empty.code, empty.display) }, originalText(textId));
  const agent =
    code && code.system !== 'SNOMED CT'
      ? allergyAgent(el('code', codeAttrs(code), originalText(textId)))
      : '';
  const reaction = item?.reaction
    ? el(
        'entryRelationship',
        { typeCode: 'MFST', inversionInd: 'true' },
        el(
          'observation',
          { classCode: 'OBS', moodCode: 'EVN' },
          templates(
            '2.16.840.1.113883.10.20.1.54',
            '2.16.840.1.113883.10.20.1.28',
            '1.3.6.1.4.1.19376.1.5.3.1.4.5',
          ),
          idEl(ids),
          el('code', codeAttrs({ system: 'SNOMED CT', code: '404684003', display: 'constatation clinique' })),
          textRef(`${textId}-reaction`),
          completed,
          el('effectiveTime', {}, el('low', { nullFlavor: 'UNK' })),
          el('value', { [XSI_TYPE]: 'CD' }, originalText(`${textId}-reaction`)),
        ),
      )
    : '';
  const severity = item?.severity
    ? el(
        'entryRelationship',
        { typeCode: 'SUBJ', inversionInd: 'true' },
        el(
          'observation',
          { classCode: 'OBS', moodCode: 'EVN' },
          templates('2.16.840.1.113883.10.20.1.55', '1.3.6.1.4.1.19376.1.5.3.1.4.1'),
          el('code', {
            code: 'SEV',
            displayName: 'Sévérité',
            codeSystem: '2.16.840.1.113883.5.4',
            codeSystemName: 'HL7:ActCode',
          }),
          textRef(`${textId}-severity`),
          completed,
          el('value', {
            [XSI_TYPE]: 'CD',
            ...codeAttrs({ system: 'SNOMED CT', ...severityCodes[item.severity] }),
          }),
        ),
      )
    : '';
  return el(
    'entry',
    {},
    concern(
      ALLERGY_CONCERN,
      ids,
      'active',
      el('effectiveTime', {}, time('low', item?.start)),
      el(
        'code',
        codeAttrs({
          system: 'SNOMED CT',
          code: '420134006',
          display: 'propension aux réactions indésirables',
        }),
      ),
      textRef(textId),
      completed,
      el('effectiveTime', { [XSI_TYPE]: 'IVL_TS' }, time('low', item?.start)),
      value,
      agent,
      reaction,
      severity,
    ),
  );
}

const quantityValue = (value: VsmValue | undefined) =>
  value === undefined
    ? el('value', { [XSI_TYPE]: 'ST', nullFlavor: 'NI' })
    : 'text' in value
      ? textEl('value', value.text, { [XSI_TYPE]: 'ST' })
      : el('value', { [XSI_TYPE]: 'PQ', value: String(value.quantity), unit: value.unit });

/** Social history observation (lifestyle): the LOINC of what is observed, its value as a quantity or text. */
function socialHistoryEntry(ids: NewId, textId: string, item: VsmItem): string {
  return el(
    'entry',
    {},
    el(
      'observation',
      { classCode: 'OBS', moodCode: 'EVN' },
      templates(...SOCIAL_HISTORY_OBSERVATION),
      idEl(ids),
      el('code', codeAttrs(item.code ?? OTHER_SOCIAL_ELEMENT), item.code ? '' : originalText(textId)),
      textRef(textId),
      completed,
      time('effectiveTime', item.start, 'NA'),
      quantityValue(item.value),
    ),
  );
}

/** A vital sign the IHE rules accept: a LOINC of the vital signs list with a quantity in an allowed unit. */
export function isVitalSign(item: VsmItem): boolean {
  if (item.code?.system !== 'LOINC' || !vitalSignUnits.has(item.code.code)) return false;
  if (!item.value || 'text' in item.value) return false;
  const units = vitalSignUnits.get(item.code.code);
  return units === undefined || units.includes(item.value.unit);
}

const measurementCode = (item: VsmItem, textId: string) =>
  item.code ? el('code', codeAttrs(item.code)) : el('code', { nullFlavor: 'OTH' }, originalText(textId));

/** Vital signs organizer with its one observation; other measurements are simple observations. */
function measurementEntry(ids: NewId, textId: string, item: VsmItem): string {
  if (!isVitalSign(item)) {
    return el(
      'entry',
      {},
      el(
        'observation',
        { classCode: 'OBS', moodCode: 'EVN' },
        templates('1.3.6.1.4.1.19376.1.5.3.1.4.13'),
        idEl(ids),
        measurementCode(item, textId),
        textRef(textId),
        completed,
        time('effectiveTime', item.start),
        quantityValue(item.value),
      ),
    );
  }
  return el(
    'entry',
    {},
    el(
      'organizer',
      { classCode: 'CLUSTER', moodCode: 'EVN' },
      templates(...VITAL_SIGNS_ORGANIZER),
      idEl(ids),
      VITAL_SIGNS_CODE,
      completed,
      time('effectiveTime', item.start),
      el(
        'component',
        { typeCode: 'COMP' },
        el(
          'observation',
          { classCode: 'OBS', moodCode: 'EVN' },
          templates(...VITAL_SIGN_OBSERVATION),
          idEl(ids),
          measurementCode(item, textId),
          textRef(textId),
          completed,
          time('effectiveTime', item.start),
          quantityValue(item.value),
        ),
      ),
    ),
  );
}

/** Family history organizer: the relative, and the condition. */
function familyEntry(ids: NewId, textId: string, item: VsmItem): string {
  const role = item.relative ? relativeRoles[item.relative] : undefined;
  const relative = role
    ? el(
        'code',
        {
          code: role.code,
          displayName: role.display,
          codeSystem: '2.16.840.1.113883.5.111',
          codeSystemName: 'RoleCode',
        },
        originalText(`${textId}-relative`),
      )
    : el('code', { nullFlavor: 'UNK' });
  const sex = role?.sex
    ? el(
        'subject',
        {},
        el('administrativeGenderCode', {
          code: role.sex,
          displayName: role.sex === 'F' ? 'Féminin' : 'Masculin',
          codeSystem: '2.16.840.1.113883.5.1',
        }),
      )
    : '';
  return el(
    'entry',
    {},
    el(
      'organizer',
      { classCode: 'CLUSTER', moodCode: 'EVN' },
      templates('2.16.840.1.113883.10.20.1.23', '1.3.6.1.4.1.19376.1.5.3.1.4.15', '1.2.250.1.213.1.1.3.59'),
      completed,
      el(
        'subject',
        { typeCode: 'SBJ' },
        templates('1.3.6.1.4.1.19376.1.5.3.1.4.15.2', '1.2.250.1.213.1.1.3.60'),
        el('relatedSubject', { classCode: 'PRS' }, relative, sex),
      ),
      el(
        'component',
        { typeCode: 'COMP' },
        el(
          'observation',
          { classCode: 'OBS', moodCode: 'EVN' },
          templates(
            '2.16.840.1.113883.10.20.1.22',
            '1.3.6.1.4.1.19376.1.5.3.1.4.13',
            '1.3.6.1.4.1.19376.1.5.3.1.4.13.3',
            '1.2.250.1.213.1.1.3.51',
          ),
          idEl(ids),
          DIAGNOSIS,
          textRef(textId),
          completed,
          el('effectiveTime', { nullFlavor: 'UNK' }),
          item.code
            ? el('value', { [XSI_TYPE]: 'CD', ...codeAttrs(item.code) }, originalText(textId))
            : el('value', { [XSI_TYPE]: 'CD' }, originalText(textId)),
        ),
      ),
    ),
  );
}

/** Medication entry: the product (CIS, else ATC substance class), the route (EDQM), the dosage as written. */
function medicationEntry(ids: NewId, textId: string, item: VsmItem | undefined): string {
  const empty = absent.treatments!;
  // The FR health product is coded in CIS; without one, its code is NA and the ATC class a translation.
  const translation = item?.code
    ? el('translation', codeAttrs(item.code))
    : item
      ? ''
      : el('translation', absentAttrs(empty.code, empty.display));
  const dosage = item?.dosage
    ? el(
        'entryRelationship',
        { typeCode: 'SUBJ', inversionInd: 'true' },
        el(
          'act',
          { classCode: 'ACT', moodCode: 'INT' },
          templates('2.16.840.1.113883.10.20.1.49', '1.3.6.1.4.1.19376.1.5.3.1.4.3'),
          el('code', {
            code: 'PINSTRUCT',
            codeSystem: '1.3.6.1.4.1.19376.1.5.3.2',
            codeSystemName: 'IHEActCode',
          }),
          textRef(`${textId}-dosage`),
          completed,
        ),
      )
    : '';
  return el(
    'entry',
    {},
    medication(
      ids,
      textId,
      { start: item?.start, end: item?.end },
      item?.route ? el('routeCode', codeAttrs(item.route), originalText(`${textId}-route`)) : '',
      el('consumable', {}, manufacturedProduct({}, productMaterial(textId, item?.product, translation))),
      dosage,
    ),
  );
}

/** The entries of a section: one per item, or the "no information" entry where the model wants one. */
function entries(key: VsmSectionKey, section: VsmSection, ids: NewId): string[] {
  const each = (entry: (textId: string, item: VsmItem) => string) =>
    section.items.map((item, i) => entry(itemRef(key, i), item));
  const orAbsent = (entry: (textId: string, item: VsmItem | undefined) => string) =>
    section.items.length ? each(entry) : [entry(absentRef(key), undefined)];
  switch (key) {
    case 'activeProblems':
      return orAbsent((id, item) => problemEntry(ids, id, item, false));
    case 'personalHistory':
      return orAbsent((id, item) => problemEntry(ids, id, item, true));
    case 'medicalHistory':
      return orAbsent((id, item) => procedureEntry(ids, id, item));
    case 'allergies':
      return orAbsent((id, item) => allergyEntry(ids, id, item));
    case 'treatments':
      return orAbsent((id, item) => medicationEntry(ids, id, item));
    case 'riskFactors':
      return each((id, item) => socialHistoryEntry(ids, id, item));
    case 'familyHistory':
      return each((id, item) => familyEntry(ids, id, item));
    case 'vitalSigns':
      return each((id, item) => measurementEntry(ids, id, item));
    case 'occupationalRisks':
    case 'vigilance':
    case 'therapeuticProject':
      return [];
  }
}

/**
 * The "coded" IHE templates promise entries: the vital signs section is coded when an item is a vital sign, the
 * social and family history sections when they have items (the ANS model lets them be plain IHE sections).
 */
function sectionTemplates(key: VsmSectionKey, spec: SectionSpec, section: VsmSection): readonly string[] {
  if (key === 'vitalSigns' && section.items.some(isVitalSign))
    return [...spec.templateIds, CODED_VITAL_SIGNS_TEMPLATE];
  if (section.items.length > 0) return spec.templateIds;
  const uncoded = {
    riskFactors: CODED_SOCIAL_HISTORY_TEMPLATE,
    familyHistory: CODED_FAMILY_HISTORY_TEMPLATE,
  };
  return key in uncoded
    ? spec.templateIds.filter((t) => t !== uncoded[key as keyof typeof uncoded])
    : spec.templateIds;
}

const isEmpty = (section: VsmSection) => section.items.length === 0 && section.note === '';

function sectionXml(spec: SectionSpec, content: VsmContent, ids: NewId): string {
  const key = spec.key;
  const own = key ? content[key] : undefined;
  if (!spec.required && own && isEmpty(own)) return '';
  const id = ids();
  const children = spec.children.map((child) => sectionXml(child, content, ids));
  return section(
    { ...spec, templates: key ? sectionTemplates(key, spec, own!) : spec.templateIds },
    id,
    key ? narrative(key, own!, absent[key]?.display ?? NOTHING) : '',
    ...(key ? entries(key, own!, ids) : []),
    ...children,
  );
}

/** The structuredBody's sections; `idRoot` (the document's OID) roots the section and entry ids. */
export function vsmBody(content: VsmContent, idRoot: string): string {
  const ids = idsUnder(idRoot);
  return vsmLayout.map((spec) => sectionXml(spec, content, ids)).join('');
}
