import { PROFESSIONAL_ID_OID, STRUCTURE_ID_OID, specialties, type SpecialtyCode } from '../identity/index.ts';
import { vsmBody } from './body.ts';
import {
  clinicalDocument,
  el,
  encompassingEncounter,
  hl7Time,
  loincCode,
  textEl,
  type HeaderPatient,
} from './cda-parts.ts';
import { normalizeVsmContent, type VsmContent } from './model.ts';

/** TRE_A05 TypeCode `SYNTH`, the VSM 2023.01's document type. */
export const VSM_TYPE_CODE = 'SYNTH';
export const VSM_TYPE_SYSTEM = '1.2.250.1.213.1.1.4.12';
export const VSM_TITLE = 'Volet de synthèse médicale';
/** The CI-SIS content model "Volet de Synthèse Médicale" (templateId of the ANS example). */
export const VSM_TEMPLATE = { root: '1.2.250.1.213.1.1.1.13', extension: '201310' } as const;
/** TRE_R38 profession/specialty codes as the CI-SIS writes them in CDA headers (`G15_10/SM26`). */
const AUTHOR_SPECIALTY_OID = '1.2.250.1.213.1.1.4.5';
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
  readonly patient: HeaderPatient;
  readonly author: VsmAuthor;
  readonly content: VsmContent;
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

/**
 * The VSM as a CDA R2 document: CI-SIS header, VSM 2023.01 body (body.ts: narrative and one entry per item).
 * Valid against CDA_extended.xsd and the ANS schematrons; `readVsmContent(xml)` gives the content back.
 */
export function buildVsmCda(input: VsmCdaInput): string {
  const { author, patient } = input;
  const content = normalizeVsmContent(input.content);
  const time = hl7Time(input.effectiveTime);
  return clinicalDocument(
    {
      templates: el('templateId', VSM_TEMPLATE),
      id: input.documentOid,
      code: el('code', { code: VSM_TYPE_CODE, displayName: 'Synthèse', codeSystem: VSM_TYPE_SYSTEM }),
      title: VSM_TITLE,
      time,
      setId: input.setId,
      versionNumber: input.versionNumber,
      patient,
      assignedAuthor: [
        authorId(author),
        authorCode(author),
        personName(author),
        organization(author, 'representedOrganization'),
      ],
      custodian: organization(author, 'representedCustodianOrganization'),
    },
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
        loincCode('34117-2', 'Historique et clinique'),
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
    encompassingEncounter(el('effectiveTime', {}, el('low', { value: time }))),
    el('component', {}, el('structuredBody', {}, vsmBody(content, input.documentOid))),
  );
}
