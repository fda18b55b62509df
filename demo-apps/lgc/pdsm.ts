/**
 * The metadata a DMP-compatible software sends with a document, as the ANS PDSm guide (FHIR R4, IHE MHD) shapes
 * it. Codes come from the official value sets (JDV J07 types, J06 classes, J10 formats, J02 facility types, J04
 * practice settings); a real LGC takes them from the ANS terminology server rather than hard-coding them.
 */
import { createHash, randomUUID } from 'node:crypto';

/** The OIDs of the DMP's identifier systems (ANS). */
export const INS_NIR_OID = '1.2.250.1.213.1.4.8';
export const PROFESSIONAL_ID_OID = '1.2.250.1.71.4.2.1';

const systems = {
  uri: 'urn:ietf:rfc:3986',
  loinc: 'http://loinc.org',
  classCode: 'urn:oid:1.2.250.1.213.1.1.4.1',
  format: 'urn:oid:1.3.6.1.4.1.19376.1.2.3',
  facilityType: 'urn:oid:1.2.250.1.71.4.2.4',
  practiceSetting: 'urn:oid:1.2.250.1.213.1.1.4.9',
  confidentiality: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
  visibility:
    'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument',
  mhdListTypes: 'https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes',
  profession: 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante',
  sourceIdExtension: 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-sourceId',
} as const;

/** The TRE_A07 code that hides a document from other professionals (PDSm "masquage"). */
export const MASKED_FROM_PROFESSIONALS = { system: systems.visibility, code: 'MASQUE_PS' } as const;

/** The professional using the software, as the identity provider names them. */
export interface Author {
  /** RPPS-based national id: `8` + the 11-digit RPPS. */
  readonly nationalId: string;
  readonly given: string;
  readonly family: string;
  /** TRE_G15 profession code (`10`: médecin). */
  readonly professionCode: string;
}

export interface OutgoingDocument {
  readonly title: string;
  readonly pdf: Uint8Array;
  /** LOINC code from JDV J07 (`11488-4`: compte rendu de consultation). */
  readonly typeCode: string;
  readonly typeDisplay: string;
  /** When the document was written (not when it is sent). */
  readonly createdAt: string;
  /** The Carnet id of the document this one replaces (found by ITI-67). */
  readonly replaces?: string;
}

/** An OID under the software's own root, unique per object: the XDS uniqueId rule. */
export function newOid(root: string): string {
  return `${root}.${Date.now()}.${randomUUID().replace(/-/g, '').slice(0, 12).replace(/^0+/, '') || '1'}`;
}

/** `Patient?identifier=…`: PDSm names the patient by INS, resolved by the server (a conditional reference). */
export const patientByIns = (ins: string) => `Patient?identifier=urn:oid:${INS_NIR_OID}|${ins}`;

/** The author as PDSm wants it: a contained Practitioner carrying the national identifier and profession. */
function authorOf(author: Author) {
  return {
    resourceType: 'Practitioner',
    id: 'author',
    identifier: [{ system: `urn:oid:${PROFESSIONAL_ID_OID}`, value: author.nationalId }],
    name: [{ family: author.family, given: [author.given] }],
    qualification: [{ code: { coding: [{ system: systems.profession, code: author.professionCode }] } }],
  };
}

/**
 * One DocumentReference with everything PDSm defines for a PDF consultation note. `attachment.hash` is the SHA-1
 * of the bytes, base64 (PDSm), and `size` their length: the server checks both against the content.
 */
export function documentReference(
  doc: OutgoingDocument,
  subject: string,
  author: Author,
  uniqueId: string,
  attachment: { url: string } | { data: string },
) {
  return {
    resourceType: 'DocumentReference',
    contained: [authorOf(author)],
    masterIdentifier: { system: systems.uri, value: `urn:oid:${uniqueId}` },
    status: 'current',
    type: { coding: [{ system: systems.loinc, code: doc.typeCode, display: doc.typeDisplay }] },
    category: [{ coding: [{ system: systems.classCode, code: '10', display: 'Compte rendu' }] }],
    subject: { reference: subject },
    author: [{ reference: '#author' }],
    description: doc.title,
    // `N`: normal confidentiality. Masking is a later PATCH, or a TRE_A07 code here at deposit.
    securityLabel: [{ coding: [{ system: systems.confidentiality, code: 'N' }] }],
    content: [
      {
        attachment: {
          contentType: 'application/pdf',
          language: 'fr-FR',
          title: doc.title,
          creation: doc.createdAt,
          size: doc.pdf.byteLength,
          hash: createHash('sha1').update(doc.pdf).digest('base64'),
          ...attachment,
        },
        format: { system: systems.format, code: 'urn:ihe:iti:xds-sd:pdf:2008', display: 'PDF' },
      },
    ],
    context: {
      period: { start: doc.createdAt.slice(0, 10), end: doc.createdAt.slice(0, 10) },
      facilityType: {
        coding: [{ system: systems.facilityType, code: 'SA07', display: 'Cabinet individuel' }],
      },
      practiceSetting: {
        coding: [{ system: systems.practiceSetting, code: 'AMBULATOIRE', display: 'Ambulatoire' }],
      },
    },
    // A replacement points at the document it supersedes; the server marks that one superseded.
    ...(doc.replaces
      ? { relatesTo: [{ code: 'replaces', target: { reference: `DocumentReference/${doc.replaces}` } }] }
      : {}),
  };
}

/**
 * An ITI-65 transaction: the SubmissionSet (a `List`), then each document's DocumentReference and its Binary,
 * linked by `urn:uuid:` full URLs that the server replaces with its own ids.
 */
export function provideBundle(
  docs: readonly OutgoingDocument[],
  subject: string,
  author: Author,
  oidRoot: string,
) {
  const uuid = () => `urn:uuid:${randomUUID()}`;
  const post = (url: string) => ({ method: 'POST', url });
  const documentEntries = docs.flatMap((doc) => {
    const binaryUrl = uuid();
    return [
      {
        fullUrl: uuid(),
        resource: documentReference(doc, subject, author, newOid(oidRoot), { url: binaryUrl }),
        request: post('DocumentReference'),
      },
      {
        fullUrl: binaryUrl,
        resource: {
          resourceType: 'Binary',
          contentType: 'application/pdf',
          data: Buffer.from(doc.pdf).toString('base64'),
        },
        request: post('Binary'),
      },
    ];
  });
  const submissionSet = {
    resourceType: 'List',
    extension: [
      // Which software sent it (XDS sourceId): the vendor's own OID.
      {
        url: systems.sourceIdExtension,
        valueIdentifier: { system: systems.uri, value: `urn:oid:${oidRoot}` },
      },
    ],
    identifier: [
      { use: 'usual', system: systems.uri, value: `urn:oid:${newOid(oidRoot)}` },
      { use: 'official', system: systems.uri, value: uuid() },
    ],
    status: 'current',
    mode: 'working',
    code: { coding: [{ system: systems.mhdListTypes, code: 'submissionset' }] },
    subject: { reference: subject },
    date: new Date().toISOString(),
    source: { reference: '#author' },
    contained: [authorOf(author)],
    entry: documentEntries
      .filter((e) => e.resource.resourceType === 'DocumentReference')
      .map((e) => ({ item: { reference: e.fullUrl } })),
  };
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [{ fullUrl: uuid(), resource: submissionSet, request: post('List') }, ...documentEntries],
  };
}
