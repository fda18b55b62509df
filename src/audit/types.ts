import type { PatientId } from '../identity/index.ts';
import type { Principal } from '../access/index.ts';

/**
 * What was done. One trace per search, read, deposit, retrieve, mask, block and settings change (docs/access.md,
 * "What is traced"). Every code a trace may carry is listed here, so that each one's wording for the patient can be
 * checked (history-labels).
 */
export const auditActions = [
  'search',
  'read',
  'retrieve',
  'deposit',
  'replace',
  'archive',
  'delete',
  'mask',
  'unmask',
  'block',
  'unblock',
  'name-administrator',
  'remove-administrator',
  'consent',
  'settings',
  'history-read',
  'message-read',
  'message-reply',
  'profile-read',
  'profile-update',
  'care-history-read',
  'care-history-import',
  'export',
  'app-connect',
  'app-revoke',
  'agenda-read',
  'agenda-update',
  'emergency-start',
  'emergency-end',
  'password-reset',
  'password-change',
  'contact-change',
  'activation',
  'organise',
] as const;
export type AuditAction = (typeof auditActions)[number];

export type AuditTargetType =
  | 'DocumentReference'
  | 'Patient'
  | 'RecordSettings'
  | 'Professional'
  | 'AuditEvent'
  | 'Bundle'
  | 'Communication'
  | 'ProfileSection'
  | 'CareHistory'
  | 'AppConnection'
  | 'Appointment'
  | 'List';

export type AuditAccessMode =
  'normal' | 'bris-de-glace' | 'centre-de-regulation' | 'patient' | 'application' | 'system';
export type AuditOutcome = 'success' | 'denied' | 'error';
/** Ids and codes only: never health content (titles, text, reasons of care). */
export type AuditDetail = Record<string, string | number | boolean>;

export interface AuditInput {
  patientId: PatientId | undefined;
  actor: Principal | { kind: 'system' };
  action: AuditAction;
  targetType?: AuditTargetType;
  targetId?: string;
  /**
   * For a professional acting on a patient's record, `appendAudit` sets the mode (and reason) from the emergency
   * access in force on that record: one patient's emergency is never written into another's trail.
   */
  accessMode: AuditAccessMode;
  outcome: AuditOutcome;
  /** The reason stated for an emergency access (bris de glace), shown to the patient. */
  reason?: string;
  detail?: AuditDetail;
}

/**
 * `patient`: a person acting on their own behalf (on their record, or refused on someone else's);
 * `representative`: a legal representative acting for the minor whose record it is.
 */
export type AuditActorKind =
  'professional' | 'patient' | 'representative' | 'insurer' | 'auditor' | 'app' | 'system';

export interface AuditActor {
  kind: AuditActorKind;
  /** National id (professional), patient id (patient or representative), 'assurance-maladie', auditor id. */
  id: string | undefined;
  name: string | undefined;
  professionCode: string | undefined;
}

/**
 * The IHE transaction a FHIR request carried out, or `PATCH` (the RESTful update pattern of IHE BALP): each has its
 * audit profile (src/audit/balp-patterns.ts).
 */
export type AuditTransaction = 'ITI-65' | 'ITI-66' | 'ITI-67' | 'ITI-68' | 'ITI-105' | 'PATCH';

/** What a trace says of the request that caused it, as stored (the query stays sealed until a reader opens it). */
export interface AuditEntryChannel {
  /** Set only on the trace of the transaction itself (a PATCH's preliminary read is not the PATCH). */
  transaction: AuditTransaction | undefined;
  /** The client's network address as the server saw it. */
  clientAddress: string | undefined;
  /** The OAuth client the access token was issued to, when the token names one. */
  clientId: string | undefined;
  /** The query of a search (ITI-66, ITI-67), sealed under the document key: it may name the patient or codes. */
  sealedQuery: string | undefined;
}

/** One stored trace, as read back from `audit_events`. */
export interface AuditEntry {
  id: string;
  /** `patient:<patientId>` or `system`. */
  chain: string;
  seq: number;
  patientId: PatientId | undefined;
  /** ISO-8601 UTC instant. */
  at: string;
  actor: AuditActor;
  action: AuditAction;
  targetType: AuditTargetType | undefined;
  targetId: string | undefined;
  accessMode: AuditAccessMode;
  outcome: AuditOutcome;
  reason: string | undefined;
  detail: AuditDetail;
  /** How the request reached Carnet, when it came through the FHIR API (src/audit/channel.ts); older traces have none. */
  channel: AuditEntryChannel | undefined;
  prevHash: string;
  hash: string;
}

export type AuditProblemKind =
  /** A field of the entry was changed: its recomputed hash differs from the stored one. */
  | 'hash-mismatch'
  /** Sequence numbers jump: entries were removed. */
  | 'seq-gap'
  /** The entry does not carry the hash of the one before: removed, inserted or re-hashed neighbour. */
  | 'prev-hash-mismatch'
  /** The chain head disagrees with the last entry: tail removed or entries appended behind its back. */
  | 'head-mismatch'
  /** Entries exist for a chain that has no head row. */
  | 'missing-head';

export interface AuditProblem {
  chain: string;
  seq: number;
  kind: AuditProblemKind;
  message: string;
}

export interface AuditVerification {
  chains: number;
  entries: number;
  problems: AuditProblem[];
  /** Merkle root over the chain heads (hex): the anchor operators record outside the database. */
  root: string;
}
