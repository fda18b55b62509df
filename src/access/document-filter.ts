import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Database } from '../storage/index.ts';
import {
  activeHabilitationMatrix,
  habilitationFor,
  type HabilitationAccess,
  type HabilitationMatrix,
} from './habilitation-matrix.ts';
import type { Principal } from './principal.ts';
import {
  authorsOwnDocuments,
  decideRecord,
  isRepresentative,
  maskedVisibleTo,
  type RecordContext,
} from './record-policy.ts';

type Where = (eb: ExpressionBuilder<Database, 'documents'>) => Expression<SqlBool>;

/**
 * The documents of `record` that `principal` may read, as a WHERE clause: the same answer as
 * `decideDocument(principal, record, doc, 'read')` row by row (a property test holds the two together),
 * so that searches, totals and paging never count a denied document.
 */
export function visibleDocumentsWhere(
  principal: Principal,
  record: RecordContext,
  matrix: HabilitationMatrix = activeHabilitationMatrix,
): Where {
  const recordDecision = decideRecord(principal, record, 'consult');
  const base = (eb: ExpressionBuilder<Database, 'documents'>) => recordDocuments(eb, record);
  // A deposit is no consent: without the right to consult, a professional sees what they wrote and nothing else.
  if (!recordDecision.allowed && principal.kind === 'professional') {
    if (!authorsOwnDocuments(principal, record).allowed) return (eb) => eb.lit(false);
    return (eb) => eb.and([...base(eb), eb('author_national_id', '=', principal.nationalId)]);
  }
  if (!recordDecision.allowed || principal.kind === 'auditor' || principal.kind === 'insurer') {
    return (eb) => eb.lit(false);
  }
  if (principal.kind === 'app') {
    if (!principal.purposes.includes('read-documents')) return (eb) => eb.lit(false);
    return (eb) =>
      eb.and([
        ...base(eb),
        eb('invisible_patient', '=', 0),
        ...(record.patientIsMinor ? [eb('invisible_representatives', '=', 0)] : []),
      ]);
  }
  if (principal.kind === 'patient') {
    const representative = isRepresentative(principal, record);
    return (eb) =>
      eb.and([
        ...base(eb),
        eb('invisible_patient', '=', 0),
        ...(representative ? [eb('invisible_representatives', '=', 0)] : []),
      ]);
  }
  const seesMasked = maskedVisibleTo(record, recordDecision.emergency);
  return (eb) => {
    const readable = eb.and([
      typeAllowedWhere(eb, habilitationFor(matrix, principal.professionCode, principal.specialtyCode)),
      ...(seesMasked ? [] : [eb('masked_ps', '=', 0)]),
    ]);
    // The author reads what they wrote whatever the matrix or the mask (record-policy.ts).
    return eb.and([...base(eb), eb.or([eb('author_national_id', '=', principal.nationalId), readable])]);
  };
}

/** The record's documents that still exist (deleted ones are shown to nobody). */
const recordDocuments = (eb: ExpressionBuilder<Database, 'documents'>, record: RecordContext) => [
  eb('patient_id', '=', record.patientId),
  eb('status', '!=', 'deleted'),
];

function typeAllowedWhere(eb: ExpressionBuilder<Database, 'documents'>, access: HabilitationAccess) {
  if ('allow' in access)
    return access.allow.length > 0 ? eb('type_code', 'in', [...access.allow]) : eb.lit(false);
  return access.deny.length > 0 ? eb('type_code', 'not in', [...access.deny]) : eb.lit(true);
}

/**
 * The documents of `record` that the habilitation matrix alone hides from a professional who may consult it:
 * the same as `decideDocument(...)` denying with `habilitation` (a masked document is never among them). They are
 * counted for the professional (a number, nothing else), so that an omission is never silent.
 */
export function matrixHiddenDocumentsWhere(
  principal: Principal,
  record: RecordContext,
  matrix: HabilitationMatrix = activeHabilitationMatrix,
): Where {
  const recordDecision = decideRecord(principal, record, 'consult');
  if (!recordDecision.allowed || principal.kind !== 'professional') return (eb) => eb.lit(false);
  const seesMasked = maskedVisibleTo(record, recordDecision.emergency);
  const access = habilitationFor(matrix, principal.professionCode, principal.specialtyCode);
  return (eb) =>
    eb.and([
      ...recordDocuments(eb, record),
      eb.not(typeAllowedWhere(eb, access)),
      ...(seesMasked ? [] : [eb('masked_ps', '=', 0)]),
      eb.or([eb('author_national_id', 'is', null), eb('author_national_id', '!=', principal.nationalId)]),
    ]);
}
