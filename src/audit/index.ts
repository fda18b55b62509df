/**
 * The audit trail of the shared record: append-only, one hash chain per patient (`patient:<id>`) plus `system`,
 * anchored by a Merkle root over the chain heads (docs/durability-and-audit.md, "Audit chains").
 *
 * There is deliberately no update or delete function. In production, also take those rights away from the
 * application's database role (see `src/audit/README.md`):
 *   REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM carnet_app;  -- application role
 */
export type {
  AuditAction,
  AuditAccessMode,
  AuditActor,
  AuditActorKind,
  AuditDetail,
  AuditEntry,
  AuditInput,
  AuditOutcome,
  AuditProblem,
  AuditProblemKind,
  AuditTargetType,
  AuditTransaction,
  AuditVerification,
} from './types.ts';
export { auditActions } from './types.ts';
export { appendAudit, chainOf, GENESIS_HASH } from './append.ts';
export { verifyAuditChains } from './verify.ts';
export { merkleRoot } from './merkle.ts';
export { listPatientAudit, listPatientAuditActors, type AuditFilter } from './history.ts';
export { withAuditChannel, type AuditChannel } from './channel.ts';
export { SUBMISSION_SET_DETAIL } from './balp-event.ts';
export { queryPlace } from './row.ts';
export { actionCodes, actionLabels, auditCodeSystems, purposeOf } from './audit-codes.ts';
export { balpEvent, networkAgents } from './balp-event.ts';
export { CARNET_OBSERVER } from './balp-patterns.ts';
export type { AuditEntryChannel } from './types.ts';
