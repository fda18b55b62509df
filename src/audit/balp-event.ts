import type { AuditEvent, AuditEventAgent, AuditEventEntity, Coding } from '@medplum/fhirtypes';
import { auditCodeSystems as S } from './audit-codes.ts';
import {
  CARNET_OBSERVER,
  destinationRole,
  networkType,
  sourceRole,
  transactionPatterns,
  type TransactionPattern,
} from './balp-patterns.ts';
import type { AuditEntry, AuditEntryChannel } from './types.ts';

/** Detail key under which a deposit's trace names its submission set (src/record/deposit.ts). */
export const SUBMISSION_SET_DETAIL = 'submissionSet';

const entityType = (code: '1' | '2'): Coding =>
  code === '1'
    ? { system: S.entityType, code: '1', display: 'Person' }
    : { system: S.entityType, code: '2', display: 'System Object' };

/**
 * The two machines of the exchange (IHE BALP): the client as "source" with its network address, Carnet as
 * "destination" with its FHIR base, which is also who records the event (MHD's `val-audit-source`).
 */
export function networkAgents(channel: AuditEntryChannel, fhirBase: string): AuditEventAgent[] {
  const client: AuditEventAgent = {
    type: { coding: [sourceRole] },
    who: channel.clientId
      ? { identifier: { value: channel.clientId }, display: channel.clientId }
      : { display: channel.clientAddress ?? 'inconnu' },
    requestor: false,
    ...(channel.clientAddress
      ? { network: { address: channel.clientAddress, type: networkType.ipAddress } }
      : {}),
  };
  const server: AuditEventAgent = {
    type: { coding: [destinationRole] },
    who: { ...CARNET_OBSERVER },
    requestor: false,
    network: { address: fhirBase, type: networkType.uri },
  };
  return [client, server];
}

interface Parts {
  /** The human (or the connected service) who asked, from the access token. */
  readonly user: AuditEventAgent;
  readonly fhirBase: string;
  /** The opened query, for a search; absent when the reader may not open it or it was not recorded. */
  readonly query: string | undefined;
}

/**
 * The AuditEvent of an IHE transaction as its profile wants it: type, subtype and action fixed by the profile;
 * client, server and user agents; exactly the patient and the transaction's own entity (submission set, query,
 * document). `meta.profile` is claimed only when every element the profile requires is there.
 */
export function balpEvent(entry: AuditEntry, generic: AuditEvent, parts: Parts): AuditEvent {
  const channel = entry.channel!;
  const pattern = transactionPatterns[channel.transaction!];
  const carnetAction = generic.subtype?.at(-1);
  // BALP's user agent: the participation, and the name searchable in `name` besides `who.display`.
  const user: AuditEventAgent = {
    ...parts.user,
    type: { coding: [pattern.user] },
    ...(entry.actor.name ? { name: entry.actor.name } : {}),
  };
  const patient = patientEntity(entry);
  const own = transactionEntity(entry, pattern, parts.query);
  const conformant =
    patient !== undefined &&
    own.complete &&
    channel.clientAddress !== undefined &&
    (!pattern.successOnly || entry.outcome === 'success');
  const { meta: _meta, ...rest } = generic;
  return {
    ...(conformant ? { meta: { profile: [pattern.profile] } } : {}),
    ...rest,
    type: pattern.type,
    subtype: [...pattern.subtype, ...(carnetAction ? [carnetAction] : [])],
    action: pattern.action,
    agent: [...networkAgents(channel, parts.fhirBase), user],
    entity: [...(patient ? [patient] : []), own.entity],
  };
}

function patientEntity(entry: AuditEntry): AuditEventEntity | undefined {
  if (!entry.patientId) return undefined;
  return {
    what: { reference: `Patient/${entry.patientId}` },
    type: entityType('1'),
    role: { system: S.entityRole, code: '1', display: 'Patient' },
  };
}

/** Ids and codes of the trace (type code, identifiers, counts) as `entity.detail`, the submission set excepted. */
function detailOf(entry: AuditEntry): AuditEventEntity['detail'] {
  const detail = Object.entries(entry.detail)
    // Nor an empty value: FHIR has no empty strings and detail.value[x] is 1..1.
    .filter(([key, value]) => key !== SUBMISSION_SET_DETAIL && value != null && String(value) !== '')
    .map(([type, value]) => ({ type, valueString: String(value) }));
  return detail.length ? detail : undefined;
}

function transactionEntity(
  entry: AuditEntry,
  pattern: TransactionPattern,
  query: string | undefined,
): { entity: AuditEventEntity; complete: boolean } {
  const detail = detailOf(entry);
  const base: AuditEventEntity = {
    type: entityType('2'),
    role: pattern.entityRole,
    ...(detail ? { detail } : {}),
  };
  const id = entry.targetId;
  switch (pattern.entity) {
    case 'submission-set': {
      // The submission set is known by its uniqueId (the List's identifier); the document deposited, one per
      // trace, is named in the detail since MHD allows no third entity.
      const submissionSet = entry.detail[SUBMISSION_SET_DETAIL];
      const documentDetail = id
        ? [{ type: 'DocumentReference', valueString: `DocumentReference/${id}` }]
        : [];
      const details = [...documentDetail, ...(detail ?? [])];
      return {
        entity: {
          ...base,
          ...(typeof submissionSet === 'string' ? { what: { identifier: { value: submissionSet } } } : {}),
          ...(details.length ? { detail: details } : {}),
        },
        complete: typeof submissionSet === 'string',
      };
    }
    case 'query':
      return {
        entity: { ...base, ...(query !== undefined ? { query: Buffer.from(query).toString('base64') } : {}) },
        complete: query !== undefined,
      };
    case 'document':
      return { entity: { ...base, ...(id ? { what: { reference: `Binary/${id}` } } : {}) }, complete: !!id };
    case 'data':
      return {
        entity: { ...base, ...(id ? { what: { reference: `DocumentReference/${id}` } } : {}) },
        complete: !!id,
      };
  }
}
