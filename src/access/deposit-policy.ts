/**
 * Who may file what in a patient's record, pure: the record-level right (no consent needed, a blocked
 * professional or a closed record refused), then the type's producer as the type registry's data says it
 * (`producer`, then `producerProfessions`), then what a depositor may declare (confidentiality, author).
 */
import { findDocumentType, type DocumentType } from '../terminology/index.ts';
import { deny, type Decision } from './decision.ts';
import type { Principal, ProfessionalPrincipal } from './principal.ts';
import { decideRecord, type RecordContext, type RecordSettings } from './record-policy.ts';

/** The Assurance Maladie feeds reimbursement data and vaccination certificates. */
export const insurerDepositTypes: readonly string[] = ['REMB', '96874-3'];

/** Whether a professional's profession may produce a type (`producerProfessions` of the type registry). */
export const mayProduce = (principal: ProfessionalPrincipal, type: DocumentType): boolean =>
  type.producerProfessions === undefined || type.producerProfessions.includes(principal.professionCode);

/** A type a professional files (any profession, or the ones it is reserved to): neither the patient's nor the insurer's. */
export const isProfessionalType = (type: DocumentType): boolean =>
  !type.deprecated && type.producer === 'professional';

/**
 * The one producer rule: whether `author` may file a type, from the type's data. A professional files the
 * professionals' types their profession produces (never the patient's `DOCPAT*` and `EXPPAT_*`, nor `REMB`), the
 * patient the patient's, the insurer its own and vaccination certificates. Deprecated types are filed by nobody.
 */
export function mayProduceType(author: Principal, type: DocumentType): boolean {
  if (type.deprecated) return false;
  switch (author.kind) {
    case 'professional':
      return isProfessionalType(type) && mayProduce(author, type);
    case 'patient':
      return type.producer === 'patient';
    case 'insurer':
      return insurerDepositTypes.includes(type.code);
    default:
      return false;
  }
}

/** The Volet de Synthèse Médicale is written by doctors (the médecin traitant, in practice): its type says so. */
export const mayWriteVsm = (principal: Principal): principal is ProfessionalPrincipal =>
  principal.kind === 'professional' && mayProduce(principal, findDocumentType(VSM_TYPE)!);
const VSM_TYPE = 'SYNTH'; // the type Carnet deposits a VSM as (VSM 2023.01); 60591-5 has the same producer rule

/** Who may deposit which type: unknown and deprecated types are refused for everyone. */
export function decideDeposit(principal: Principal, record: RecordContext, typeCode: string): Decision {
  const recordDecision = decideRecord(principal, record, 'deposit');
  if (!recordDecision.allowed) return recordDecision;
  const type = findDocumentType(typeCode);
  if (!type || type.deprecated) return deny('habilitation');
  // A professional filing a type reserved to the patient, the insurer or another profession is told the type is
  // reserved (403); anyone else, that the type is not theirs.
  if (!mayProduceType(principal, type)) {
    return deny(principal.kind === 'professional' ? 'not-producer' : 'habilitation');
  }
  // Advance directives are written by an adult about themselves (Code de la santé publique L1111-11).
  if (type.code === 'EXPPAT_3' && principal.kind === 'patient' && record.patientIsMinor) {
    return deny('minor-directives');
  }
  return recordDecision;
}

/**
 * A document the patient files from a professional's message (MSSanté) is the professional's: the patient must be
 * allowed to feed the record, and the type must be one a professional files.
 */
export function decideFiledDeposit(principal: Principal, record: RecordContext, typeCode: string): Decision {
  const recordDecision = decideRecord(principal, record, 'deposit');
  if (!recordDecision.allowed) return recordDecision;
  const type = findDocumentType(typeCode);
  return type && isProfessionalType(type) ? recordDecision : deny('habilitation');
}

/** Hiding a document from the patient (or a minor's representatives) is a professional's decision. */
export const mayHideFromPatient = (principal: Principal): boolean => principal.kind === 'professional';

/** "Mask new documents" applies to what others file, never to the patient's own uploads. */
export const masksOnDeposit = (principal: Principal, settings: RecordSettings): boolean =>
  settings.maskNewDocuments && principal.kind !== 'patient';

/**
 * The author a producer names must be the one who deposits: each professional signs in for themselves (Pro Santé
 * Connect), not a structure acting for others, so a deposit "on behalf of" another professional is refused.
 */
export const mayDeclareAuthor = (
  declaredNationalId: string | undefined,
  depositorNationalId: string | undefined,
) => declaredNationalId === undefined || declaredNationalId === depositorNationalId;
