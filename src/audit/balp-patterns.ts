import type { AuditEvent, Coding } from '@medplum/fhirtypes';
import type { AuditTransaction } from './types.ts';

const MHD = 'https://profiles.ihe.net/ITI/MHD/StructureDefinition';
const BALP = 'https://profiles.ihe.net/ITI/BALP/StructureDefinition';
const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const IHE = 'urn:ihe:event-type-code';
const REST_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
const REST = 'http://hl7.org/fhir/restful-interaction';

/** What the server's AuditEvent of a transaction is about, besides the patient (IHE MHD Vol 2, each §x.4.5). */
export type TransactionEntity =
  /** ITI-65: the submission set (`List`, role Job). */
  | 'submission-set'
  /** ITI-66, ITI-67: the query, base64 (role Query). */
  | 'query'
  /** ITI-68: the document's bytes (`Binary`, role Report). */
  | 'document'
  /** ITI-105, PATCH: the DocumentReference created or changed. */
  | 'data';

export interface TransactionPattern {
  /** The profile Carnet's AuditEvent follows, as the server (Document Recipient / Responder) records it. */
  readonly profile: string;
  readonly type: Coding;
  /** In this order: the first is the one the profile fixes. Carnet's own action code follows. */
  readonly subtype: readonly Coding[];
  readonly action: NonNullable<AuditEvent['action']>;
  /** The human user's participation (v3-ParticipationType, BALP's DataSources): author or information recipient. */
  readonly user: Coding;
  readonly entity: TransactionEntity;
  /** That entity's role (object-role), as each profile fixes it. */
  readonly entityRole: Coding;
  /**
   * BALP's basic patterns describe successes only (`outcome` is fixed to 0): a refused PATCH or ITI-105 keeps the
   * shape but claims no profile. MHD's own profiles hold for any outcome.
   */
  readonly successOnly: boolean;
}

const objectRole = 'http://terminology.hl7.org/CodeSystem/object-role';
const role = {
  report: { system: objectRole, code: '3', display: 'Report' },
  domainResource: { system: objectRole, code: '4', display: 'Domain Resource' },
  job: { system: objectRole, code: '20', display: 'Job' },
  query: { system: objectRole, code: '24', display: 'Query' },
} as const satisfies Record<string, Coding>;

const participation = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
const author: Coding = { system: participation, code: 'AUT', display: 'author (originator)' };
const recipient: Coding = { system: participation, code: 'IRCP', display: 'information recipient' };

/**
 * IHE MHD 4.2 (R4) audit profiles at the Document Recipient / Responder, and IHE BALP 1.1 for the PATCH that
 * masks a document (PDSm's "modification des métadonnées"). Codes as the profiles fix them.
 */
export const transactionPatterns: Readonly<Record<AuditTransaction, TransactionPattern>> = {
  'ITI-65': {
    profile: `${MHD}/IHE.MHD.ProvideBundle.Audit.Recipient`,
    type: { system: DCM, code: '110107', display: 'Import' },
    subtype: [{ system: IHE, code: 'ITI-65', display: 'Provide Document Bundle' }],
    action: 'C',
    user: author,
    entity: 'submission-set',
    entityRole: role.job,
    successOnly: false,
  },
  'ITI-105': {
    profile: `${MHD}/IHE.MHD.SimplifiedPublish.Audit.Recipient`,
    type: { system: REST_TYPE, code: 'rest', display: 'Restful Operation' },
    subtype: [
      { system: REST, code: 'create', display: 'create' },
      { system: IHE, code: 'ITI-105', display: 'Simplified Publish' },
    ],
    action: 'C',
    user: author,
    entity: 'data',
    entityRole: role.domainResource,
    successOnly: true,
  },
  'ITI-66': {
    profile: `${MHD}/IHE.MHD.FindDocumentLists.Audit.Responder`,
    type: { system: DCM, code: '110112', display: 'Query' },
    subtype: [{ system: IHE, code: 'ITI-66', display: 'Find Document Lists' }],
    action: 'E',
    user: recipient,
    entity: 'query',
    entityRole: role.query,
    successOnly: false,
  },
  'ITI-67': {
    profile: `${MHD}/IHE.MHD.FindDocumentReferences.Audit.Responder`,
    type: { system: DCM, code: '110112', display: 'Query' },
    subtype: [{ system: IHE, code: 'ITI-67', display: 'Find Document References' }],
    action: 'E',
    user: recipient,
    entity: 'query',
    entityRole: role.query,
    successOnly: false,
  },
  'ITI-68': {
    profile: `${MHD}/IHE.MHD.RetrieveDocument.Audit.Responder`,
    type: { system: DCM, code: '110106', display: 'Export' },
    subtype: [{ system: IHE, code: 'ITI-68', display: 'Retrieve Document' }],
    action: 'R',
    user: recipient,
    entity: 'document',
    entityRole: role.report,
    successOnly: false,
  },
  PATCH: {
    profile: `${BALP}/IHE.BasicAudit.PatientUpdate`,
    type: { system: REST_TYPE, code: 'rest', display: 'Restful Operation' },
    subtype: [{ system: REST, code: 'patch', display: 'patch' }],
    action: 'U',
    user: author,
    entity: 'data',
    entityRole: role.report,
    successOnly: true,
  },
};

/** DICOM roles of the two machines (the client is the "source" even of a query, as DICOM and IHE have it). */
export const sourceRole: Coding = { system: DCM, code: '110153', display: 'Source Role ID' };
export const destinationRole: Coding = { system: DCM, code: '110152', display: 'Destination Role ID' };

/** Who records every event (`AuditEvent.source.observer`), and the server agent of an exchange: the same. */
export const CARNET_OBSERVER = { display: 'Carnet' } as const;

/** `AuditEvent.agent.network.type` (R4 value set network-type). */
export const networkType = { ipAddress: '2', uri: '5' } as const;
