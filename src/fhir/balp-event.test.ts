import { describe, expect, it } from 'vitest';
import type { PatientId } from '../identity/index.ts';
import type { AuditEntry, AuditEntryChannel, AuditTransaction } from '../audit/index.ts';
import { toAuditEventResource } from './audit-event-resource.ts';

const patientId = '0190a000-0000-7000-8000-000000000001' as PatientId;
const MHD = 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/';
const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const base = 'https://carnet.test';

function entry(transaction: AuditTransaction, overrides: Partial<AuditEntry> = {}): AuditEntry {
  const channel: AuditEntryChannel = {
    transaction,
    clientAddress: '192.0.2.7',
    clientId: 'lgc-demo',
    sealedQuery: 'sealed1:…',
  };
  return {
    id: '0190a000-0000-7000-8000-0000000000aa',
    chain: `patient:${patientId}`,
    seq: 3,
    patientId,
    at: '2025-03-01T08:00:00.000Z',
    actor: { kind: 'professional', id: '810001000115', name: 'Dr Claire MARTIN', professionCode: '10' },
    action: 'deposit',
    targetType: 'DocumentReference',
    targetId: 'doc-1',
    accessMode: 'normal',
    outcome: 'success',
    reason: undefined,
    detail: {},
    channel,
    prevHash: '0'.repeat(64),
    hash: 'f'.repeat(64),
    ...overrides,
  };
}

const query = 'DocumentReference?patient.identifier=urn:oid:1.2.250.1.213.1.4.8|268057505611212';

describe('AuditEvents of IHE transactions (MHD / BALP)', () => {
  it.each([
    ['ITI-65', 'deposit', 'IHE.MHD.ProvideBundle.Audit.Recipient', DCM, '110107', 'C', 'AUT'],
    ['ITI-105', 'deposit', 'IHE.MHD.SimplifiedPublish.Audit.Recipient', undefined, 'rest', 'C', 'AUT'],
    ['ITI-66', 'search', 'IHE.MHD.FindDocumentLists.Audit.Responder', DCM, '110112', 'E', 'IRCP'],
    ['ITI-67', 'search', 'IHE.MHD.FindDocumentReferences.Audit.Responder', DCM, '110112', 'E', 'IRCP'],
    ['ITI-68', 'retrieve', 'IHE.MHD.RetrieveDocument.Audit.Responder', DCM, '110106', 'R', 'IRCP'],
    ['PATCH', 'mask', 'IHE.BasicAudit.PatientUpdate', undefined, 'rest', 'U', 'AUT'],
  ] as const)(
    '%s (%s) follows %s',
    (transaction, action, profile, typeSystem, typeCode, fhirAction, userType) => {
      const search = action === 'search';
      const event = toAuditEventResource(
        entry(transaction, {
          action,
          ...(search ? { targetType: 'Patient', targetId: patientId, detail: { total: 1 } } : {}),
          ...(transaction === 'ITI-65' ? { detail: { submissionSet: 'urn:oid:1.2.3.4' } } : {}),
        }),
        base,
        { query },
      );
      expect(event.meta?.profile?.[0]).toMatch(new RegExp(`/${profile.replace(/\./g, '\\.')}$`));
      expect(event.type).toMatchObject({ code: typeCode, ...(typeSystem ? { system: typeSystem } : {}) });
      expect(event.action).toBe(fhirAction);
      const ihe = event.subtype?.find((c) => c.system === 'urn:ihe:event-type-code');
      if (transaction === 'PATCH') {
        expect(ihe).toBeUndefined();
        expect(event.subtype?.[0]).toMatchObject({ code: 'patch' });
      } else {
        expect(ihe?.code).toBe(transaction);
      }
      const [client, server, user] = event.agent;
      expect(client).toMatchObject({
        type: { coding: [{ system: DCM, code: '110153' }] },
        who: { identifier: { value: 'lgc-demo' } },
        requestor: false,
        network: { address: '192.0.2.7', type: '2' },
      });
      expect(server).toMatchObject({
        type: { coding: [{ system: DCM, code: '110152' }] },
        requestor: false,
        network: { address: `${base}/fhir`, type: '5' },
      });
      // MHD's val-audit-source: the server agent is the one who records.
      expect(server!.who).toEqual(event.source.observer);
      expect(user).toMatchObject({
        type: { coding: [{ code: userType }] },
        requestor: true,
        who: { identifier: { system: 'urn:oid:1.2.250.1.71.4.2.1', value: '810001000115' } },
        name: 'Dr Claire MARTIN',
      });
      // Exactly the patient and the transaction's own entity (MHD slices them closed).
      expect(event.entity).toHaveLength(2);
      expect(event.entity![0]).toMatchObject({
        what: { reference: `Patient/${patientId}` },
        role: { code: '1' },
      });
    },
  );

  it('names the submission set of an ITI-65 deposit and the document in its detail', () => {
    const event = toAuditEventResource(
      entry('ITI-65', { action: 'replace', detail: { submissionSet: 'urn:oid:1.2.3.4', replaces: 'doc-0' } }),
      base,
    );
    expect(event.entity![1]).toMatchObject({
      what: { identifier: { value: 'urn:oid:1.2.3.4' } },
      type: { code: '2' },
      role: { code: '20' },
      detail: [
        { type: 'DocumentReference', valueString: 'DocumentReference/doc-1' },
        { type: 'replaces', valueString: 'doc-0' },
      ],
    });
    expect(event.subtype?.at(-1)?.code).toBe('replace');
  });

  it('carries the query of ITI-67 in base64, and claims no profile when the query could not be opened', () => {
    const search = entry('ITI-67', { action: 'search', targetType: 'Patient', targetId: patientId });
    const event = toAuditEventResource(search, base, { query });
    expect(event.entity![1]).toMatchObject({ role: { code: '24' } });
    expect(Buffer.from(event.entity![1]!.query!, 'base64').toString()).toBe(query);
    const unopened = toAuditEventResource(search, base);
    expect(unopened.meta).toBeUndefined();
    expect(unopened.entity![1]!.query).toBeUndefined();
  });

  it('points ITI-68 at the Binary and ITI-105 / PATCH at the DocumentReference', () => {
    const retrieve = toAuditEventResource(entry('ITI-68', { action: 'retrieve' }), base);
    expect(retrieve.entity![1]).toMatchObject({ what: { reference: 'Binary/doc-1' }, role: { code: '3' } });
    const publish = toAuditEventResource(entry('ITI-105'), base);
    expect(publish.entity![1]).toMatchObject({
      what: { reference: 'DocumentReference/doc-1' },
      role: { code: '4' },
    });
    const patch = toAuditEventResource(
      entry('PATCH', { action: 'mask', detail: { flag: 'MASQUE_PS' } }),
      base,
    );
    expect(patch.entity![1]).toMatchObject({
      what: { reference: 'DocumentReference/doc-1' },
      detail: [{ type: 'flag', valueString: 'MASQUE_PS' }],
    });
  });

  it('keeps the shape of a refusal but claims BALP’s success-only profiles for successes only', () => {
    const refusedPatch = toAuditEventResource(
      entry('PATCH', { action: 'mask', outcome: 'denied', targetId: undefined, targetType: undefined }),
      base,
    );
    expect(refusedPatch.meta).toBeUndefined();
    expect(refusedPatch.outcome).toBe('4');
    const refusedQuery = toAuditEventResource(
      entry('ITI-67', { action: 'search', outcome: 'denied', targetType: undefined, targetId: undefined }),
      base,
      { query },
    );
    expect(refusedQuery.meta?.profile?.[0]).toBe(`${MHD}IHE.MHD.FindDocumentReferences.Audit.Responder`);
    expect(refusedQuery.outcome).toBe('4');
  });

  it('adds the client and server to other traces of the FHIR API, and leaves older traces as they were', () => {
    const read = entry('ITI-67', {
      action: 'read',
      channel: {
        transaction: undefined,
        clientAddress: '192.0.2.7',
        clientId: undefined,
        sealedQuery: undefined,
      },
    });
    const event = toAuditEventResource(read, base);
    expect(event.type.code).toBe('110110');
    expect(event.meta).toBeUndefined();
    expect(event.agent.map((a) => a.type?.coding?.[0]?.code)).toEqual([undefined, '110153', '110152']);
    expect(event.agent[1]!.who).toEqual({ display: '192.0.2.7' });
    const old = toAuditEventResource({ ...read, channel: undefined }, base);
    expect(old.agent).toHaveLength(1);
  });
});
