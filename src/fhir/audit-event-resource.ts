import type { AuditEvent, AuditEventAgent, AuditEventEntity, Coding } from '@medplum/fhirtypes';
import { PROFESSION_SYSTEM } from './systems.ts';
import { PROFESSIONAL_ID_OID } from '../identity/index.ts';
import {
  type AuditAction,
  type AuditEntry,
  actionCodes,
  auditCodeSystems as S,
  purposeOf,
  balpEvent,
  networkAgents,
  CARNET_OBSERVER,
} from '../audit/index.ts';

export const ACCESS_MODE_EXTENSION = 'https://carnet.example.org/fhir/StructureDefinition/audit-access-mode';

const fhirAction: Record<AuditAction, AuditEvent['action']> = {
  search: 'E',
  'history-read': 'E',
  read: 'R',
  retrieve: 'R',
  'message-read': 'R',
  'message-reply': 'C',
  deposit: 'C',
  replace: 'C',
  consent: 'C',
  archive: 'U',
  mask: 'U',
  unmask: 'U',
  block: 'U',
  unblock: 'U',
  'name-administrator': 'U',
  'remove-administrator': 'U',
  settings: 'U',
  'emergency-start': 'C',
  'emergency-end': 'U',
  'password-reset': 'U',
  'password-change': 'U',
  'contact-change': 'U',
  activation: 'U',
  organise: 'U',
  delete: 'D',
  'profile-read': 'E',
  'profile-update': 'U',
  'care-history-read': 'E',
  'care-history-import': 'C',
  export: 'E',
  'app-connect': 'C',
  'app-revoke': 'D',
  'agenda-read': 'E',
  'agenda-update': 'U',
};

const fhirOutcome: Record<AuditEntry['outcome'], AuditEvent['outcome']> = {
  success: '0',
  denied: '4',
  error: '8',
};

/** What only a reader holding the document key can give: the opened query of a search (ITI-66, ITI-67). */
export interface OpenedAuditFields {
  readonly query?: string;
}

/**
 * FHIR R4 AuditEvent of one trace, for the patient (and auditors): ids and codes only, no health content. The trace
 * of an IHE transaction follows its IHE MHD / BALP profile (src/audit/balp-event.ts); other traces keep the
 * generic "patient record" event, with the client and server agents when the request came through the FHIR API.
 */
export function toAuditEventResource(
  entry: AuditEntry,
  baseUrl: string,
  opened: OpenedAuditFields = {},
): AuditEvent {
  const generic = genericEvent(entry, baseUrl);
  const fhirBase = `${baseUrl}/fhir`;
  if (entry.channel?.transaction) {
    return balpEvent(entry, generic, { user: agentOf(entry), fhirBase, query: opened.query });
  }
  if (!entry.channel?.clientAddress) return generic;
  return { ...generic, agent: [...generic.agent, ...networkAgents(entry.channel, fhirBase)] };
}

function genericEvent(entry: AuditEntry, baseUrl: string): AuditEvent {
  const codes = actionCodes[entry.action];
  const purpose = purposeOf(entry.accessMode);
  return {
    resourceType: 'AuditEvent',
    id: entry.id,
    extension: [{ url: ACCESS_MODE_EXTENSION, valueCode: entry.accessMode }],
    type: { system: S.dicom, code: '110110', display: 'Patient Record' },
    subtype: codes.subtype,
    action: fhirAction[entry.action],
    recorded: entry.at,
    outcome: fhirOutcome[entry.outcome],
    ...(entry.outcome === 'denied' ? { outcomeDesc: 'Accès refusé' } : {}),
    ...(purpose ? { purposeOfEvent: [{ coding: [purpose], ...textOf(entry.reason) }] } : {}),
    agent: [agentOf(entry)],
    source: {
      site: baseUrl,
      observer: { ...CARNET_OBSERVER },
      type: [{ system: S.sourceType, code: '4', display: 'Application Server' }],
    },
    entity: entitiesOf(entry),
  };
}

function textOf(reason: string | undefined): { text?: string } {
  return reason ? { text: reason } : {};
}

function agentOf(entry: AuditEntry): AuditEventAgent {
  const { actor } = entry;
  const display = actor.name ? { display: actor.name } : {};
  switch (actor.kind) {
    case 'professional':
      return {
        requestor: true,
        who: { identifier: { system: `urn:oid:${PROFESSIONAL_ID_OID}`, value: actor.id }, ...display },
        ...(actor.professionCode
          ? { role: [{ coding: [{ system: PROFESSION_SYSTEM, code: actor.professionCode }] }] }
          : {}),
      };
    case 'patient':
    case 'representative':
      return { requestor: true, who: { reference: `Patient/${actor.id}`, ...display } };
    case 'insurer':
    case 'auditor':
    case 'app':
      return {
        requestor: true,
        who: { identifier: { system: S.actor, value: actor.id }, ...display },
      };
    case 'system':
      return { requestor: false, who: { display: 'Carnet' } };
  }
}

function entitiesOf(entry: AuditEntry): AuditEventEntity[] {
  const entities: AuditEventEntity[] = [];
  // FHIR has no empty strings: a detail without a value says nothing and is left out (value[x] is 1..1).
  const detail = Object.entries(entry.detail)
    .filter(([, value]) => value !== undefined && value !== null && String(value) !== '')
    .map(([type, value]) => ({ type, valueString: String(value) }));
  const target = targetEntity(entry);
  if (target) entities.push({ ...target, ...(detail.length ? { detail } : {}) });
  if (entry.patientId && entry.targetType !== 'Patient') {
    entities.push({
      what: { reference: `Patient/${entry.patientId}` },
      type: code(S.entityType, '1', 'Person'),
      role: code(S.entityRole, '1', 'Patient'),
    });
  }
  if (!target && detail.length) entities.push({ detail });
  return entities;
}

function targetEntity(entry: AuditEntry): AuditEventEntity | undefined {
  const id = entry.targetId;
  switch (entry.targetType) {
    case undefined:
      return undefined;
    case 'Patient':
      return {
        what: { reference: `Patient/${id ?? entry.patientId}` },
        type: code(S.entityType, '1', 'Person'),
        role: code(S.entityRole, '1', 'Patient'),
      };
    case 'Professional':
      return {
        what: { identifier: { system: `urn:oid:${PROFESSIONAL_ID_OID}`, value: id } },
        type: code(S.entityType, '1', 'Person'),
        role: code(S.entityRole, '15', 'Practitioner'),
      };
    case 'DocumentReference':
      return {
        what: { reference: `DocumentReference/${id}` },
        type: code(S.entityType, '2', 'System Object'),
        role: code(S.entityRole, '3', 'Report'),
      };
    case 'RecordSettings':
      return { what: { display: 'Paramètres du DMP' }, type: code(S.entityType, '2', 'System Object') };
    case 'AuditEvent':
    case 'Bundle':
    case 'Communication':
    case 'List':
      return {
        what: id ? { reference: `${entry.targetType}/${id}` } : { display: entry.targetType },
        type: code(S.entityType, '2', 'System Object'),
        ...(entry.targetType === 'AuditEvent' ? { role: code(S.entityRole, '20', 'Job') } : {}),
      };
  }
}

function code(system: string, value: string, display: string): Coding {
  return { system, code: value, display };
}
