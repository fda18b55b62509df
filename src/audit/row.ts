import type { PatientId } from '../identity/index.ts';
import type { AuditEventsTable } from '../storage/index.ts';
import { canonicalJson } from './hash.ts';
import { transactionActions, type AuditChannel } from './channel.ts';
import type {
  AuditActor,
  AuditDetail,
  AuditEntry,
  AuditEntryChannel,
  AuditInput,
  AuditTransaction,
} from './types.ts';
import { professionalDisplayName } from '../professionals/index.ts';

/**
 * `audit_events` has no reason column: the stated reason travels inside the detail JSON under this key
 * (reserved; a caller's own `reason` detail is overwritten).
 */
const REASON_KEY = 'reason';

/**
 * The request's channel travels the same way, so that adding it changed neither the columns nor the hashed fields
 * (traces written before verify as they did). Reserved like `reason`.
 */
const CHANNEL_KEYS = {
  transaction: 'channel.transaction',
  clientAddress: 'channel.address',
  clientId: 'channel.client',
  sealedQuery: 'channel.query',
} as const satisfies Record<keyof AuditEntryChannel, string>;

/** Who acted, with the role they held towards the record's patient at that instant. */
export function actorOf(actor: AuditInput['actor'], patientId: PatientId | undefined): AuditActor {
  switch (actor.kind) {
    case 'professional':
      return {
        kind: 'professional',
        id: actor.nationalId,
        // The name as the patient sees it everywhere else ("Dr Claire MARTIN").
        name: professionalDisplayName(actor),
        professionCode: actor.professionCode,
      };
    case 'patient': {
      // The signed-in person: a legal representative only when acting for the minor whose record it is; anyone
      // else (the patient, or another patient refused) acts as themself.
      const representative =
        patientId !== undefined && actor.patientId !== patientId && actor.actsFor.includes(patientId);
      const kind = representative ? 'representative' : 'patient';
      return { kind, id: actor.patientId, name: undefined, professionCode: undefined };
    }
    case 'insurer':
      return {
        kind: 'insurer',
        id: 'assurance-maladie',
        name: 'Assurance Maladie',
        professionCode: undefined,
      };
    case 'auditor':
      return { kind: 'auditor', id: actor.id, name: actor.name, professionCode: undefined };
    case 'app':
      // A connected service, named as in the catalogue: the patient sees each app's accesses.
      return { kind: 'app', id: actor.serviceId, name: actor.serviceName, professionCode: undefined };
    case 'system':
      return { kind: 'system', id: undefined, name: undefined, professionCode: undefined };
  }
}

/** Where a trace is written: its chain and id bind the sealed query to this one row. */
export interface TracePlace {
  readonly chain: string;
  readonly id: string;
}

export function storedDetail(input: AuditInput, channel?: AuditChannel, place?: TracePlace): string {
  const detail: AuditDetail = { ...input.detail };
  delete detail[REASON_KEY];
  for (const key of Object.values(CHANNEL_KEYS)) delete detail[key];
  if (input.reason !== undefined) detail[REASON_KEY] = input.reason;
  if (channel) Object.assign(detail, channelDetail(input, channel, place));
  return canonicalJson(detail);
}

function channelDetail(input: AuditInput, channel: AuditChannel, place: TracePlace | undefined): AuditDetail {
  const own = channel.transaction && transactionActions[channel.transaction].includes(input.action);
  const detail: AuditDetail = { [CHANNEL_KEYS.clientAddress]: channel.clientAddress };
  if (channel.clientId) detail[CHANNEL_KEYS.clientId] = channel.clientId;
  if (!own) return detail;
  detail[CHANNEL_KEYS.transaction] = channel.transaction!;
  if (channel.query !== undefined && place) {
    detail[CHANNEL_KEYS.sealedQuery] = channel.seal(place.chain, queryPlace(place.id), channel.query);
  }
  return detail;
}

/** The sealed query's place, for `sealField` / `openField`. */
export const queryPlace = (traceId: string): string => `audit-query:${traceId}`;

function channelOf(detail: AuditDetail): AuditEntryChannel | undefined {
  const text = (key: string) => {
    const value = detail[key];
    delete detail[key];
    return typeof value === 'string' ? value : undefined;
  };
  const channel: AuditEntryChannel = {
    transaction: text(CHANNEL_KEYS.transaction) as AuditTransaction | undefined,
    clientAddress: text(CHANNEL_KEYS.clientAddress),
    clientId: text(CHANNEL_KEYS.clientId),
    sealedQuery: text(CHANNEL_KEYS.sealedQuery),
  };
  return Object.values(channel).some((v) => v !== undefined) ? channel : undefined;
}

export function entryOfRow(row: AuditEventsTable): AuditEntry {
  const detail = JSON.parse(row.detail) as AuditDetail;
  const reason = detail[REASON_KEY];
  delete detail[REASON_KEY];
  const channel = channelOf(detail);
  return {
    id: row.id,
    chain: row.chain,
    seq: Number(row.seq),
    patientId: (row.patient_id ?? undefined) as PatientId | undefined,
    at: row.at,
    actor: {
      kind: row.actor_kind as AuditActor['kind'],
      id: row.actor_id ?? undefined,
      name: row.actor_name ?? undefined,
      professionCode: row.actor_profession ?? undefined,
    },
    action: row.action as AuditEntry['action'],
    targetType: (row.target_type ?? undefined) as AuditEntry['targetType'],
    targetId: row.target_id ?? undefined,
    accessMode: row.access_mode as AuditEntry['accessMode'],
    outcome: row.outcome as AuditEntry['outcome'],
    reason: typeof reason === 'string' ? reason : undefined,
    detail,
    channel,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
