import {
  PROFESSIONAL_ID_OID,
  STRUCTURE_ID_OID,
  specialties,
  type Sex,
  type SpecialtyCode,
} from '../identity/index.ts';
import { vsmBody } from './body.ts';
import { LOINC_OID } from './layout.ts';
import { normalizeVsmContent, type VsmContent } from './model.ts';
import { el, textEl } from './xml-writer.ts';

/** TRE_A05 TypeCode `SYNTH`, the VSM 2023.01's document type. */
export const VSM_TYPE_CODE = 'SYNTH';
export const VSM_TYPE_SYSTEM = '1.2.250.1.213.1.1.4.12';
export const VSM_TITLE = 'Volet de synthèse médicale';
/** The CI-SIS content model "Volet de Synthèse Médicale" (templateId of the ANS example). */
export const VSM_TEMPLATE = { root: '1.2.250.1.213.1.1.1.13', extension: '201310' } as const;
/** TRE_R38 profession/specialty codes as the CI-SIS writes them in CDA headers (`G15_10/SM26`). */
const AUTHOR_SPECIALTY_OID = '1.2.250.1.213.1.1.4.5';
/** TRE_R02 SecteurActivite: where the care took place. */
const ACTIVITY_SECTOR_OID = '1.2.250.1.71.4.2.4';

export interface VsmPatient {
  readonly ins: string;
  readonly insOid: string;
  readonly birthName: string;
  readonly usedName: string | undefined;
  /** All first names of the birth certificate, space separated; the first is the "premier prénom". */
  readonly firstNames: string;
  /** YYYY-MM-DD. */
  readonly birthDate: string;
  readonly sex: Sex;
  readonly birthPlaceInsee: string | undefined;
}

export interface VsmAuthor {
  /** `8` + RPPS. */
  readonly nationalId: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly specialtyCode: SpecialtyCode | undefined;
  readonly structure: { readonly nationalId: string; readonly name: string } | undefined;
}

export interface VsmCdaInput {
  /** OID of this version (ClinicalDocument/id/@root). */
  readonly documentOid: string;
  /** Shared by every version of the document (setId); a new set takes a new OID. */
  readonly setId: { readonly root: string; readonly extension: string | undefined };
  readonly versionNumber: number;
  /** The version this one replaces (relatedDocument RPLC), when known. */
  readonly replaces: { readonly root: string; readonly extension: string | undefined } | undefined;
  readonly effectiveTime: Date;
  readonly patient: VsmPatient;
  readonly author: VsmAuthor;
  readonly content: VsmContent;
}

/** HL7 TS in UTC: `YYYYMMDDHHMMSS+0000`. */
export function hl7Time(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}+0000`;
}

/** A new globally unique OID (ITU-T X.667: `2.25.` + the UUID as a decimal integer). */
export function uuidOid(uuid: string = crypto.randomUUID()): string {
  return `2.25.${BigInt(`0x${uuid.replace(/-/g, '')}`).toString(10)}`;
}

function authorCode(author: VsmAuthor): string {
  const code = author.specialtyCode ? `G15_10/${author.specialtyCode}` : 'G15_10';
  const display = author.specialtyCode ? `Médecin - ${specialties[author.specialtyCode]}` : 'Médecin';
  return el('code', { code, displayName: display, codeSystem: AUTHOR_SPECIALTY_OID, codeSystemName: 'RPPS' });
}

const authorId = (author: VsmAuthor) => el('id', { root: PROFESSIONAL_ID_OID, extension: author.nationalId });

const personName = (author: VsmAuthor) =>
  el(
    'assignedPerson',
    {},
    el(
      'name',
      {},
      textEl('given', author.givenName),
      textEl('family', author.familyName),
      textEl('suffix', 'DR'),
    ),
  );

/** The practice: the structure the identity provider named, else the doctor's own practice. */
function organization(author: VsmAuthor, element: string): string {
  const id = author.structure
    ? el('id', { root: STRUCTURE_ID_OID, extension: author.structure.nationalId })
    : authorId(author);
  const name = author.structure?.name ?? `Cabinet du Dr ${author.givenName} ${author.familyName}`;
  return el(element, {}, id, textEl('name', name));
}

const assignedEntity = (author: VsmAuthor) =>
  el(
    'assignedEntity',
    {},
    authorId(author),
    authorCode(author),
    personName(author),
    organization(author, 'representedOrganization'),
  );

function recordTarget(patient: VsmPatient): string {
  const first = patient.firstNames.split(/\s+/)[0] ?? patient.firstNames;
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
    el('birthTime', { value: patient.birthDate.replace(/-/g, '') }),
    birthplace,
  );
  return el(
    'recordTarget',
    {},
    el('patientRole', {}, el('id', { root: patient.insOid, extension: patient.ins }), person),
  );
}

/**
 * The VSM as a CDA R2 document: CI-SIS header, VSM 2023.01 body (body.ts: narrative and one entry per item).
 * Valid against CDA_extended.xsd and the ANS schematrons; `readVsmContent(xml)` gives the content back.
 */
export function buildVsmCda(input: VsmCdaInput): string {
  const { author, patient } = input;
  const content = normalizeVsmContent(input.content);
  const time = hl7Time(input.effectiveTime);
  const header = [
    el('realmCode', { code: 'FR' }),
    el('typeId', { root: '2.16.840.1.113883.1.3', extension: 'POCD_HD000040' }),
    el('templateId', { root: '2.16.840.1.113883.2.8.2.1' }),
    el('templateId', { root: '1.2.250.1.213.1.1.1.1' }),
    el('templateId', { root: VSM_TEMPLATE.root, extension: VSM_TEMPLATE.extension }),
    el('id', { root: input.documentOid }),
    el('code', { code: VSM_TYPE_CODE, displayName: 'Synthèse', codeSystem: VSM_TYPE_SYSTEM }),
    textEl('title', VSM_TITLE),
    el('effectiveTime', { value: time }),
    el('confidentialityCode', { code: 'N', displayName: 'Normal', codeSystem: '2.16.840.1.113883.5.25' }),
    el('languageCode', { code: 'fr-FR' }),
    el('setId', { root: input.setId.root, extension: input.setId.extension }),
    el('versionNumber', { value: String(input.versionNumber) }),
    recordTarget(patient),
    el(
      'author',
      {},
      el('time', { value: time }),
      el(
        'assignedAuthor',
        {},
        authorId(author),
        authorCode(author),
        personName(author),
        organization(author, 'representedOrganization'),
      ),
    ),
    el(
      'custodian',
      {},
      el('assignedCustodian', {}, organization(author, 'representedCustodianOrganization')),
    ),
    el(
      'legalAuthenticator',
      {},
      el('time', { value: time }),
      el('signatureCode', { code: 'S' }),
      assignedEntity(author),
    ),
    el(
      'documentationOf',
      {},
      el(
        'serviceEvent',
        {},
        el('code', {
          code: '34117-2',
          displayName: 'Historique et clinique',
          codeSystem: LOINC_OID,
          codeSystemName: 'LOINC',
        }),
        el('effectiveTime', {}, el('low', { value: time })),
        el('performer', { typeCode: 'PRF' }, assignedEntity(author)),
      ),
    ),
    input.replaces
      ? el(
          'relatedDocument',
          { typeCode: 'RPLC' },
          el(
            'parentDocument',
            {},
            el('id', { root: input.replaces.root, extension: input.replaces.extension }),
          ),
        )
      : '',
    el(
      'componentOf',
      {},
      el(
        'encompassingEncounter',
        {},
        el('effectiveTime', {}, el('low', { value: time })),
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
    ),
  ];
  const body = el('component', {}, el('structuredBody', {}, vsmBody(content, input.documentOid)));
  return `<?xml version="1.0" encoding="UTF-8"?>\n${el(
    'ClinicalDocument',
    { xmlns: 'urn:hl7-org:v3', 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance' },
    ...header,
    body,
  )}\n`;
}
