/**
 * The shared record's access policy (docs/access.md), pure: the same rules back every path (FHIR, portal,
 * patient space) and, translated to SQL, `document-filter.ts`.
 */
import type { PatientId } from '../identity/index.ts';
import type { ProfileState } from '../storage/index.ts';
import { allow, deny, type Decision } from './decision.ts';
import type { DocumentStatus } from '../terminology/index.ts';
import { activeHabilitationMatrix, isTypeAllowed, type HabilitationMatrix } from './habilitation-matrix.ts';
import type {
  AppPrincipal,
  AppPurpose,
  EmergencyRequest,
  PatientPrincipal,
  Principal,
  ProfessionalPrincipal,
} from './principal.ts';

export interface RecordSettings {
  maskNewDocuments: boolean;
  allowBrisDeGlace: boolean;
  allowRegulation: boolean;
  allowMaskedInEmergency: boolean;
}
export const defaultRecordSettings: RecordSettings = Object.freeze({
  maskNewDocuments: false,
  allowBrisDeGlace: true,
  allowRegulation: true,
  allowMaskedInEmergency: true,
});
export interface ProfessionalRelation {
  blocked: boolean;
  administrator: boolean;
  consent: boolean;
}
/** A professional's emergency access to one patient's record, in force until `endsAt` (src/record). */
export interface EmergencyAccess extends EmergencyRequest {
  readonly endsAt: string;
}
export interface RecordContext {
  patientId: PatientId;
  profileState: ProfileState;
  patientIsMinor: boolean;
  settings: RecordSettings;
  relation: ProfessionalRelation | undefined;
  /**
   * The asking professional's emergency access to this patient, in force now: an emergency belongs to one
   * professional and one patient, never to a session or a token. Absent: none.
   */
  emergency?: EmergencyAccess | undefined;
  /**
   * Whether the asking professional is the author of documents of this record: without the right to consult it,
   * they may still list those (a deposit gives access to what was deposited, not to the record). Absent: none.
   */
  ownDocuments?: boolean;
}
export interface DocumentFacts {
  typeCode: string;
  status: DocumentStatus;
  masked: boolean;
  invisiblePatient: boolean;
  invisibleRepresentatives: boolean;
  authorNationalId: string | undefined;
  authorPatientId: string | undefined;
  /**
   * Whether a mask was set by the patient (or their representative) rather than by the document's author. Left
   * undefined where nobody looked it up: a professional's unmask is then refused (fail closed).
   */
  maskedByPatient?: boolean;
}
export type RecordAction = 'consult' | 'deposit' | 'manage-settings' | 'read-history';
export type DocumentAction = 'read' | 'mask' | 'unmask' | 'delete' | 'replace' | 'archive' | 'set-invisible';
export type { Decision, DenyReason } from './decision.ts';
export { denyMessages } from './decision.ts';

/** Only created and activated profiles have an open record; closed and opposed ones give nothing. */
const isOpen = (record: RecordContext) =>
  record.profileState === 'activated' || record.profileState === 'created';

export const actsForRecord = (principal: PatientPrincipal, record: RecordContext) =>
  principal.actsFor.includes(record.patientId);

/** A legal representative: acts for the record's patient without being them. */
export const isRepresentative = (principal: PatientPrincipal, record: RecordContext) =>
  principal.patientId !== record.patientId && actsForRecord(principal, record);

export function decideRecord(principal: Principal, record: RecordContext, action: RecordAction): Decision {
  if (principal.kind === 'auditor') return action === 'read-history' ? allow() : deny('role');
  if (!isOpen(record)) return deny('record-closed');
  switch (principal.kind) {
    case 'professional':
      return decideProfessionalRecord(principal, record, action);
    case 'patient':
      return actsForRecord(principal, record) ? allow() : deny('not-own-record');
    case 'insurer':
      return action === 'deposit' ? allow() : deny('role');
    case 'app':
      // An app reaches only the profile its grant names; what it may do there is decided per purpose.
      if (principal.patientId !== record.patientId) return deny('not-own-record');
      return action === 'consult' ? allow() : deny('role');
  }
}

/** Whether a connected app was granted one of `purposes` by the patient. */
export const appMay = (principal: AppPrincipal, ...purposes: AppPurpose[]): boolean =>
  purposes.some((purpose) => principal.purposes.includes(purpose));

function decideProfessionalRecord(
  principal: ProfessionalPrincipal,
  record: RecordContext,
  action: RecordAction,
): Decision {
  const relation = record.relation;
  if (relation?.blocked) return deny('blocked');
  if (action === 'deposit') return allow();
  if (action !== 'consult') return deny('role');
  // A patient who named someone administrateur has consented to them.
  if (relation?.consent || relation?.administrator) return allow();
  // Only this patient's emergency access counts, and it is checked again on each use (opt-ins, role).
  if (!record.emergency) return deny('consent-required');
  const emergency = emergencyDecision(principal, record, record.emergency);
  return emergency.allowed ? allow(true) : emergency;
}

function emergencyDecision(
  principal: ProfessionalPrincipal,
  record: RecordContext,
  { mode, reason }: EmergencyRequest,
): Decision {
  if (mode === 'centre-de-regulation') {
    if (!principal.signIn.regulator) return deny('not-regulator');
    return record.settings.allowRegulation ? allow(true) : deny('emergency-not-allowed');
  }
  if (!reason?.trim()) return deny('emergency-reason-required');
  return record.settings.allowBrisDeGlace ? allow(true) : deny('emergency-not-allowed');
}

/**
 * Starting an emergency access to one patient's record (docs/access.md, "Emergency access"): a professional the
 * patient did not block, bris de glace with a reason, SAMU regulation only for a regulator, each as the patient's
 * opt-ins allow.
 */
export function decideEmergencyStart(
  principal: Principal,
  record: RecordContext,
  request: EmergencyRequest,
): Decision {
  if (principal.kind !== 'professional') return deny('role');
  if (!isOpen(record)) return deny('record-closed');
  if (record.relation?.blocked) return deny('blocked');
  return emergencyDecision(principal, record, request);
}

/** Portability (RGPD art. 20) is the patient's, or a minor's representative's: nobody else exports a record. */
export function decideRecordExport(principal: Principal, record: RecordContext): Decision {
  return principal.kind === 'patient' ? decideRecord(principal, record, 'consult') : deny('role');
}

/**
 * Listing documents: the record decision, and for a connected app the purpose of reading documents. A
 * professional who may not consult the record but wrote documents of it lists those only (`ownDocumentsOnly`).
 */
export function decideDocumentSearch(principal: Principal, record: RecordContext): Decision {
  const decision = decideRecord(principal, record, 'consult');
  if (decision.allowed && principal.kind === 'app' && !appMay(principal, 'read-documents'))
    return deny('scope');
  if (decision.allowed || principal.kind !== 'professional' || !record.ownDocuments) return decision;
  const own = authorsOwnDocuments(principal, record);
  return own.allowed ? { ...own, ownDocumentsOnly: true } : decision;
}

/**
 * What a professional may do on the documents they wrote without the right to consult the record: read them, as
 * long as the record is open and the patient did not block them (the right to deposit, which needs no consent).
 */
export const authorsOwnDocuments = (principal: ProfessionalPrincipal, record: RecordContext): Decision =>
  decideRecord(principal, record, 'deposit');

const isAuthorOf = (principal: ProfessionalPrincipal, doc: DocumentFacts) =>
  doc.authorNationalId !== undefined && doc.authorNationalId === principal.nationalId;

export function decideDocument(
  principal: Principal,
  record: RecordContext,
  doc: DocumentFacts,
  action: DocumentAction,
  matrix: HabilitationMatrix = activeHabilitationMatrix,
): Decision {
  // The insurer only deposits; the auditor only reads traces.
  if (principal.kind === 'auditor' || principal.kind === 'insurer') return deny('role');
  if (principal.kind === 'app') return decideAppDocument(principal, record, doc, action);
  // Reading needs the right to consult; acting on one's own documents only the right to deposit.
  const needed: RecordAction = principal.kind === 'professional' && action !== 'read' ? 'deposit' : 'consult';
  let recordDecision = decideRecord(principal, record, needed);
  // A deposit is no consent: without the right to consult, its author still reads what they wrote, nothing else.
  if (!recordDecision.allowed && principal.kind === 'professional' && isAuthorOf(principal, doc)) {
    const own = authorsOwnDocuments(principal, record);
    if (own.allowed) recordDecision = { ...own, ownDocumentsOnly: true };
  }
  if (!recordDecision.allowed) return recordDecision;
  if (doc.status === 'deleted') return deny('status');
  if ((action === 'replace' || action === 'archive') && doc.status !== 'current') return deny('status');
  if (principal.kind !== 'professional') return decidePatientDocument(principal, record, doc, action);
  const decision = decideProfessionalDocument(
    principal,
    record,
    doc,
    action,
    recordDecision.emergency,
    matrix,
  );
  return decision.allowed && recordDecision.ownDocumentsOnly ? recordDecision : decision;
}

function decideProfessionalDocument(
  principal: ProfessionalPrincipal,
  record: RecordContext,
  doc: DocumentFacts,
  action: DocumentAction,
  emergency: boolean,
  matrix: HabilitationMatrix,
): Decision {
  const isAuthor = isAuthorOf(principal, doc);
  if (action === 'delete') return deny('role');
  if (action !== 'read' && !isAuthor) return deny('not-author');
  // The patient's mask is the patient's: the author lifts only a mask they set themselves.
  if (action === 'unmask' && doc.maskedByPatient !== false) return deny('patient-mask');
  if (action !== 'read') return allow();
  // The author always reads what they wrote, whatever the matrix or the mask.
  if (isAuthor) return allow(emergency);
  // The mask first: a professional is told a document is hidden by the matrix (document-filter.ts counts them),
  // never that a masked one exists.
  if (doc.masked && !maskedVisibleTo(record, emergency)) return deny('masked');
  if (!isTypeAllowed(matrix, principal.professionCode, principal.specialtyCode, doc.typeCode)) {
    return deny('habilitation');
  }
  return allow(emergency);
}

/** A connected app reads, with the purpose granted, what the patient sees; it changes nothing. */
function decideAppDocument(
  principal: AppPrincipal,
  record: RecordContext,
  doc: DocumentFacts,
  action: DocumentAction,
): Decision {
  const recordDecision = decideRecord(principal, record, 'consult');
  if (!recordDecision.allowed) return recordDecision;
  if (action !== 'read') return deny('role');
  if (!appMay(principal, 'read-documents')) return deny('scope');
  if (doc.status === 'deleted') return deny('status');
  // The grant may come from a legal representative: a document hidden from them stays hidden from their app.
  if (doc.invisiblePatient || (record.patientIsMinor && doc.invisibleRepresentatives))
    return deny('invisible');
  return allow();
}

/** Administrators see masked documents; emergency access does when the patient opted in. */
export function maskedVisibleTo(record: RecordContext, emergency: boolean): boolean {
  return Boolean(record.relation?.administrator) || (emergency && record.settings.allowMaskedInEmergency);
}

function decidePatientDocument(
  principal: PatientPrincipal,
  record: RecordContext,
  doc: DocumentFacts,
  action: DocumentAction,
): Decision {
  if (doc.invisiblePatient) return deny('invisible');
  if (doc.invisibleRepresentatives && isRepresentative(principal, record)) return deny('invisible');
  switch (action) {
    case 'read':
    case 'mask':
    case 'unmask':
      return allow();
    case 'delete':
      return doc.authorPatientId !== undefined &&
        (doc.authorPatientId === principal.patientId || doc.authorPatientId === record.patientId)
        ? allow()
        : deny('not-author');
    default:
      return deny('role');
  }
}
