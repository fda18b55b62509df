import { CdaError, decodeXml, parseCda, type CdaHeader, type ConfidentialityLevel } from '../record/index.ts';

/** What the metadata of a deposit says, to be found again in a CDA document's header. */
export interface DeclaredMetadata {
  readonly ins: string;
  readonly insOid: string;
  readonly typeCode: string;
  /** The professional who deposits (and so authors, README): one of the header's authors. */
  readonly authorNationalId: string | undefined;
  readonly confidentialityLevel: ConfidentialityLevel;
}

/** The first disagreement between a CDA header and its metadata: which field, and what to say. */
export interface CdaMismatch {
  readonly field: 'subject' | 'typeCode' | 'author' | 'confidentiality';
  readonly code: string;
  readonly message: string;
}

/** The header of a CDA R2 document, or undefined when the content is not one (then nothing is compared). */
export function cdaHeaderOf(content: Uint8Array, contentType: string | undefined): CdaHeader | undefined {
  if (contentType !== undefined && !/xml/i.test(contentType)) return undefined;
  const text = decodeXml(content);
  if (text === undefined) return undefined;
  const cda = parseCda(text);
  return cda instanceof CdaError ? undefined : cda.header;
}

/**
 * The DMP's consistency checks of a CDA document against its XDS metadata, in its order: patient (INS of
 * `recordTarget/patientRole/id`), type (`ClinicalDocument/code`), author (`author/assignedAuthor/id`) and
 * confidentiality (`confidentialityCode`). Codes are compared, not their systems' spellings.
 */
export function cdaMismatch(header: CdaHeader, declared: DeclaredMetadata): CdaMismatch | undefined {
  const patient = header.patient;
  if (patient.ins !== declared.ins || (patient.insOid !== undefined && patient.insOid !== declared.insOid)) {
    return {
      field: 'subject',
      code: 'cda-patient-mismatch',
      message: 'L’INS du patient dans l’en-tête du document CDA ne correspond pas au patient du dépôt.',
    };
  }
  if (header.type.code !== declared.typeCode) {
    return {
      field: 'typeCode',
      code: 'cda-type-mismatch',
      message: `Le type du document CDA (« ${header.type.code.slice(0, 64)} ») diffère du type déclaré (« ${declared.typeCode.slice(0, 64)} »).`,
    };
  }
  const authors = header.authors.map((a) => a.nationalId);
  if (declared.authorNationalId !== undefined && !authors.includes(declared.authorNationalId)) {
    return {
      field: 'author',
      code: 'cda-author-mismatch',
      message: 'Aucun auteur de l’en-tête du document CDA n’est le professionnel qui le dépose.',
    };
  }
  const level = header.confidentialityCode;
  if (level !== undefined && level !== declared.confidentialityLevel) {
    return {
      field: 'confidentiality',
      code: 'cda-confidentiality-mismatch',
      message: `Le niveau de confidentialité du document CDA (« ${level.slice(0, 8)} ») diffère de celui déclaré (« ${declared.confidentialityLevel} »).`,
    };
  }
  return undefined;
}
