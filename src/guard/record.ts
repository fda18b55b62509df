import {
  type Principal,
  decideDocument,
  decideDocumentSearch,
  decideRecord,
  type DocumentAction,
  type DocumentFacts,
  type RecordAction,
} from '../access/index.ts';
import type { AuditAction, AuditDetail, AuditTargetType } from '../audit/index.ts';
import type { Config } from '../config/index.ts';
import type { PatientId } from '../identity/index.ts';
import type { InsuredPerson } from '../insured/index.ts';
import { trace } from './audit-trace.ts';
import type { DocumentId, RecordDocument } from './document.ts';
import { findDocumentById } from './document-repository.ts';
import { documentFacts } from './document-row.ts';
import { loadRecord, type LoadedRecord } from './record-context.ts';
import { denialError, documentNotFound, refuse, type Refusal } from './refusal.ts';
import type { CarnetError } from '../shared/index.ts';
import type { Executor } from '../storage/index.ts';

/**
 * What the guard hands a service once the policy said yes: the executor of the transaction the decision (and
 * any refusal's trace) was written in, and the facts it was decided on. The service works in that transaction.
 */
export interface GuardedRecord {
  readonly db: Executor;
  readonly principal: Principal;
  readonly patientId: PatientId;
  readonly record: LoadedRecord;
  /** The action was allowed only by an emergency mode (the patient is told). */
  readonly emergency: boolean;
}

/**
 * Loads a record and asks the policy for a record-level action (a deposit, say); a refusal is audited as `audit`.
 * `known`: the patient as the caller has just read them, to spare a read.
 */
export async function openRecord(
  db: Executor,
  principal: Principal,
  patientId: PatientId,
  action: RecordAction,
  audit: AuditAction,
  now: Date,
  known?: InsuredPerson,
): Promise<GuardedRecord | Refusal> {
  const record = await loadRecord(db, patientId, principal, now, known);
  const decision = decideRecord(principal, record.context, action);
  if (decision.allowed) return { db, principal, patientId, record, emergency: decision.emergency };
  const input = trace(principal, patientId, audit, 'denied', { detail: { refusal: decision.reason } });
  return refuse(db, input, denialError(decision.reason), now);
}

export interface OpenedDocument extends GuardedRecord {
  readonly doc: RecordDocument;
  /** The read was allowed only because the principal wrote the document (no right to consult the record). */
  readonly ownDocumentOnly: boolean;
}

/**
 * Finds a document the principal may read, or refuses (audited). A document the principal may not read is
 * "not found", so that its existence does not leak, except one the habilitation matrix alone hides from a
 * professional who may consult the record (403 `habilitation`: they are told of it); a refusal of the whole record (blocked, no consent,
 * emergency not allowed) is a 403 that says why, except a patient asking about someone else's record. The author
 * of a document reads it without the right to consult the record (a deposit is no consent).
 */
export async function openDocument(
  config: Pick<Config, 'documentKey'>,
  db: Executor,
  principal: Principal,
  documentId: DocumentId,
  action: AuditAction,
  now: Date,
): Promise<OpenedDocument | Refusal> {
  const doc = await findDocumentById(config, db, documentId);
  if (!doc) throw documentNotFound();
  const record = await loadRecord(db, doc.patientId, principal, now);
  const denied = trace(principal, doc.patientId, action, 'denied', {
    targetType: 'DocumentReference',
    targetId: doc.id,
  });
  const read = decideDocument(principal, record.context, documentFacts(doc), 'read');
  if (!read.allowed) {
    const onRecord = decideRecord(principal, record.context, 'consult');
    if (!onRecord.allowed) {
      const error = onRecord.reason === 'not-own-record' ? documentNotFound() : denialError(onRecord.reason);
      return refuse(db, { ...denied, detail: { refusal: onRecord.reason } }, error, now);
    }
    // The matrix's hiding is told (searches count those documents too); any other stays "not found".
    const error = read.reason === 'habilitation' ? denialError(read.reason) : documentNotFound();
    return refuse(db, { ...denied, detail: { refusal: read.reason } }, error, now);
  }
  return {
    db,
    principal,
    patientId: doc.patientId,
    doc,
    record,
    emergency: read.emergency,
    ownDocumentOnly: read.ownDocumentsOnly === true,
  };
}

/** Then checks one more action on the opened document (403 with the policy's reason). */
export async function checkDocumentAction(
  db: Executor,
  principal: Principal,
  opened: OpenedDocument,
  action: DocumentAction,
  audit: AuditAction,
  now: Date,
  facts: DocumentFacts = documentFacts(opened.doc),
): Promise<Refusal | undefined> {
  const decision = decideDocument(principal, opened.record.context, facts, action);
  if (decision.allowed) return undefined;
  const input = trace(principal, opened.doc.patientId, audit, 'denied', {
    targetType: 'DocumentReference',
    targetId: opened.doc.id,
    detail: { refusal: decision.reason },
  });
  return refuse(db, input, denialError(decision.reason), now);
}

/** How a refused search is traced and answered, when it differs from the plain 403 with the policy's reason. */
export interface SearchRefusal {
  readonly targetType?: AuditTargetType;
  readonly targetId?: string;
  readonly detail?: AuditDetail;
  readonly error?: CarnetError;
}

/** A search the policy allowed; `ownDocumentsOnly` when the principal may list only what they wrote (no consent). */
export interface GuardedSearch extends GuardedRecord {
  readonly ownDocumentsOnly: boolean;
}

/**
 * Loads a record and asks the policy whether the principal may search its documents (or its submission sets);
 * the documents they may then see are `visibleDocumentsWhere`'s. A refusal is audited as `audit`.
 */

export async function openDocumentSearch(
  db: Executor,
  principal: Principal,
  patientId: PatientId,
  audit: AuditAction,
  now: Date,
  refusal: SearchRefusal = {},
): Promise<GuardedSearch | Refusal> {
  const record = await loadRecord(db, patientId, principal, now);
  const decision = decideDocumentSearch(principal, record.context);
  if (decision.allowed) {
    const ownDocumentsOnly = decision.ownDocumentsOnly === true;
    return { db, principal, patientId, record, emergency: decision.emergency, ownDocumentsOnly };
  }
  const { error, detail, ...target } = refusal;
  const input = trace(principal, patientId, audit, 'denied', {
    ...target,
    detail: { ...detail, refusal: decision.reason },
  });
  return refuse(db, input, error ?? denialError(decision.reason), now);
}
